// Owns asking Linux whether a pid is a live process (zombies count as dead) and when it started, to detect pid reuse.
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/PID/stat): with the pid, identifies one process. */
  readonly startTicks: number;
}

/** null when no such process, or it is a zombie (exited but not reaped). */
export function processIdentity(pid: number): ProcessIdentity | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  let untrustedStat: string;
  try {
    untrustedStat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are fixed.
  const fields = untrustedStat.slice(untrustedStat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = Number(fields[19]);
  if (state === undefined || state === 'Z' || state === 'X' || !Number.isFinite(startTicks)) return null;
  return { pid, startTicks };
}

export function isSameLiveProcess(identity: ProcessIdentity): boolean {
  const now = processIdentity(identity.pid);
  return now !== null && now.startTicks === identity.startTicks;
}
