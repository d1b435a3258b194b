// Owns what VM integration tests share: installing the (cached) default guest image, and killing QEMUs a test left behind.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const GUEST_BUILD_MAIN = new URL('../../guest/builder/build-main.js', import.meta.url).pathname;

/** Builds the default guest if its cache entry is missing (the first run downloads the Debian kernel) and installs it into dataDir. */
export function installGuestImage(dataDir: string): void {
  const build = spawnSync(process.execPath, [GUEST_BUILD_MAIN, '--data', dataDir], { encoding: 'utf8', timeout: 900_000 });
  if (build.status !== 0) throw new Error(`guest build failed (${build.status}): ${build.stderr}\n${build.stdout}`);
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
