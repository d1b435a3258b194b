// Owns "one runtime per data directory": a lock file naming the holder's pid, taken over only from a dead holder.
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { fsyncDirectory } from '../../platform/fs/atomic-write.js';
import { isSameLiveProcess, processIdentity } from '../../platform/process/process-liveness.js';
import { dirname } from 'node:path';

const LockSchema = z.object({ pid: z.number().int(), startTicks: z.number(), since: z.string() });

export interface RuntimeLock {
  /** Set when the lock was taken from a runtime that died without releasing it. */
  readonly staleHolderPid: number | null;
  release(): void;
}

export function acquireRuntimeLock(lockFile: string): Result<RuntimeLock, RayosError> {
  const self = processIdentity(process.pid);
  if (self === null) return err(rayosError('RAYOS_RUNTIME_DATA_DIR', 'Cannot read /proc/self/stat; RayOS needs Linux procfs.'));
  const temp = `${lockFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ ...self, since: new Date().toISOString() }), { mode: 0o600 });
  try {
    // link() fails if the lock exists: creating it with content in one atomic step.
    linkSync(temp, lockFile);
    fsyncDirectory(dirname(lockFile));
    return ok(heldLock(lockFile, null));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  const holder = readHolder(lockFile);
  if (holder !== null && isSameLiveProcess(holder)) {
    return err(rayosError('RAYOS_RUNTIME_LOCKED', `Another RayOS runtime (pid ${holder.pid}) is using ${dirname(lockFile)}; stop it first (rayos stop, or kill ${holder.pid}), or use another data directory with --data.`, { pid: holder.pid }));
  }
  // The holder is dead (or the file is unreadable): replace it atomically, then check nobody else won the race.
  writeFileSync(temp, JSON.stringify({ ...self, since: new Date().toISOString() }), { mode: 0o600 });
  renameSync(temp, lockFile);
  fsyncDirectory(dirname(lockFile));
  const now = readHolder(lockFile);
  if (now === null || now.pid !== process.pid) {
    return err(rayosError('RAYOS_RUNTIME_LOCKED', `Another RayOS runtime (pid ${now?.pid ?? 'unknown'}) took ${dirname(lockFile)} at the same moment; stop it first.`, { pid: now?.pid ?? null }));
  }
  return ok(heldLock(lockFile, holder?.pid ?? -1));
}

function readHolder(lockFile: string): z.infer<typeof LockSchema> | null {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(readFileSync(lockFile, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function heldLock(lockFile: string, staleHolderPid: number | null): RuntimeLock {
  let released = false;
  return {
    staleHolderPid,
    release() {
      if (released) return;
      released = true;
      // Only remove the lock if it is still ours.
      if (readHolder(lockFile)?.pid === process.pid) rmSync(lockFile, { force: true });
    },
  };
}
