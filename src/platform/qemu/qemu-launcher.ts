// Owns starting QEMU as a daemon that outlives the runtime, proving later that a pid is still that QEMU, and killing it.
import { readFile } from 'node:fs/promises';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { processIdentity } from '../process/process-liveness.js';
import { findExecutable, runCommand } from '../process/run-command.js';
import { buildQemuArgv, configHash } from './qemu-argv.js';
import { parseQemuVmSpec, type QemuVmSpec } from './vm-spec.js';

export const DEFAULT_QEMU_BINARY = 'qemu-system-x86_64';
/** QEMU's parent exits once init is done; that takes well under a second, but a loaded machine may be slow. */
export const DEFAULT_LAUNCH_TIMEOUT_MS = 30_000;
const MAX_ERROR_CHARS = 2000;

export interface LaunchOptions {
  /** A name looked up on PATH, or a path. Default qemu-system-x86_64. */
  readonly qemuBinary?: string;
  /** How long QEMU may take to finish its init; after that the daemon is killed. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface QemuInstance {
  readonly pid: number;
  /** Start time of the process in clock ticks since boot: with the pid, identifies this one process. */
  readonly startTicks: number;
  /** configHash of `argv`, which is what /proc/PID/cmdline holds after the program. */
  readonly configHash: string;
  /** QEMU's arguments, without the program. */
  readonly argv: readonly string[];
  /** The absolute path of the QEMU program that was run. */
  readonly program: string;
  readonly qmpSocketPaths: readonly [string, string];
  /** ISO 8601. */
  readonly launchedAt: string;
}

/**
 * Starts QEMU with -daemonize: it double-forks into its own session, so it is never this process's
 * child and keeps running when the runtime exits. QEMU's parent exits only after the daemon finished
 * its init, so a zero exit means the VM exists and a nonzero one carries QEMU's reason on stderr.
 */
export async function launchQemu(spec: QemuVmSpec, options: LaunchOptions = {}): Promise<Result<QemuInstance, RayosError>> {
  // Checked again here: a spec built from a registry row is only as good as that row.
  const parsed = parseQemuVmSpec(spec);
  if (!parsed.ok) return parsed;
  const valid = parsed.value;
  const failed = (why: string, details?: Record<string, unknown>): Result<QemuInstance, RayosError> =>
    err(rayosError('RAYOS_VM_LAUNCH_FAILED', `${valid.name}: QEMU could not be started: ${why}`, details));

  const binaryName = options.qemuBinary ?? DEFAULT_QEMU_BINARY;
  const program = await findExecutable(binaryName);
  if (program === null) return failed(`${binaryName} was not found or is not executable. Install QEMU (apt-get install qemu-system-x86) or fix the configured binary.`);

  const argv = buildQemuArgv(valid);
  const hash = configHash(argv);
  const timeoutMs = options.timeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  const launchedAt = new Date().toISOString();
  const result = await runCommand([program, ...argv], { deadlineMs: timeoutMs, maxOutputBytes: 64 * 1024 });

  if (result.error !== undefined) return failed(`${program} could not be run (${result.errorMessage ?? result.error}).`);
  if (result.timedOut) {
    // The daemon is in its own session, out of reach of runCommand's group kill: find it by its pidfile.
    const pid = await readPidFile(valid.pidFilePath);
    const seen = pid === null ? null : await inspectQemuProcess(pid, hash);
    if (pid !== null && seen?.matches === true && seen.startTicks !== undefined) await killQemu(pid, seen.startTicks);
    return failed(`it did not finish starting within ${timeoutMs} ms and was stopped. The machine may be overloaded; try again.`);
  }
  if (result.code !== 0) {
    const reason = await explainFailure(result.stderr, valid.logPath);
    // QEMU locks its pid file, so a second QEMU of the same VM fails here before touching the first one's sockets.
    const hint = /Cannot lock pid file/i.test(reason)
      ? 'Another QEMU of this VM is still running; stop it or reattach to it first.'
      : "Check the VM's disks, firmware and kernel paths.";
    return failed(`${reason || `it exited with ${result.signal ?? `code ${String(result.code)}`} and gave no reason`}. ${hint}`, {
      exitCode: result.code,
      stderr: result.stderr.slice(0, MAX_ERROR_CHARS),
    });
  }

  const pid = await readPidFile(valid.pidFilePath);
  if (pid === null) return failed(`it reported success but its pid file ${valid.pidFilePath} holds no pid.`);
  const seen = await inspectQemuProcess(pid, hash);
  if (!seen.alive || seen.startTicks === undefined) {
    const reason = await explainFailure('', valid.logPath);
    return failed(`it started (pid ${pid}) but exited at once${reason ? `: ${reason}` : ''}.`);
  }
  if (!seen.matches) return failed(`pid ${pid} from ${valid.pidFilePath} is not the QEMU just started (${seen.reason ?? 'different command line'}).`);
  return ok({ pid, startTicks: seen.startTicks, configHash: hash, argv, program, qmpSocketPaths: valid.qmpSocketPaths, launchedAt });
}

export type InspectReason = 'not-running' | 'start-ticks-differ' | 'cmdline-unreadable' | 'config-differs';

export interface QemuProcessInspection {
  /** A live process has this pid (a zombie is dead). */
  readonly alive: boolean;
  /** It is alive, started at expectedStartTicks (when given) and runs exactly the arguments hashed to expectedHash. */
  readonly matches: boolean;
  /** Why matches is false. */
  readonly reason?: InspectReason;
  readonly startTicks?: number;
}

/**
 * How a restarted runtime proves that a pid is still the QEMU it launched with that config:
 * the start ticks rule out pid reuse, the hash of /proc/PID/cmdline rules out another program or config.
 */
export async function inspectQemuProcess(pid: number, expectedHash: string, expectedStartTicks?: number): Promise<QemuProcessInspection> {
  const identity = processIdentity(pid);
  if (identity === null) return { alive: false, matches: false, reason: 'not-running' };
  const { startTicks } = identity;
  if (expectedStartTicks !== undefined && startTicks !== expectedStartTicks) return { alive: true, matches: false, reason: 'start-ticks-differ', startTicks };
  let untrustedCmdline: string;
  try {
    untrustedCmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Gone between the two reads, or not ours to read.
    const still = processIdentity(pid) !== null;
    return { alive: still, matches: false, reason: still ? 'cmdline-unreadable' : 'not-running', ...(still ? { startTicks } : {}) };
  }
  // cmdline is NUL-terminated argv; an exited-but-unreaped process shows an empty one.
  const args = untrustedCmdline.split('\0');
  if (args.at(-1) === '') args.pop();
  if (args.length === 0) return { alive: processIdentity(pid) !== null, matches: false, reason: 'cmdline-unreadable', startTicks };
  const matches = configHash(args.slice(1)) === expectedHash;
  return matches ? { alive: true, matches: true, startTicks } : { alive: true, matches: false, reason: 'config-differs', startTicks };
}

export type KillOutcome =
  /** It was alive, got SIGKILL, and is gone. */
  | 'killed'
  /** Nothing to do: the process had already exited. */
  | 'gone'
  /** The pid now belongs to another process (different start time): left alone. */
  | 'not-ours'
  /** SIGKILL was sent but the process is still there after the wait (stuck in the kernel). */
  | 'stuck';

/** SIGKILL, only while pid and startTicks still name the same process; resolves once it is gone (or timeoutMs passed). */
export async function killQemu(pid: number, startTicks: number, options: { timeoutMs?: number } = {}): Promise<KillOutcome> {
  const before = processIdentity(pid);
  if (before === null) return 'gone';
  if (before.startTicks !== startTicks) return 'not-ours';
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
    return 'stuck';
  }
  // Not our child, so no exit event: poll /proc until it is gone or a zombie waiting for its reaper.
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const now = processIdentity(pid);
    if (now === null || now.startTicks !== startTicks) return 'killed';
    if (Date.now() >= deadline) return 'stuck';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function readPidFile(path: string): Promise<number | null> {
  try {
    const untrustedText = (await readFile(path, 'utf8')).trim();
    if (!/^[1-9][0-9]{0,9}$/.test(untrustedText)) return null;
    return Number(untrustedText);
  } catch {
    return null;
  }
}

/**
 * QEMU's reason, from stderr and from its -D log: with -D, errors found after the log opens
 * (a missing kernel, say) go only to the log, others to both. Lines are de-duplicated.
 */
async function explainFailure(untrustedStderr: string, logPath: string | undefined): Promise<string> {
  let untrustedLog = '';
  if (logPath !== undefined) untrustedLog = await readFile(logPath, 'utf8').catch(() => '');
  const lines: string[] = [];
  for (const line of `${untrustedStderr}\n${untrustedLog.slice(-MAX_ERROR_CHARS)}`.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '' && !lines.includes(trimmed)) lines.push(trimmed);
  }
  return lines.join(' / ').slice(0, MAX_ERROR_CHARS);
}
