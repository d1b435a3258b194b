// Benchmarks guest networking on demand under the real runtime: network on (hot-plug + eth0 set up) and off (unplug), through the SDK; medians of several runs.
import { clientForDataDir } from '../src/client/api.js';
import { killQemusUnder, startRuntimeWithGuest } from '../test/support/vm-support.js';
import { stopRuntime, tempDataDir, type RuntimeProcess } from '../test/support/runtime-process.js';

const RUNS = 5;
const BOOT_MS = 300_000;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fmt = (values: number[]): string => `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;

async function main(): Promise<void> {
  console.log(`RayOS guest network benchmark (node ${process.versions.node}, ${new Date().toISOString()}): the default Linux guest, ${RUNS} runs each`);
  const { dir, cleanup } = tempDataDir('rayos-netb-');
  let runtime: RuntimeProcess | null = null;
  try {
    const booted = await startRuntimeWithGuest(dir, BOOT_MS);
    runtime = booted.runtime;
    console.log(`accelerator: ${booted.accel}`);
    const client = clientForDataDir(dir);
    // The default policy keeps guest networking off; the benchmark permits it the way a person would.
    const permitted = await client.policy.apply('bench-network', '@id("bench-network")\npermit (principal is Person, action == Action::"vm.network.enable", resource == Vm::"linux");\n');
    if (!permitted.ok) throw new Error(`applying the network policy: ${permitted.error.code}: ${permitted.error.message}`);
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
