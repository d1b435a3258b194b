// Benchmarks the runtime: start to READY (median of runs), idle RSS, and `status` API throughput and latency over the unix socket.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
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

function get(agent: Agent, socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request({ socketPath, path: '/v1/status', agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - began) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
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
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  for (let i = 0; i < 500; i++) await get(agent, socketPath); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) latencies.push(await get(agent, socketPath));
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`API GET /v1/status over the unix socket: ${(latencies.length / seconds).toFixed(0)} req/s with ${CONCURRENCY} in flight; latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms [target p99 < 5 ms]`);
  const sequential: number[] = [];
  for (let i = 0; i < 2000; i++) sequential.push(await get(agent, socketPath));
  sequential.sort((a, b) => a - b);
  console.log(`API GET /v1/status, one at a time: p50 ${percentile(sequential, 50).toFixed(2)} ms, p99 ${percentile(sequential, 99).toFixed(2)} ms`);
  console.log(`RSS after the API load: ${rssMiB(runtime.child.pid!).toFixed(1)} MiB`);
  agent.destroy();
  await stopRuntime(runtime);
  cleanup();
}

await main();
