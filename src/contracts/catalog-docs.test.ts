// Tests that the committed catalog docs match the contracts, and that every catalog entry is well formed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigCatalog, renderErrorCatalog, renderMarkerCatalog } from './catalog-docs.js';
import { ERROR_CODES } from './errors.js';
import { MARKER_CATALOG, MARKER_LINE, formatMarker } from './markers.js';

const repoFile = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

test('docs/MARKERS.md, ERRORS.md and CONFIG.md are up to date (regenerate with node tools/generate-docs.js)', () => {
  assert.equal(repoFile('docs/MARKERS.md'), renderMarkerCatalog());
  assert.equal(repoFile('docs/ERRORS.md'), renderErrorCatalog());
  assert.equal(repoFile('docs/CONFIG.md'), renderConfigCatalog());
});

test('every error code is RAYOS_<AREA>_<WHAT> and every marker formats to a valid line', () => {
  for (const code of Object.keys(ERROR_CODES)) assert.match(code, /^RAYOS_[A-Z]+_[A-Z_]+$/);
  const seen = new Set<string>();
  for (const marker of MARKER_CATALOG) {
    const key = `${marker.area}:${marker.event}`;
    assert.ok(!seen.has(key), `${key} is listed once`);
    seen.add(key);
    assert.match(formatMarker(marker.area, marker.event, marker.args.map(() => 'x')), MARKER_LINE);
  }
});
