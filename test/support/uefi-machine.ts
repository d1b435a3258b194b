// Owns the UEFI test machine for the installed-system tests: QEMU (TCG) with OVMF, the given disks, an i6300esb watchdog, and its serial console as a log and a shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

export interface UefiMachineOptions {
  /** Raw disk images, attached as virtio disks in this order (the firmware tries them in order). */
  readonly disks: readonly string[];
  /** Directory for the firmware variables copy, the serial socket and its log. */
  readonly workDir: string;
  readonly memoryMiB?: number;
}

export interface UefiMachine {
  /** Everything the serial console printed so far (all boots of this machine). */
  log(): string;
  /** Where the log ends now: pass it to waitFor to wait only for what comes after. */
  mark(): number;
  /** Waits for a pattern in the log after `from`; returns its match and the offset just after it. */
  waitFor(pattern: RegExp | string, timeoutMs: number, from?: number): Promise<{ text: string; end: number }>;
  /** Runs a command in the serial console's root shell (console-shell images) and returns its output and status. */
  shell(command: string, timeoutMs?: number): Promise<{ output: string; status: number }>;
  /** Types a line on the serial console (for prompts that are not a shell). */
  type(line: string): void;
  readonly serialLogPath: string;
  exited(): boolean;
  /** Kills QEMU (the disks keep whatever was written). */
  stop(): Promise<void>;
}

/**
 * A reset of the guest (a reboot, the watchdog) ends QEMU (`-action reboot=shutdown`) and the machine is powered on
 * again with the same disks and firmware variables: a cold power cycle. Under TCG, OVMF now and then never came back
 * from a warm reset (nothing on the console for minutes after the kernel's "reboot: machine restart", the watchdog
 * already disarmed by the reset), an emulator stall the tests must not mistake for RayOS's. A power cycle is a reboot
 * real machines see as well; what RayOS keeps across one (disk, EFI variables, pstore in them) is all on files here.
 */
export async function startUefiMachine(options: UefiMachineOptions): Promise<UefiMachine> {
  const vars = join(options.workDir, 'OVMF_VARS.fd');
  if (!existsSync(vars)) copyFileSync(OVMF_VARS, vars);
  const socketPath = join(options.workDir, 'serial.sock');
  const serialLogPath = join(options.workDir, 'serial.log');
  const args = [
    '-machine', 'q35', '-accel', 'tcg', '-m', String(options.memoryMiB ?? 2048), '-smp', '2',
    '-drive', `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`,
    '-drive', `if=pflash,format=raw,file=${vars}`,
    ...options.disks.flatMap((disk) => ['-drive', `file=${disk},format=raw,if=virtio`]),
    '-device', 'i6300esb', '-action', 'watchdog=reset', '-action', 'reboot=shutdown',
    '-display', 'none', '-monitor', 'none', '-nodefaults', '-vga', 'std',
    '-chardev', `socket,id=ser0,path=${socketPath},server=on,wait=on,logfile=${serialLogPath},logappend=on`, '-serial', 'chardev:ser0',
  ];
  let text = '';
  let qemuErr = '';
  let stopping = false;
  /** Why the machine is gone for good (QEMU failed or was stopped); null while it runs or restarts. */
  let gone: string | null = null;
  const waiters = new Set<() => void>();
  const wakeAll = (): void => {
    for (const wake of waiters) wake();
  };
  let qemu: ChildProcess | null = null;
  let serial: Socket | null = null;

  const powerOn = async (): Promise<void> => {
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    qemu = child;
    child.stderr?.on('data', (chunk: Buffer) => (qemuErr += chunk.toString('utf8')));
    let socket: Socket | null = null;
    for (let i = 0; i < 100 && socket === null; i++) {
      if (child.exitCode !== null) throw new Error(`qemu exited at start (${child.exitCode}): ${qemuErr}`);
      socket = await new Promise<Socket | null>((resolve) => {
        const s = connect(socketPath);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(null));
      });
      if (socket === null) await sleep(100);
    }
    if (socket === null) throw new Error(`cannot connect to the serial console ${socketPath}: ${qemuErr}`);
    const console_ = socket;
    serial = console_;
    // A line typed while the machine power-cycles goes nowhere, as on a real console; it must not end the test run.
    console_.on('error', () => undefined);
    console_.on('data', (chunk: Buffer) => {
      const piece = chunk.toString('latin1');
      // busybox's line editor asks the terminal where the cursor is (ESC[6n) and waits: answer like a terminal would.
      if (piece.includes('\x1b[6n')) console_.write('\x1b[1;1R');
      text += piece;
      wakeAll();
    });
    child.once('exit', (code, signal) => {
      console_.destroy();
      if (stopping) gone = 'stopped';
      else if (code === 0 && signal === null) {
        // The guest reset: power on again (see above).
        powerOn().catch((error: unknown) => {
          gone = `qemu did not start again after a reset: ${(error as Error).message}`;
          wakeAll();
        });
      } else gone = `qemu exited (${code ?? signal ?? '?'}): ${qemuErr.slice(-2000)}`;
      wakeAll();
    });
  };
  await powerOn();

  let sequence = 0;

  const waitFor = (pattern: RegExp | string, timeoutMs: number, from = 0): Promise<{ text: string; end: number }> =>
    new Promise((resolve, reject) => {
      const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
      const check = (): boolean => {
        const found = regex.exec(text.slice(from));
        if (found === null) {
          if (gone === null) return false;
          finish();
          reject(new Error(`the machine is gone (${gone}) while waiting for ${regex}; last output:\n${text.slice(-3000)}`));
          return true;
        }
        finish();
        resolve({ text: found[0], end: from + found.index + found[0].length });
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${regex} on the serial console; last output:\n${text.slice(-3000)}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (check()) return;
      waiters.add(wake);
    });

  return {
    serialLogPath,
    log: () => text,
    mark: () => text.length,
    waitFor,
    type: (line) => void serial?.write(`${line}\n`),
    exited: () => gone !== null,
    async shell(command, timeoutMs = 60_000) {
      sequence += 1;
      const from = text.length;
      // printf assembles the markers, so the echoed command line never matches them.
      serial?.write(`printf '%s_%s\\n' __RAYOS_BEGIN ${sequence}; ${command}; printf '%s_%s_%s\\n' __RAYOS_END ${sequence} $?\n`);
      const begin = await waitFor(new RegExp(`__RAYOS_BEGIN_${sequence}\\r?\\n`), timeoutMs, from);
      const end = await waitFor(new RegExp(`__RAYOS_END_${sequence}_(\\d+)`), timeoutMs, begin.end);
      const status = Number(/_(\d+)$/.exec(end.text)?.[1] ?? '255');
      const output = text.slice(begin.end, end.end - end.text.length).replace(/\r/g, '');
      return { output, status };
    },
    async stop() {
      stopping = true;
      serial?.destroy();
      const child = qemu;
      if (child !== null && child.exitCode === null && child.signalCode === null) {
        const ended = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await ended;
      }
    },
  };
}
