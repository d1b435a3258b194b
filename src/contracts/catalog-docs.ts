// Owns rendering the marker and error-code catalogs as Markdown (docs/MARKERS.md, docs/ERRORS.md are generated from this).
import { CONFIG_KEYS, envNameOf } from './config.js';
import { ERROR_CODES } from './errors.js';
import { MARKER_CATALOG, type MarkerSpec } from './markers.js';

const HEADER = '<!-- Generated from src/contracts by `node tools/generate-docs.js`; do not edit by hand. -->';

export function renderMarkerCatalog(): string {
  const rows = (MARKER_CATALOG as readonly MarkerSpec[]).map((m) => `| \`${[m.area, m.event, ...m.args.map((a) => `<${a}>`)].join(':')}\` | ${m.meaning} |`);
  return [
    HEADER,
    '# RayOS markers',
    '',
    'Every lifecycle step prints one deterministic line `RAYOS_<AREA>:<EVENT>[:<arg>]…` on stdout and journals it.',
    'Arguments never contain `:` or newlines (they are replaced by `_`). Headless tests wait on these lines.',
    '',
    '| marker | meaning |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export function renderErrorCatalog(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return [
    HEADER,
    '# RayOS error codes',
    '',
    'Every error RayOS returns is `{code, message}`: the code is stable (added, never renamed); the message says what to do.',
    '',
    '| code | when |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export function renderConfigCatalog(): string {
  const rows = [...CONFIG_KEYS].map(([key, value]) => `| \`${key}\` | \`${JSON.stringify(value)}\` | \`${envNameOf(key)}\` |`);
  return [
    HEADER,
    '# RayOS configuration',
    '',
    'Layers, later wins: defaults < `rayos.toml` or `rayos.json` in the data directory < environment < flags',
    '(`--port N`, `--set key=value`, repeatable). An unknown key or a bad value stops startup and names the key',
    'and the layer it came from (`RAYOS_CONFIG_UNKNOWN_KEY`, `RAYOS_CONFIG_INVALID_VALUE`). Ranges and types are in',
    '`src/contracts/config.ts`. The data directory itself comes from `--data`, else `$RAYOS_DATA`, else',
    '`~/.local/share/rayos` (`/var/lib/rayos` for root).',
    '',
    'Example `rayos.toml`:',
    '',
    '```toml',
    '[api]',
    'port = 7420',
    '',
    '[journal]',
    'segmentBytes = 8388608',
    '```',
    '',
    '| key | default | environment |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
