// Benchmarks the QMP client against a real QEMU (TCG, paused): query-status round trips, one at a time and with several in flight.
import { startQemuForQmp } from '../src/platform/qmp/qemu-for-qmp.test-support.js';
import { connectQmp, type QmpClient } from '../src/platform/qmp/qmp-client.js';

const RUNS = 5;
const COMMANDS = 2000;
const WARM_UP = 200;
const IN_FLIGHT = 8;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/** Round-trip times of `count` query-status commands sent one after another, sorted. */
async function sequential(client: QmpClient, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    const status = await client.execute('query-status');
    times.push(performance.now() - began);
    if (!status.ok) throw new Error(status.error.message);
  }
  return times.sort((a, b) => a - b);
}

/** Commands per second with `inFlight` workers each sending query-status back to back. */
async function pipelined(client: QmpClient, count: number, inFlight: number): Promise<number> {
  let left = count;
  const began = performance.now();
  const worker = async (): Promise<void> => {
    while (left-- > 0) {
      const status = await client.execute('query-status');
      if (!status.ok) throw new Error(status.error.message);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return count / ((performance.now() - began) / 1000);
}

async function main(): Promise<void> {
  console.log(`RayOS QMP benchmark (node ${process.versions.node}, ${new Date().toISOString()}): query-status against qemu-system-x86_64 -accel tcg -S, ${RUNS} runs × ${COMMANDS} commands`);
  const qemu = startQemuForQmp('rayos-qmp-bench-');
  try {
    const connected = await connectQmp(qemu.qmpPath, { waitForSocketMs: 10_000, connectTimeoutMs: 10_000 });
    if (!connected.ok) throw new Error(`${connected.error.message}\nQEMU stderr: ${qemu.stderr()}`);
    const client = connected.value;
    const { major, minor, micro } = client.greeting.version.qemu;
    console.log(`QEMU ${major}.${minor}.${micro} (${client.greeting.version.package})`);
    await sequential(client, WARM_UP);

    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const times = await sequential(client, COMMANDS);
      const [p50, p99] = [percentile(times, 50), percentile(times, 99)];
      p50s.push(p50);
      p99s.push(p99);
      console.log(`run ${run}: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${(times.at(-1) ?? NaN).toFixed(3)} ms`);
    }
    console.log(`query-status round trip, one at a time: median of ${RUNS} runs p50 ${median(p50s).toFixed(3)} ms, p99 ${median(p99s).toFixed(3)} ms [target p99 < 10 ms]`);

    const rate = await pipelined(client, COMMANDS * 2, IN_FLIGHT);
    console.log(`query-status with ${IN_FLIGHT} in flight: ${rate.toFixed(0)} commands/s`);
    await client.close();
  } finally {
    await qemu.kill();
  }
}

await main();
