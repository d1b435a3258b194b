// Owns finding and running the runtime process (src/daemon/main.js) as a separate program, never as an import.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../base/result.js';

/** The compiled runtime entry beside this CLI (dist/src/daemon/main.js). */
export const DAEMON_ENTRY = fileURLToPath(new URL('../daemon/main.js', import.meta.url));

export function daemonMissingMessage(): string | null {
  return existsSync(DAEMON_ENTRY) ? null : `The RayOS runtime is not built (no ${DAEMON_ENTRY}); build it with "npx tsc -b" or run ./rayos up, which builds first.`;
}

export interface CapturedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the runtime entry with args to completion, capturing its output (for `doctor` when no runtime is up). */
export function runDaemonCaptured(args: readonly string[], timeoutMs: number): Promise<Result<CapturedRun, string>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DAEMON_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(err(`the local check did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(err(`cannot start ${DAEMON_ENTRY}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(ok({ code, stdout, stderr }));
    });
  });
}

/** The compiled default-guest builder (dist/guest/builder/build-main.js): run as a program, like the runtime. */
export const GUEST_BUILD_ENTRY = fileURLToPath(new URL('../../guest/builder/build-main.js', import.meta.url));

/** Runs the guest builder for a data directory with inherited stdio (its progress is the user's progress). */
export function runGuestBuild(dataDir: string, extraArgs: readonly string[] = []): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [GUEST_BUILD_ENTRY, '--data', dataDir, ...extraArgs], { stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`Cannot run the guest builder (${GUEST_BUILD_ENTRY}): ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
