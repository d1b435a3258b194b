// Owns the guest builder's command line: node dist/guest/builder/build-main.js [--data DIR] [--cache DIR] [--json].
//
// Progress goes to stderr; stdout carries only the marker lines RAYOS_GUEST:BUILD_STEP:<step> and
// RAYOS_GUEST:BUILT:<key> (and, with --json, a final JSON summary {key, dir, cached}). Exit 0 on success,
// 1 on a build failure (the RAYOS_* error code and what to do are printed), 2 on a usage error.
import { resolve } from 'node:path';
import { formatMarker } from '../../src/contracts/markers.js';
import { buildAndInstallLinuxGuest, buildLinuxGuest, type BuildProgress } from './api.js';

interface Args {
  data: string | null;
  cache: string | null;
  json: boolean;
}

const USAGE = 'usage: node dist/guest/builder/build-main.js [--data DIR] [--cache DIR] [--json]';

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { data: null, cache: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--json' && inline === undefined) args.json = true;
    else if (flag === '--data' || flag === '--cache') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') return `${flag} needs a directory`;
      args[flag === '--data' ? 'data' : 'cache'] = resolve(value);
    } else if (flag === '--help' || flag === '-h') return '';
    else return `unknown argument ${JSON.stringify(a)}`;
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args !== '') process.stderr.write(`build-main: ${args}\n`);
    process.stderr.write(`${USAGE}\n`);
    return args === '' ? 0 : 2;
  }
  const progress: BuildProgress = {
    step(step, message) {
      process.stderr.write(`guest build: ${message}\n`);
      process.stdout.write(`${formatMarker('RAYOS_GUEST', 'BUILD_STEP', [step])}\n`);
    },
    info(message) {
      process.stderr.write(`guest build: ${message}\n`);
    },
  };
  const options = { progress, ...(args.cache === null ? {} : { cacheDir: args.cache }) };
  let summary: { key: string; dir: string; cached: boolean };
  if (args.data !== null) {
    const done = await buildAndInstallLinuxGuest(args.data, options);
    if (!done.ok) return fail(done.error);
    summary = { key: done.value.built.key, dir: done.value.installed.dir, cached: done.value.built.cached };
  } else {
    const built = await buildLinuxGuest(options);
    if (!built.ok) return fail(built.error);
    summary = { key: built.value.key, dir: built.value.dir, cached: built.value.cached };
  }
  process.stderr.write(`guest build: ${summary.cached ? 'cached' : 'built'} ${summary.key} → ${summary.dir}\n`);
  process.stdout.write(`${formatMarker('RAYOS_GUEST', 'BUILT', [summary.key])}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

function fail(error: { code: string; message: string }): number {
  process.stderr.write(`guest build failed: ${error.code}: ${error.message}\n`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`guest build failed: RAYOS_GUEST_BUILD_FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
