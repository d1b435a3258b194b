// Benchmarks the installable RayOS: image build time and sizes, install time (host and in the installer under TCG), and UEFI → READY for the recovery initramfs and the installed system.
import { statSync } from 'node:fs';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blankDisk, buildTestMedium, runImageProgram } from '../test/support/image-fixture.js';
import { startUefiMachine } from '../test/support/uefi-machine.js';

const MIB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'rayos-image-bench-'));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const sizes = (path: string): string => {
  const info = statSync(path);
  return `${Math.round(info.size / MIB)} MiB (${Math.round((info.blocks * 512) / MIB)} MiB allocated)`;
};

interface Timed {
  readonly firmwareToKernel: number;
  readonly toMarker: number;
  readonly log: string;
}

async function timeToMarker(disks: string[], name: string, marker: string): Promise<Timed> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const began = performance.now();
  const machine = await startUefiMachine({ disks, workDir: dir });
  try {
    await machine.waitFor('Linux version', 300_000);
    const kernel = performance.now() - began;
    await machine.waitFor(marker, 600_000);
    const toMarker = performance.now() - began;
    // The runtime's ready line (stderr, to the console) comes just after the marker.
    await machine.waitFor(/ms since its process started\)/, 60_000).catch(() => undefined);
    return { firmwareToKernel: kernel, toMarker, log: machine.log() };
  } finally {
    await machine.stop();
  }
}

/** Where an installed boot's time goes, from the kernel's clock on the console and the runtime's ready line. */
function readyBreakdown(timed: Timed): string {
  const ready = /\[\s*([\d.]+)\][^\n]*RAYOS_BOOT_MARKER:READY/.exec(timed.log);
  const line = /is ready in (\d+) ms \((\d+) ms since its process started\)/.exec(timed.log);
  if (!ready?.[1] || !line?.[1] || !line[2]) return 'breakdown: not found on the console';
  const readyAt = Number(ready[1]) * 1000;
  const services = Number(line[1]);
  const process = Number(line[2]);
  return [
    `firmware ${seconds(timed.firmwareToKernel)}`,
    `kernel + systemd until RayOS starts ${seconds(readyAt - process)}`,
    `loading RayOS ${seconds(process - services)}`,
    `its services to READY ${seconds(services)}`,
  ].join(' + ');
}

try {
  const buildBegan = performance.now();
  const medium = await buildTestMedium(join(work, 'medium'), { consoleShell: false, version: 'bench' });
  const buildMs = performance.now() - buildBegan;
  console.log(`image build (root tree from the cache when its packages are unchanged): ${seconds(buildMs)}`);
  console.log(`installer image: ${sizes(medium)}`);

  const target = blankDisk(join(work, 'target.img'));
  const installBegan = performance.now();
  const installed = await runImageProgram(['install', '--medium', medium, '--target', target, '--yes']);
  if (installed.code !== 0) throw new Error(`install failed: ${installed.stderr}`);
  console.log(`install onto a disk image (host, no emulation): ${seconds(performance.now() - installBegan)}; installed disk ${sizes(target)}`);

  const recovery = await timeToMarker([medium], 'recovery', 'RAYOS_RECOVERY:BOOTED');
  console.log(`UEFI → recovery console (TCG): ${seconds(recovery.toMarker)} (firmware → kernel ${seconds(recovery.firmwareToKernel)}) [target < 15 s]`);
  const system = await timeToMarker([target], 'installed', 'RAYOS_BOOT_MARKER:READY');
  console.log(`UEFI → RAYOS_BOOT_MARKER:READY, installed system (TCG): ${seconds(system.toMarker)} (firmware → kernel ${seconds(system.firmwareToKernel)}) [target < 40 s]`);
  console.log(`  ${readyBreakdown(system)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
