// Owns starting a real RayOS runtime process for integration tests and waiting on its markers (never on sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const DAEMON_MAIN = new URL('../../src/daemon/main.js', import.meta.url).pathname;
export const CLI_MAIN = new URL('../../src/cli/main.js', import.meta.url).pathname;

export interface RuntimeProcess {
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** performance.now() when each line arrived (same index as lines), for benchmarks. */
  readonly arrivals: number[];
  stderr(): string;
  /** Resolves with the first line (already printed or future) that matches; rejects on exit or after timeoutMs. */
  waitFor(pattern: RegExp | string, timeoutMs?: number, fromLine?: number): Promise<string>;
  /** Resolves with the exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

export function tempDataDir(prefix = 'rayos-it-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `main` and `node`: the runtime entry and the node that runs it (the repository's unless a test runs a packaged copy). */
export function startRuntime(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, main = DAEMON_MAIN, node = process.execPath): RuntimeProcess {
  const child = spawn(node, [main, 'run', '--data', dataDir, '--port', '0', ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const arrivals: number[] = [];
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  let errText = '';
  child.stderr?.on('data', (chunk: Buffer) => (errText += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    arrivals.push(performance.now());
    for (const waiter of waiters) if (waiter.test(line)) waiter.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    dataDir,
    lines,
    arrivals,
    stderr: () => errText,
    exited,
    waitFor(pattern, timeoutMs = 20_000, fromLine = 0) {
      const test = (line: string) => (typeof pattern === 'string' ? line === pattern : pattern.test(line));
      const already = lines.slice(fromLine).find(test);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise<string>((resolve, reject) => {
        const waiter = { test, resolve: (line: string) => finish(() => resolve(line)) };
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${errText}`))), timeoutMs);
        void exited.then((code) => finish(() => reject(new Error(`runtime exited (${code}) before ${String(pattern)}; stdout:\n${lines.join('\n')}\nstderr:\n${errText}`))));
        function finish(action: () => void) {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          action();
        }
        waiters.add(waiter);
      });
    },
  };
}

/** Boots a runtime and resolves once RAYOS_BOOT_MARKER:READY is printed. */
export async function startReadyRuntime(dataDir: string, extraArgs: string[] = []): Promise<RuntimeProcess> {
  const runtime = startRuntime(dataDir, extraArgs);
  await runtime.waitFor('RAYOS_BOOT_MARKER:READY');
  return runtime;
}

export async function stopRuntime(runtime: RuntimeProcess): Promise<number | null> {
  if (runtime.child.exitCode === null && runtime.child.signalCode === null) runtime.child.kill('SIGINT');
  return runtime.exited;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI as another process would: `rayos ARGS`. */
export function runCli(args: string[], options: { timeoutMs?: number; main?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.main ?? CLI_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rayos ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
