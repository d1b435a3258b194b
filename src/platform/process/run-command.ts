// Owns running a program by argv (never a shell) under a hard deadline, with capped output capture, and finding programs on a PATH.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export type RunCommandError = 'not-found' | 'not-executable' | 'spawn-failed';

export interface RunCommandOptions {
  /** Hard limit: at expiry the whole process group gets SIGKILL and the result says timedOut. */
  readonly deadlineMs: number;
  /** Per stream; the rest is dropped and `truncated` is set. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** A file the command reads as its standard input (else it gets none). */
  readonly stdinFile?: string;
  /** Looked at after every chunk of output; returning true kills the command at once (stopped: true). */
  readonly stopWhen?: (untrustedStdout: string, untrustedStderr: string) => boolean;
}

export interface RunCommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Output is whatever the program wrote: untrusted until a caller validates it. */
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly stopped: boolean;
  readonly truncated: boolean;
  readonly durationMs: number;
  readonly error?: RunCommandError;
  readonly errorMessage?: string;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** After a kill (or an exit whose pipes stay open in a grandchild), how long to wait for the pipes before resolving anyway. */
const CLOSE_GRACE_MS = 300;

// Process groups still running, killed if this process exits first so no probe outlives RayOS.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) killGroup(group, undefined);
    });
  }
  liveGroups.add(pid);
}

function killGroup(pid: number, child: ChildProcess | undefined): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone or was never ours: fall back to the child alone.
    try {
      child?.kill('SIGKILL');
    } catch {
      /* already dead */
    }
  }
}

/** Runs argv[0] with argv[1..] (no shell); never rejects and always settles within deadlineMs + a short grace. */
export function runCommand(argv: readonly [string, ...string[]], options: RunCommandOptions): Promise<RunCommandResult> {
  const [file, ...args] = argv;
  const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const started = performance.now();
  return new Promise<RunCommandResult>((settle) => {
    let child: ChildProcess;
    try {
      // detached: the command leads its own process group, so a kill reaches anything it started too.
      const stdin = options.stdinFile === undefined ? 'ignore' : openSync(options.stdinFile, 'r');
      try {
        child = spawn(file, args, { stdio: [stdin, 'pipe', 'pipe'], detached: true, env: options.env, cwd: options.cwd });
      } finally {
        // The child has its own copy of the descriptor now.
        if (typeof stdin === 'number') closeSync(stdin);
      }
    } catch (err) {
      settle(failed(err, started));
      return;
    }
    const out = new Capture(cap);
    const errOut = new Capture(cap);
    let timedOut = false;
    let stopped = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let done = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);

    const finish = (extra?: { error: RunCommandError; errorMessage: string }): void => {
      if (done) return;
      done = true;
      clearTimeout(deadlineTimer);
      clearTimeout(graceTimer);
      if (pid !== undefined) liveGroups.delete(pid);
      child.stdout?.destroy();
      child.stderr?.destroy();
      // A child we could not reap (stuck in the kernel) must not keep this process alive.
      child.unref();
      settle({
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: out.text(),
        stderr: errOut.text(),
        timedOut,
        stopped,
        truncated: out.truncated || errOut.truncated,
        durationMs: Math.round(performance.now() - started),
        ...(extra ?? {}),
      });
    };
    const kill = (): void => {
      if (pid !== undefined) killGroup(pid, child);
      graceTimer ??= setTimeout(() => finish(), CLOSE_GRACE_MS);
    };
    const deadlineTimer = setTimeout(() => {
      timedOut = true;
      kill();
    }, Math.max(0, options.deadlineMs));

    const onData = (): void => {
      if (stopped || timedOut || options.stopWhen === undefined) return;
      if (options.stopWhen(out.text(), errOut.text())) {
        stopped = true;
        kill();
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      out.push(chunk);
      onData();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errOut.push(chunk);
      onData();
    });
    child.on('error', (err) => {
      // Spawn failures (ENOENT, EACCES) arrive here with no pid; a failed kill of a running child is not an outcome.
      if (pid === undefined) finish(classify(err));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Pipes held open by a grandchild would delay 'close' forever: give them a moment, then end the group.
      graceTimer ??= setTimeout(() => {
        if (pid !== undefined) killGroup(pid, undefined);
        finish();
      }, CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      finish();
    });
  });
}

function classify(err: unknown): { error: RunCommandError; errorMessage: string } {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const errorMessage = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT') return { error: 'not-found', errorMessage };
  if (code === 'EACCES' || code === 'ENOEXEC') return { error: 'not-executable', errorMessage };
  return { error: 'spawn-failed', errorMessage };
}

function failed(err: unknown, started: number): RunCommandResult {
  return {
    code: null,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    stopped: false,
    truncated: false,
    durationMs: Math.round(performance.now() - started),
    ...classify(err),
  };
}

/** Collects one stream up to a byte cap, decoding UTF-8 incrementally so stopWhen sees text as it arrives. */
class Capture {
  private readonly decoder = new StringDecoder('utf8');
  private bytes = 0;
  private decoded = '';
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    const room = this.cap - this.bytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part !== chunk) this.truncated = true;
    this.bytes += part.length;
    this.decoded += this.decoder.write(part);
  }
  text(): string {
    return this.decoded;
  }
}

/**
 * Where `name` would run from: a name with a slash is checked as a path, a bare name is looked up in
 * searchPath (PATH syntax; default the process PATH). null when nothing executable is there.
 */
export async function findExecutable(name: string, searchPath: string = process.env['PATH'] ?? ''): Promise<string | null> {
  if (name === '') return null;
  if (name.includes('/')) return (await isExecutableFile(name)) ? resolve(name) : null;
  for (const dir of searchPath.split(delimiter)) {
    // An empty PATH entry means the current directory to a shell; RayOS never runs what happens to be in cwd.
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
