#!/usr/bin/env node
// Runs the compiled RayOS tests in ONE `node --test` process, so there is one summary.
//
//   node tools/run-tests.js unit|integration|all [FILTER…] [-- NODE_TEST_OPTIONS…]
//
//   unit         dist/src/**/*.test.js, dist/guest/**/*.test.js and tools/*.test.js
//   integration  dist/test/**/*.test.js
//   all          both
//
// FILTERs (optional) keep only the files whose path contains one of them. Options after `--`
// (or any argument starting with `--`) go to `node --test`, e.g. `--test-name-pattern=lock`.
// Compiled tests whose TypeScript source no longer exists (left in dist/ after a rename or a
// delete) are not run. An empty list is a failure: a run with no tests must not pass.
// Build first (`npx tsc -b`, or `./rayos test` which does everything).

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONCURRENCY = 2; // two cores here; raise with --test-concurrency=N after `--`
const TIMEOUT_MS = 180_000; // per test; generous, since integration tests start real processes
// `*.long.test.js` files boot whole machines under TCG (minutes per boot): they run after the rest, one at a time,
// with this limit per test file.
const LONG_TIMEOUT_MS = 45 * 60_000;
const isLong = (file) => file.endsWith('.long.test.js');

const MODES = ['unit', 'integration', 'all'];

function usage(message) {
  if (message) console.error(`run-tests: ${message}`);
  console.error('usage: node tools/run-tests.js unit|integration|all [FILTER…] [-- NODE_TEST_OPTIONS…]');
  process.exit(2);
}

/** Every file under `dir` (repo-relative, POSIX separators) whose name ends with `suffix`. */
function findFiles(dir, suffix) {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const found = [];
  const walk = (relDir) => {
    for (const entry of readdirSync(path.join(ROOT, relDir), { withFileTypes: true })) {
      const rel = `${relDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(rel);
      } else if (entry.isFile() && entry.name.endsWith(suffix)) {
        found.push(rel);
      }
    }
  };
  walk(dir);
  return found;
}

/** The TypeScript source of a compiled file under dist/, if it still exists. */
function hasSource(distFile) {
  const base = distFile.replace(/^dist\//, '').replace(/\.js$/, '');
  return ['.ts', '.tsx', '.mts'].some((ext) => existsSync(path.join(ROOT, base + ext)));
}

function main(argv) {
  const [mode, ...rest] = argv;
  if (!mode || !MODES.includes(mode)) usage(mode ? `unknown mode "${mode}"` : 'missing mode');

  const filters = [];
  const nodeOptions = [];
  let passThrough = false;
  for (const arg of rest) {
    if (passThrough || arg.startsWith('--')) {
      if (arg === '--' && !passThrough) passThrough = true;
      else nodeOptions.push(arg);
    } else {
      filters.push(arg);
    }
  }

  const compiled = [];
  const plain = [];
  if (mode === 'unit' || mode === 'all') {
    compiled.push(...findFiles('dist/src', '.test.js'), ...findFiles('dist/guest', '.test.js'));
    plain.push(...findFiles('tools', '.test.js').filter((f) => f.split('/').length === 2));
  }
  if (mode === 'integration' || mode === 'all') {
    compiled.push(...findFiles('dist/test', '.test.js'));
  }

  const orphans = compiled.filter((f) => !hasSource(f));
  if (orphans.length > 0) {
    console.log(`run-tests: not running ${orphans.length} compiled test(s) whose source is gone:`);
    for (const f of orphans) console.log(`  ${f}`);
  }
  let files = [...compiled.filter((f) => hasSource(f)), ...plain].sort();
  if (filters.length > 0) files = files.filter((f) => filters.some((needle) => f.includes(needle)));

  if (files.length === 0) {
    const where = filters.length > 0 ? ` matching ${filters.map((f) => `"${f}"`).join(', ')}` : '';
    console.error(`run-tests: FAIL: no ${mode} test files found${where}.`);
    if (!existsSync(path.join(ROOT, 'dist'))) {
      console.error('run-tests: dist/ is missing: build first with `npx tsc -b` (or run `./rayos test`).');
    }
    process.exit(1);
  }

  console.log(`run-tests: ${mode}: ${files.length} test file(s)`);
  for (const f of files) console.log(`  ${f}`);

  const batches = [
    { files: files.filter((f) => !isLong(f)), concurrency: CONCURRENCY, timeoutMs: TIMEOUT_MS },
    { files: files.filter(isLong), concurrency: 1, timeoutMs: LONG_TIMEOUT_MS },
  ].filter((batch) => batch.files.length > 0);
  runBatches(batches, nodeOptions, 0);
}

/** Runs each batch in its own `node --test`, in order; the exit status is the first failure's, else 0. */
function runBatches(batches, nodeOptions, failedCode) {
  const [batch, ...rest] = batches;
  if (batch === undefined) process.exit(failedCode);
  const args = [
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${batch.concurrency}`,
    `--test-timeout=${batch.timeoutMs}`,
    ...nodeOptions,
    ...batch.files,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });

  // Ctrl-C reaches the whole foreground process group already; forward TERM/HUP explicitly.
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, forward);
  process.on('SIGINT', () => {}); // let the child handle it and report, then exit with its status

  child.on('error', (error) => {
    console.error(`run-tests: could not start node --test: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of ['SIGTERM', 'SIGHUP']) process.off(name, forward);
    if (signal) {
      console.error(`run-tests: node --test was killed by ${signal}`);
      process.exit(1);
    }
    runBatches(rest, nodeOptions, failedCode || (code ?? 1));
  });
}

main(process.argv.slice(2));
