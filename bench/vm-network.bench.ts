// Benchmarks guest networking on demand under the real runtime: network on (hot-plug + eth0 set up) and off (unplug), through the SDK; medians of several runs.
import { clientForDataDir } from '../src/client/api.js';
import { installGuestImage, killQemusUnder } from '../test/support/vm-support.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../test/support/runtime-process.js';

const RUNS = 5;
const BOOT_MS = 300_000;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fmt = (values: number[]): string => `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;

async function main(): Promise<void> {
  console.log(`RayOS guest network benchmark (node ${process.versions.node}, ${new Date().toISOString()}): the default Linux guest, ${RUNS} runs each`);
  const { dir, cleanup } = tempDataDir('rayos-netb-');
  let runtime: RuntimeProcess | null = null;
  try {
    installGuestImage(dir);
    runtime = startRuntime(dir);
    console.log(`accelerator: ${await runtime.waitFor(/^RAYOS_VM:ACCEL:/, 60_000)}`);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
    const client = clientForDataDir(dir);
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const [enabled, times] of [[true, on], [false, off]] as const) {
        const began = performance.now();
        const set = await client.vms.network('linux', enabled);
        if (!set.ok) throw new Error(`network ${enabled ? 'on' : 'off'}: ${set.error.code}: ${set.error.message}`);
        times.push(performance.now() - began);
      }
    }
    console.log(`network on (netdev_add, device_add, guest binds eth0, eth0 configured): ${fmt(on)}`);
    console.log(`network off (device_del, DEVICE_DELETED, netdev_del): ${fmt(off)}`);
    client.close();
  } finally {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  }
}

await main();
