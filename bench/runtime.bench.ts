// Benchmarks the runtime: start to READY (median of runs), idle RSS, and `status` API throughput and latency over the unix socket.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadFigures } from './api-load.js';
import { startReadyRuntime, stopRuntime, tempDataDir } from '../test/support/runtime-process.js';

const RUNS = 7;
const REQUESTS = 20_000;
const CONCURRENCY = 16;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

async function startToReady(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { dir, cleanup } = tempDataDir('rayos-bench-');
    const began = performance.now();
    const runtime = await startReadyRuntime(dir);
    times.push(performance.now() - began);
    await stopRuntime(runtime);
    cleanup();
  }
  return times;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1]) / 1024;
}

async function main(): Promise<void> {
  console.log(`RayOS runtime benchmark (node ${process.versions.node}, ${new Date().toISOString()})`);
  const ready = await startToReady();
  console.log(`start to READY: median ${median(ready).toFixed(0)} ms over ${RUNS} runs (min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)}) [target < 1000 ms]`);

  const { dir, cleanup } = tempDataDir('rayos-bench-');
  // The default per-client rate limit would cap this loop; the bench measures the server, so it lifts the limit.
  const runtime = await startReadyRuntime(dir, ['--set', 'api.rateLimit.max=100000000']);
  await new Promise((r) => setTimeout(r, 2000)); // let start-up garbage settle before reading idle RSS
  console.log(`idle RSS after READY: ${rssMiB(runtime.child.pid!).toFixed(1)} MiB [target < 120 MB]`);

  const socketPath = join(dir, 'rayos.sock');
  const api = await measureApi(socketPath);
  console.log(`API GET /v1/status over the unix socket: ${api.loaded.rate.toFixed(0)} req/s with ${CONCURRENCY} in flight; latency p50 ${api.loaded.p50.toFixed(2)} ms, p99 ${api.loaded.p99.toFixed(2)} ms [target p99 < 5 ms]`);
  console.log(`API GET /v1/status, one at a time: p50 ${api.sequential.p50.toFixed(2)} ms, p99 ${api.sequential.p99.toFixed(2)} ms`);
  console.log(`RSS after the API load: ${rssMiB(runtime.child.pid!).toFixed(1)} MiB`);
  await stopRuntime(runtime);

  // The same client against a bare node:http server on this machine: the floor that scheduling jitter sets.
  const bare = spawn(process.execPath, ['-e', BARE_SERVER, join(dir, 'bare.sock')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(bare.stdout, 'data');
  const floor = await measureApi(join(dir, 'bare.sock'));
  bare.kill();
  console.log(`baseline, bare node:http on a unix socket, same client: ${floor.loaded.rate.toFixed(0)} req/s with ${CONCURRENCY} in flight, p99 ${floor.loaded.p99.toFixed(2)} ms; one at a time p99 ${floor.sequential.p99.toFixed(2)} ms`);
  cleanup();
}

const BARE_SERVER = `const s = require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end(JSON.stringify({ state: 'ready', pad: 'x'.repeat(700) })); });
s.listen(process.argv[1], () => console.log('listening'));`;

const LOAD_MAIN = new URL('./api-load.js', import.meta.url).pathname;

/** Runs the load generator in a fresh process and returns its figures. */
async function load(socketPath: string, requests: number, inFlight: number): Promise<LoadFigures> {
  const child = spawn(process.execPath, [LOAD_MAIN, socketPath, '/v1/status', String(requests), String(inFlight)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`api-load exited ${code}`);
  return JSON.parse(out) as LoadFigures;
}

async function measureApi(socketPath: string): Promise<{ loaded: LoadFigures; sequential: LoadFigures }> {
  return { loaded: await load(socketPath, REQUESTS, CONCURRENCY), sequential: await load(socketPath, 2000, 1) };
}

await main();
