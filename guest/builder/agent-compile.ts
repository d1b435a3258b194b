// Owns compiling the guest agent on the host: a static, stripped binary from guest/agent/*.c, and the facts its cache key needs.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../src/base/result.js';
import { rayosError, type RayosError } from '../../src/contracts/errors.js';
import { runCommand } from '../../src/platform/process/run-command.js';
import { sha256 } from './cache-key.js';

export const AGENT_CFLAGS = ['-static', '-Os', '-s', '-Wall', '-Wextra', '-Werror', '-std=gnu11'] as const;

/** sha256 of every .c and .h file of the agent, by name. */
export async function agentSourceHashes(agentDir: string): Promise<Result<Record<string, string>, RayosError>> {
  let names: string[];
  try {
    names = (await readdir(agentDir)).filter((f) => f.endsWith('.c') || f.endsWith('.h')).sort();
  } catch (error) {
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Cannot read the agent sources in ${agentDir}: ${(error as Error).message}.`));
  }
  if (!names.includes('rayos-agent.c')) return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `${agentDir} has no rayos-agent.c.`));
  const hashes: Record<string, string> = {};
  for (const name of names) hashes[name] = sha256(await readFile(join(agentDir, name)));
  return ok(hashes);
}

const compilerMissing = 'Install the C compiler and static C library ("apt-get install gcc libc6-dev", or "./rayos setup").';

/** The first line of `gcc --version`, part of the cache key. */
export async function compilerIdentity(): Promise<Result<string, RayosError>> {
  const v = await runCommand(['gcc', '--version'], { deadlineMs: 30_000 });
  if (v.code !== 0) return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `gcc is not usable (${v.errorMessage ?? `exit ${v.code}`}). ${compilerMissing}`));
  return ok(v.stdout.split('\n')[0]?.trim() ?? 'gcc');
}

/** Compiles every .c in agentDir into one static binary at output. */
export async function compileAgent(agentDir: string, output: string): Promise<Result<void, RayosError>> {
  const sources = (await readdir(agentDir)).filter((f) => f.endsWith('.c')).sort().map((f) => join(agentDir, f));
  const cc = await runCommand(['gcc', ...AGENT_CFLAGS, '-o', output, ...sources], { deadlineMs: 180_000 });
  if (cc.code !== 0) {
    const detail = cc.errorMessage ?? cc.stderr.trim().split('\n').slice(0, 20).join('\n');
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Compiling the guest agent failed:\n${detail}\n${cc.error === 'not-found' ? compilerMissing : 'Static linking needs libc6-dev.'}`));
  }
  return ok(undefined);
}
