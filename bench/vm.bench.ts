// Benchmarks the Linux subsystem under the real runtime: cold boot and resume to GUEST_READY, suspend, reattach; medians of several runs.
import { killQemusUnder, startRuntimeWithGuest } from '../test/support/vm-support.js';
import { runCli, startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../test/support/runtime-process.js';

const RUNS = 5;
const BOOT_MS = 300_000;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const fmt = (values: number[]): string => `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;

/** Time from when the runtime printed `from` (at or after line index `after`) to when it printed `to`. */
async function between(runtime: RuntimeProcess, from: RegExp | string, to: RegExp | string, after: number): Promise<number> {
  const fromLine = await runtime.waitFor(from, BOOT_MS, after);
  const fromIndex = runtime.lines.indexOf(fromLine, after);
  const toLine = await runtime.waitFor(to, BOOT_MS, fromIndex);
  return runtime.arrivals[runtime.lines.indexOf(toLine, fromIndex)]! - runtime.arrivals[fromIndex]!;
}

async function cli(dir: string, ...args: string[]): Promise<void> {
  const result = await runCli(['--data', dir, ...args], { timeoutMs: BOOT_MS });
  if (result.code !== 0) throw new Error(`rayos ${args.join(' ')}: ${result.stderr}`);
}

async function main(): Promise<void> {
  console.log(`RayOS VM benchmark (node ${process.versions.node}, ${new Date().toISOString()}): the default Linux guest, ${RUNS} runs each`);
  const { dir, cleanup } = tempDataDir('rayos-vmb-');
  let runtime: RuntimeProcess | null = null;
  try {
    const booted = await startRuntimeWithGuest(dir, BOOT_MS);
    runtime = booted.runtime;
    console.log(`accelerator: ${booted.accel}`);

    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await cli(dir, 'vm', 'stop', 'linux', '--force');
      const at = runtime.lines.length;
      await cli(dir, 'vm', 'start', 'linux');
      cold.push(await between(runtime, 'RAYOS_VM:STARTING:linux', 'RAYOS_LINUX:GUEST_READY', at));
    }
    console.log(`cold boot to GUEST_READY: ${fmt(cold)}`);

    const suspend: number[] = [];
    const resume: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const at = runtime.lines.length;
      await cli(dir, 'vm', 'suspend', 'linux');
      suspend.push(await between(runtime, 'RAYOS_VM:SUSPENDING:linux', /^RAYOS_VM:SUSPENDED:linux:/, at));
      const resumeAt = runtime.lines.length;
      await cli(dir, 'vm', 'resume', 'linux');
      resume.push(await between(runtime, /^RAYOS_VM:RESUMING:linux:/, 'RAYOS_LINUX:GUEST_READY', resumeAt));
    }
    console.log(`suspend (save state into the disk, QEMU exits): ${fmt(suspend)}`);
    console.log(`resume from saved state to GUEST_READY: ${fmt(resume)} [target < 1500 ms]`);
    console.log(`resume / cold boot: ${(median(resume) / median(cold)).toFixed(3)} [target < 0.15]`);

    const reattach: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      runtime.child.kill('SIGKILL');
      await runtime.exited;
      runtime = startRuntime(dir);
      reattach.push(await between(runtime, /^RAYOS_VM:ACCEL:/, /^RAYOS_VM:REATTACHED:linux:/, 0));
      await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    }
    console.log(`reattach after kill -9 of the runtime (pid, config hash, QMP): ${fmt(reattach)} [target < 300 ms]`);
    console.log('QMP round-trip p50/p99: see "node dist/bench/qmp.bench.js" (printed by ./rayos bench)');
  } finally {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  }
}

await main();
