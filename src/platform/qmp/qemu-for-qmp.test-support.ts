// Owns starting a small real QEMU (TCG, paused, one blank qcow2 disk, two QMP sockets) for QMP tests and the QMP bench, and killing it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface QmpTestQemu {
  readonly pid: number;
  readonly dir: string;
  /** Two sockets, as the supervisor starts VMs: QEMU serves one client per socket. */
  readonly qmpPath: string;
  readonly spareQmpPath: string;
  /** The qcow2 block node snapshot jobs name. */
  readonly diskNode: string;
  /** Resolves with the exit code or signal once QEMU is gone. */
  readonly exited: Promise<number | string>;
  /** What QEMU wrote to stderr so far (for assertion messages). */
  stderr(): string;
  /** SIGKILL and remove the temp dir; safe to call twice and after QEMU exited on its own. */
  kill(): Promise<void>;
}

/** Starts qemu-system-x86_64 -accel tcg -S; the QMP sockets appear shortly after (connect with waitForSocketMs). */
export function startQemuForQmp(prefix = 'rayos-qmp-qemu-'): QmpTestQemu {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const disk = join(dir, 'disk0.qcow2');
  const made = spawnSync('qemu-img', ['create', '-f', 'qcow2', disk, '16M'], { encoding: 'utf8' });
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`qemu-img create failed: ${made.stderr || made.error?.message}`);
  }
  const qmpPath = join(dir, 'qmp.sock');
  const spareQmpPath = join(dir, 'qmp2.sock');
  // -nodefaults and -S keep it cheap: no devices beyond the disk, and no guest code runs until cont.
  const child = spawn(
    'qemu-system-x86_64',
    [
      '-accel', 'tcg',
      '-machine', 'q35',
      '-m', '64',
      '-nodefaults',
      '-no-user-config',
      '-display', 'none',
      '-S',
      '-qmp', `unix:${qmpPath},server=on,wait=off`,
      '-qmp', `unix:${spareQmpPath},server=on,wait=off`,
      '-blockdev', `driver=file,filename=${disk},node-name=disk0-file`,
      '-blockdev', 'driver=qcow2,file=disk0-file,node-name=disk0',
      '-device', 'virtio-blk-pci,drive=disk0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => resolve(error.message));
  });
  const pid = child.pid ?? -1;
  let killed = false;
  return {
    pid,
    dir,
    qmpPath,
    spareQmpPath,
    diskNode: 'disk0',
    exited,
    stderr: () => stderr,
    kill: async () => {
      if (killed) return;
      killed = true;
      if (child.exitCode === null && child.signalCode === null && pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
