// Owns finding and running the runtime process (src/daemon/main.js) as a separate program, never as an import.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ZodType } from 'zod';
import { err, ok, type Result } from '../base/result.js';
import { ErrorCodeSchema, rayosError, type RayosError } from '../contracts/errors.js';

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

/**
 * Runs a one-shot check of the runtime entry (`doctor --json`, `windows-check --json`) and reads its report, the last
 * line of stdout. An error it printed as `RAYOS_<CODE>: message` (a bad config) comes back as that error.
 */
export async function runDaemonReport<T>(args: readonly string[], schema: ZodType<T>, what: string, timeoutMs: number): Promise<Result<T, RayosError>> {
  const run = await runDaemonCaptured(args, timeoutMs);
  if (!run.ok) return err(rayosError('RAYOS_CLI_PROTOCOL', `The local ${what} could not run: ${run.error}.`));
  const { code, stdout, stderr } = run.value;
  // The report is the last line; anything before it is not ours to read.
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(lastLine);
  } catch {
    untrusted = undefined;
  }
  const report = schema.safeParse(untrusted);
  if (report.success) return ok(report.data);
  const lines = stderr.trim().split('\n');
  const untrustedCoded = /^(RAYOS_[A-Z_]+): (.+)$/.exec(lines.find((l) => /^RAYOS_[A-Z_]+: /.test(l)) ?? '');
  const known = ErrorCodeSchema.safeParse(untrustedCoded?.[1]);
  if (known.success && untrustedCoded?.[2] !== undefined) return err(rayosError(known.data, untrustedCoded[2]));
  // Node's crash output puts the useful sentence on the "Error…" line, not at the end.
  const said = (lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.slice(-2).join(' ')).trim();
  return err(rayosError('RAYOS_CLI_PROTOCOL', `The local ${what} (exit ${code}) printed no report this CLI can read${said === '' ? '' : `: ${said}`}; check that the CLI and runtime are built from the same tree (npx tsc -b).`));
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
