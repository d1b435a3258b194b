// Benchmarks the Windows profile with its stand-in guest (Debian under Secure Boot, QEMU under TCG): cold boot to GUEST_READY, a command through qemu-ga, suspend, resume, a clean stop through the agent.
import { runCli, startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../test/support/runtime-process.js';
import { provisionWithSecureBootGuest } from '../test/support/secure-boot-guest.js';
import { killQemusUnder } from '../test/support/vm-support.js';

const ARGS = ['--set', 'vm.accel=tcg', '--set', 'vm.guestReadyTimeoutMs=600000'];
const LONG_MS = 600_000;
const EXEC_RUNS = 10;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function cli(dir: string, ...args: string[]): Promise<void> {
  const result = await runCli(['--data', dir, ...args], { timeoutMs: LONG_MS });
  if (result.code !== 0) throw new Error(`rayos ${args.join(' ')}: ${result.stderr}`);
}

/** Wall time of `step`, then of waiting for `marker` from where the runtime's output stood before it. */
async function timed(runtime: RuntimeProcess, step: () => Promise<unknown>, marker: string | RegExp): Promise<number> {
  const from = runtime.lines.length;
  const began = performance.now();
  await step();
  await runtime.waitFor(marker, LONG_MS, from);
  return performance.now() - began;
}

async function main(): Promise<void> {
  console.log(`RayOS Windows-profile benchmark (node ${process.versions.node}, ${new Date().toISOString()}): Debian's signed shim + grub + kernel, 4096 MiB, 2 vCPUs, TCG`);
  const { dir, cleanup } = tempDataDir('rayos-winb-');
  let runtime = startRuntime(dir, ARGS);
  try {
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    const began = performance.now();
    await provisionWithSecureBootGuest(dir, (line) => console.log(`  guest disk: ${line}`));
    console.log(`provision + guest disk (cached after the first run): ${seconds(performance.now() - began)}`);
    console.log(`cold boot (firmware, shim, grub, kernel, systemd) to RAYOS_WINDOWS:GUEST_READY: ${seconds(await timed(runtime, () => cli(dir, 'vm', 'start', 'windows'), 'RAYOS_WINDOWS:GUEST_READY'))}`);
    const exec: number[] = [];
    for (let i = 0; i < EXEC_RUNS; i++) {
      const at = performance.now();
      await cli(dir, 'vm', 'exec', 'windows', '--', 'true');
      exec.push(performance.now() - at);
    }
    exec.sort((a, b) => a - b);
    console.log(`rayos vm exec windows -- true (CLI + API + guest-exec + status polls): median ${exec[EXEC_RUNS >> 1]!.toFixed(0)} ms of ${EXEC_RUNS}`);
    const stopping = runtime.lines.length;
    const suspendBegan = performance.now();
    await stopRuntime(runtime);
    if (!runtime.lines.slice(stopping).some((line) => line.startsWith('RAYOS_VM:SUSPENDED:windows'))) throw new Error('the runtime stopped without suspending the VM');
    console.log(`RayOS stop with the VM suspended (RAM + TPM state into vars.qcow2): ${seconds(performance.now() - suspendBegan)}`);
    const resumeBegan = performance.now();
    runtime = startRuntime(dir, ARGS);
    await runtime.waitFor('RAYOS_VM:RESUMED:windows', LONG_MS);
    const resumed = performance.now() - resumeBegan;
    await runtime.waitFor('RAYOS_WINDOWS:GUEST_READY', LONG_MS);
    console.log(`RayOS start to RAYOS_VM:RESUMED: ${seconds(resumed)}; to GUEST_READY: ${seconds(performance.now() - resumeBegan)}`);
    console.log(`rayos vm stop windows (guest-shutdown through qemu-ga): ${seconds(await timed(runtime, () => cli(dir, 'vm', 'stop', 'windows'), 'RAYOS_VM:STOPPED:windows'))}`);
  } finally {
    await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  }
}

await main();
