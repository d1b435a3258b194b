#!/usr/bin/env node
// Bundles the programs an installed RayOS starts at boot (the runtime's commands, the image program) into one file each.
//
//   node tools/bundle-runtime.js OUT_DIR [ENTRY…]    (rayos image build runs it; reads dist/src, so tsc -b first)
//
// Why: under TCG, loading the compiled runtime's ~1000 ES modules took 15–20 s of every boot; one file loads in a
// fraction of that. Each bundle lands where its unbundled entry was (OUT_DIR/dist/src/<dir>/<file>.js), so the paths
// the code derives from import.meta.url (../../web/, ../../../package.json) resolve the same.
// Packages with native or wasm parts load their files relative to themselves, so they stay in node_modules.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTERNAL_PACKAGES = ['better-sqlite3', '@cedar-policy/cedar-wasm'];
const ENTRIES = ['dist/src/daemon/runtime-commands.js', 'dist/src/image/image-main.js'];

const [out, ...asked] = process.argv.slice(2);
const unknown = asked.filter((entry) => !ENTRIES.includes(entry));
if (!out || unknown.length > 0) {
  console.error(`RAYOS_IMAGE_BUNDLE_USAGE: node tools/bundle-runtime.js OUT_DIR [ENTRY…]; entries: ${ENTRIES.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`);
  process.exit(2);
}

const external = (id) => id.startsWith('node:') || EXTERNAL_PACKAGES.some((name) => id === name || id.startsWith(`${name}/`));
for (const entry of asked.length > 0 ? asked : ENTRIES) {
  const started = Date.now();
  const result = await build({
    input: path.join(ROOT, entry),
    platform: 'node',
    external,
    logLevel: 'warn',
    output: { file: path.join(out, entry), format: 'esm', codeSplitting: false, comments: false },
  });
  const imports = [...new Set(result.output.flatMap((chunk) => ('imports' in chunk ? chunk.imports : [])))].filter((id) => !id.startsWith('node:'));
  console.log(`RAYOS_IMAGE:BUNDLED:${entry}:${Date.now() - started}ms:external=${imports.join(',') || 'none'}`);
}
