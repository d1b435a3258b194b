#!/usr/bin/env node
// Builds the compositor UI (src/web, Vite) into dist/web, which the runtime serves at / on its TCP listener.
//
//   node tools/build-web.js     (./rayos runs it after tsc -b when src/web, src/contracts or src/base changed)
//
// Type-checks src/web first (its own tsconfig: DOM types, bundler resolution; the root project leaves it out,
// so the contracts it imports stay the root project's to emit), then Vite bundles.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const typecheck = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(ROOT, 'src/web/tsconfig.json')], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.error('build-web: src/web does not type-check (see above)');
  process.exit(1);
}

await build({
  configFile: false,
  root: path.join(ROOT, 'src/web'),
  base: '/',
  logLevel: 'warn',
  clearScreen: false,
  build: {
    outDir: path.join(ROOT, 'dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
