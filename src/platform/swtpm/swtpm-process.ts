// Owns the swtpm process of a VM: starting it on an existing TPM state until its control socket answers, stopping it by its pid file, and asking what it supports.
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { processIdentity, type ProcessIdentity } from '../process/process-liveness.js';
import { findExecutable, runCommand } from '../process/run-command.js';
import { checkTpmState, toolMissing } from './tpm-state.js';

export interface StartSwtpmOptions {
  readonly stateDir: string;
  readonly ctrlSocket: string;
  readonly logFile: string;
  readonly pidFile: string;
  /** Until the control socket accepts a connection. Default 10 s (it takes a few ms). */
  readonly deadlineMs?: number;
  /** PATH-style list to find swtpm in; default the process PATH. */
  readonly searchPath?: string;
}

export interface SwtpmProcess {
  readonly pid: number;
  readonly identity: ProcessIdentity;
  readonly ctrlSocket: string;
}

/** Linux's sun_path is 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;
const POLL_MS = 20;
const LOG_TAIL_CHARS = 600;

/**
 * `swtpm socket --tpm2` with only a control channel: QEMU's tpm-emulator connects to it and hands swtpm the data
 * channel itself. `--daemon` returns once the control socket is bound (a bind failure is its exit status), with
 * stdio on /dev/null, so it outlives the runtime as QEMU does. `--terminate` (checked with QEMU 7.2 and swtpm 0.7.1):
 * a QEMU that quits cleanly ends swtpm either way, but after QEMU is killed only --terminate ends it (the data
 * channel drops); without it a stale swtpm would linger beside the next one on the same state.
 * Note: swtpm takes its state lock only when QEMU initialises the TPM, not at start, so a second swtpm on the same
 * directory starts without complaint; callers stop the old one (stopSwtpm) before starting another.
 */
export function swtpmArgs(options: Pick<StartSwtpmOptions, 'stateDir' | 'ctrlSocket' | 'logFile' | 'pidFile'>): string[] {
  return [
    'socket',
    '--tpm2',
    '--tpmstate', `dir=${options.stateDir},mode=0600`,
    '--ctrl', `type=unixio,path=${options.ctrlSocket},mode=0600`,
    '--log', `file=${options.logFile},level=1`,
    '--pid', `file=${options.pidFile}`,
    '--daemon',
    '--terminate',
  ];
}

/** Starts swtpm on a state that checkTpmState finds ok (never on a missing or corrupt one: swtpm would start a blank TPM). */
export async function startSwtpm(options: StartSwtpmOptions): Promise<Result<SwtpmProcess, RayosError>> {
  const deadlineMs = options.deadlineMs ?? 10_000;
  const started = performance.now();
  const fail = (why: string) => rayosError('RAYOS_TPM_START_FAILED', `swtpm for ${options.stateDir} did not start: ${why}.`, { stateDir: options.stateDir, logFile: options.logFile });
  // swtpm's option syntax has no escape for a comma, and Linux cannot bind a longer socket path.
  const withComma = [options.stateDir, options.ctrlSocket, options.logFile, options.pidFile].find((p) => p.includes(','));
  if (withComma !== undefined) return err(fail(`the path ${withComma} holds a comma, which swtpm's options cannot carry; use a data or storage directory without one`));
  if (Buffer.byteLength(options.ctrlSocket) > MAX_SOCKET_PATH) return err(fail(`the socket path ${options.ctrlSocket} is over ${MAX_SOCKET_PATH} bytes; use a shorter data or storage directory`));

  const swtpm = await findExecutable('swtpm', options.searchPath);
  if (swtpm === null) return err(toolMissing('swtpm'));
  const state = await checkTpmState(options.stateDir);
  if (state.status !== 'ok') return err(stateError(options.stateDir, state.status, state.detail));

  // A pid file left by an earlier swtpm must not be taken for the new one's.
  await rm(options.pidFile, { force: true });
  const launch = await runCommand([swtpm, ...swtpmArgs(options)], { deadlineMs, maxOutputBytes: 64 * 1024 });
  if (launch.code !== 0) {
    const why = launch.timedOut ? `it did not daemonize within ${deadlineMs} ms` : (launch.errorMessage ?? `exit ${String(launch.code ?? launch.signal)}`);
    return err(fail(`${why}${await said(options.logFile, launch.stderr)}`));
  }
  let pid: number | null = null;
  while (performance.now() - started < deadlineMs) {
    pid ??= await readPid(options.pidFile);
    if (pid !== null && (await accepts(options.ctrlSocket))) {
      const identity = processIdentity(pid);
      if (identity !== null) return ok({ pid, identity, ctrlSocket: options.ctrlSocket });
      return err(fail(`it exited right after starting${await said(options.logFile, launch.stderr)}`));
    }
    await sleep(POLL_MS);
  }
  if (pid !== null) killIfSwtpm(pid, options.stateDir, 'SIGKILL');
  return err(fail(`its control socket ${options.ctrlSocket} did not accept a connection within ${deadlineMs} ms${pid === null ? ' (it wrote no pid file)' : ''}${await said(options.logFile, launch.stderr)}`));
}

export interface StopSwtpmOptions {
  readonly pidFile: string;
  /** The state directory it was started on: a pid that now belongs to another process is left alone. */
  readonly stateDir: string;
  /** After SIGTERM, how long before SIGKILL; default 3 s. */
  readonly deadlineMs?: number;
}

/** Ends the swtpm named by the pid file, and only it. stopped: false when none of ours was running. */
export async function stopSwtpm(options: StopSwtpmOptions): Promise<{ stopped: boolean }> {
  const pid = await readPid(options.pidFile);
  if (pid === null || !killIfSwtpm(pid, options.stateDir, 'SIGTERM')) return { stopped: false };
  const deadline = performance.now() + (options.deadlineMs ?? 3000);
  // A zombie counts as gone: its parent (init here, since it daemonized) reaps it when it will.
  while (processIdentity(pid) !== null) {
    if (performance.now() > deadline) {
      killIfSwtpm(pid, options.stateDir, 'SIGKILL');
      break;
    }
    await sleep(POLL_MS);
  }
  return { stopped: true };
}

export interface SwtpmCapabilities {
  /** Where swtpm runs from; null when it is not installed. */
  readonly path: string | null;
  readonly tpm2: boolean;
  readonly version: string | null;
  /** Why tpm2 is false when swtpm exists: its answer, or that it gave none. */
  readonly problem?: string;
}

const CapabilitiesSchema = z.object({ type: z.string().optional(), features: z.array(z.string()), version: z.string().optional() });

/** `swtpm socket --tpm2 --print-capabilities`: JSON whose features include "tpm-2.0" when libtpms offers TPM 2.0. */
export async function probeSwtpmCapabilities(options: { searchPath?: string; deadlineMs: number }): Promise<SwtpmCapabilities> {
  const path = await findExecutable('swtpm', options.searchPath);
  if (path === null) return { path, tpm2: false, version: null };
  const result = await runCommand([path, 'socket', '--tpm2', '--print-capabilities'], { deadlineMs: options.deadlineMs, maxOutputBytes: 64 * 1024 });
  if (result.code !== 0) {
    const why = result.timedOut ? `no answer within ${options.deadlineMs} ms` : (result.errorMessage ?? `exit ${String(result.code ?? result.signal)}`);
    return { path, tpm2: false, version: null, problem: `swtpm socket --tpm2 --print-capabilities failed: ${why}` };
  }
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(result.stdout);
  } catch {
    untrusted = undefined;
  }
  const parsed = CapabilitiesSchema.safeParse(untrusted);
  if (!parsed.success) return { path, tpm2: false, version: null, problem: 'swtpm --print-capabilities printed no JSON this version of RayOS can read' };
  const version = parsed.data.version?.replace(/[^\w.+~-]/g, '').slice(0, 32) ?? null;
  const tpm2 = parsed.data.features.includes('tpm-2.0');
  return tpm2 ? { path, tpm2, version } : { path, tpm2, version, problem: 'its features do not include tpm-2.0 (libtpms built without TPM 2.0)' };
}

async function readPid(pidFile: string): Promise<number | null> {
  let untrustedText: string;
  try {
    untrustedText = await readFile(pidFile, 'utf8');
  } catch {
    return null;
  }
  const trimmed = untrustedText.trim();
  return /^[1-9]\d{0,9}$/.test(trimmed) ? Number(trimmed) : null;
}

/** Signals pid only while it is a live swtpm started on stateDir (pids get reused); true when it was signalled. */
function killIfSwtpm(pid: number, stateDir: string, signal: NodeJS.Signals): boolean {
  if (processIdentity(pid) === null) return false;
  let untrustedArgv: string[];
  try {
    untrustedArgv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const ours = basename(untrustedArgv[0] ?? '') === 'swtpm' && untrustedArgv.some((arg) => arg === `dir=${stateDir}` || arg.startsWith(`dir=${stateDir},`));
  if (!ours) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Connects and hangs up at once (swtpm keeps serving the control channel for the next client, QEMU). */
function accepts(socketPath: string): Promise<boolean> {
  return new Promise((settle) => {
    const socket = createConnection({ path: socketPath });
    socket.once('connect', () => {
      socket.destroy();
      settle(true);
    });
    socket.once('error', () => {
      socket.destroy();
      settle(false);
    });
  });
}

/** "; its log says: …" from swtpm's log file (where it writes its errors once --log is given) and stderr. */
async function said(logFile: string, stderr: string): Promise<string> {
  let log = '';
  try {
    log = await readFile(logFile, 'utf8');
  } catch {
    /* no log yet */
  }
  const text = `${log}\n${stderr}`.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim().slice(-LOG_TAIL_CHARS);
  return text === '' ? '' : `; it said: ${text}`;
}

function stateError(stateDir: string, status: 'missing' | 'corrupt', detail: string): RayosError {
  const keep = 'RayOS does not start the VM on a new, empty TPM: Windows keeps BitLocker keys and its activation in this one';
  if (status === 'missing') {
    return rayosError('RAYOS_TPM_STATE_MISSING', `The VM's TPM state is missing (${detail}). ${keep}. Restore ${stateDir} from a backup, or reattach the disk it is on, and start the VM again.`, { stateDir });
  }
  return rayosError(
    'RAYOS_TPM_STATE_CORRUPT',
    `The VM's TPM state cannot be used (${detail}). ${keep}. Restore ${stateDir} from a backup; if there is none, the VM can only be made again, and BitLocker-protected data in it then needs its recovery key.`,
    { stateDir },
  );
}
