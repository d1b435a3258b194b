// Owns what VM integration tests share: installing the (cached) default guest image, and killing QEMUs a test left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ExecResultSchema, type ExecResult } from '../../src/contracts/guest-agent.js';
import { VmViewSchema, type VmView } from '../../src/contracts/vm.js';
import { runCli, startRuntime, type CliResult, type RuntimeProcess } from './runtime-process.js';

export const GUEST_BUILD_MAIN = new URL('../../guest/builder/build-main.js', import.meta.url).pathname;

/** Builds the default guest if its cache entry is missing (the first run downloads the Debian kernel) and installs it into dataDir. */
export function installGuestImage(dataDir: string): void {
  const build = spawnSync(process.execPath, [GUEST_BUILD_MAIN, '--data', dataDir], { encoding: 'utf8', timeout: 900_000 });
  if (build.status !== 0) throw new Error(`guest build failed (${build.status}): ${build.stderr}\n${build.stdout}`);
}

/**
 * Installs the default guest into dataDir, starts a runtime on it and waits until the Linux guest answers
 * (RAYOS_LINUX:GUEST_READY). Returns the runtime and the accelerator marker it printed.
 */
export async function startRuntimeWithGuest(dataDir: string, bootMs: number, extraArgs: string[] = []): Promise<{ runtime: RuntimeProcess; accel: string }> {
  installGuestImage(dataDir);
  const runtime = startRuntime(dataDir, extraArgs);
  const accel = await runtime.waitFor(/^RAYOS_VM:ACCEL:/, 60_000);
  await runtime.waitFor('RAYOS_LINUX:GUEST_READY', bootMs);
  return { runtime, accel };
}

/** Pids of QEMU processes whose command line mentions dataDir (they are daemonized, so no test owns them). */
export function qemuPidsUnder(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('qemu-system') && cmdline.includes(dataDir)) pids.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return pids;
}

export function killQemusUnder(dataDir: string): void {
  for (const pid of qemuPidsUnder(dataDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface VmCli {
  /** `rayos --data DIR ARGS…`, as a separate process. */
  cli(args: string[], timeoutMs?: number): Promise<CliResult>;
  /** `rayos vm show linux --json`, which must succeed. */
  show(): Promise<VmView>;
  /** `rayos vm exec linux --json -- ARGV…`, which must reach the guest. */
  exec(...argv: string[]): Promise<ExecResult>;
}

/** The CLI as VM tests drive it, bound to one data directory. */
export function vmCli(dataDir: string): VmCli {
  const cli = (args: string[], timeoutMs = 120_000) => runCli(['--data', dataDir, ...args], { timeoutMs });
  return {
    cli,
    show: async () => {
      const shown = await cli(['vm', 'show', 'linux', '--json']);
      assert.equal(shown.code, 0, shown.stderr);
      return VmViewSchema.parse(JSON.parse(shown.stdout));
    },
    exec: async (...argv) => {
      const run = await cli(['vm', 'exec', 'linux', '--json', '--', ...argv]);
      assert.equal(run.code, 0, run.stderr);
      return ExecResultSchema.parse(JSON.parse(run.stdout));
    },
  };
}
