// Owns telling systemd about the runtime (sd_notify: READY=1, STATUS=, STOPPING=1, WATCHDOG=1) by running `systemd-notify`, since Node cannot send the datagram itself.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { runCommand, type RunCommandOptions, type RunCommandResult } from '../process/run-command.js';

export type RunNotify = (argv: readonly [string, ...string[]], options: RunCommandOptions) => Promise<RunCommandResult>;

export interface SdNotifierOptions {
  /** The process environment: NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID are read from it and it is passed to systemd-notify. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How a command runs (tests replace it); default runCommand. */
  readonly run?: RunNotify;
  /** The program; default `systemd-notify` from PATH. */
  readonly program?: string;
  /** The main pid the messages name (default this process). */
  readonly pid?: number;
  /** Deadline of one systemd-notify run (it waits for systemd to take the message, up to 5 s by itself). Default 5000. */
  readonly deadlineMs?: number;
}

/** What was told, for messages and markers. */
export type NotifyWhat = 'ready' | 'status' | 'stopping' | 'watchdog';

export interface SdNotifier {
  /** READY=1 (with STATUS= when given): send once every service started. */
  ready(status?: string): Promise<Result<'sent', RayosError>>;
  /** STOPPING=1: the orderly stop began. */
  stopping(status?: string): Promise<Result<'sent', RayosError>>;
  status(text: string): Promise<Result<'sent', RayosError>>;
  /**
   * WATCHDOG=1; 'in-flight' (nothing sent) while the previous ping is still running. With `extendStartMs` (before
   * READY) it also sends EXTEND_TIMEOUT_USEC: systemd's start timeout only runs out when the pings stop.
   */
  watchdogPing(extendStartMs?: number): Promise<Result<'sent' | 'in-flight', RayosError>>;
  /** How often to ping: half of WATCHDOG_USEC when the watchdog is meant for this process, else null. */
  watchdogIntervalMs(): number | null;
}

const DEFAULT_DEADLINE_MS = 5000;
const MAX_STATUS_CHARS = 200;
const USEC = /^[1-9][0-9]{0,15}$/;

/** A STATUS= value on one line (a newline would start another assignment), short. */
export function statusValue(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_STATUS_CHARS);
}

/** Half of WATCHDOG_USEC in ms when the watchdog is ours (WATCHDOG_PID unset or this pid), else null. */
export function watchdogIntervalFrom(env: Readonly<Record<string, string | undefined>>, pid: number): number | null {
  const usec = env['WATCHDOG_USEC'];
  if (usec === undefined || !USEC.test(usec)) return null;
  const watchdogPid = env['WATCHDOG_PID'];
  if (watchdogPid !== undefined && watchdogPid !== '' && watchdogPid !== String(pid)) return null;
  return Math.max(1, Math.floor(Number(usec) / 2000));
}

/** null when not started by systemd with a notify socket: then nothing is ever sent. */
export function createSdNotifier(options: SdNotifierOptions): SdNotifier | null {
  const socket = options.env['NOTIFY_SOCKET'];
  if (socket === undefined || socket === '') return null;
  const run = options.run ?? runCommand;
  const program = options.program ?? 'systemd-notify';
  const pid = options.pid ?? process.pid;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const env: NodeJS.ProcessEnv = { ...options.env };
  const interval = watchdogIntervalFrom(options.env, pid);

  const send = async (what: NotifyWhat, args: string[]): Promise<Result<'sent', RayosError>> => {
    // --pid names the main process (MAINPID=, and the sender credentials where permitted), so systemd files the message under rayos.service even though it comes from a short-lived child.
    const result = await run([program, `--pid=${pid}`, ...args], { deadlineMs, env, maxOutputBytes: 16 * 1024 });
    if (result.code === 0 && !result.timedOut) return ok('sent');
    const why =
      result.error === 'not-found'
        ? `${program} is not installed (it comes with the systemd package)`
        : result.timedOut
          ? `it did not finish within ${deadlineMs} ms`
          : `it exited with ${result.code ?? result.signal ?? result.error ?? 'nothing'}${result.stderr.trim() === '' ? '' : `: ${statusValue(result.stderr)}`}`;
    return err(rayosError('RAYOS_SYSTEMD_NOTIFY_FAILED', `Telling systemd ${what} through ${socket} failed: ${why}. Check that systemd is installed and the unit has NotifyAccess=all.`, { what }));
  };

  let pinging = false;
  return {
    ready: (status) => send('ready', ['--ready', ...(status === undefined ? [] : [`--status=${statusValue(status)}`])]),
    stopping: (status) => send('stopping', ['STOPPING=1', ...(status === undefined ? [] : [`STATUS=${statusValue(status)}`])]),
    status: (text) => send('status', [`--status=${statusValue(text)}`]),
    async watchdogPing(extendStartMs) {
      if (pinging) return ok('in-flight');
      pinging = true;
      try {
        return await send('watchdog', ['WATCHDOG=1', ...(extendStartMs === undefined ? [] : [`EXTEND_TIMEOUT_USEC=${Math.round(extendStartMs * 1000)}`])]);
      } finally {
        pinging = false;
      }
    },
    watchdogIntervalMs: () => interval,
  };
}
