// Owns which journal records belong to which runtime boot: a boot selector (0, -N, or a boot id) against the recorded boots → the boot and its sequence range.
import { err, ok, type Result } from '../../base/result.js';
import type { BootSpan } from '../../contracts/api-types.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { SqliteDatabase } from '../../platform/sqlite/database.js';

/** One row of runtime_boots. */
export interface BootRow {
  readonly id: number;
  readonly startedAt: string;
  readonly readyAt: string | null;
  readonly stoppedAt: string | null;
  readonly stopReason: string | null;
  readonly firstSeq: number | null;
}

/**
 * The boot a selector names (already validated by BootSelectorSchema): "0" is currentId, "-N" the Nth recorded boot
 * before it, a positive number the boot with that id. Its records are [firstSeq, endSeq): endSeq is the first sequence of
 * the next boot that recorded one, so a boot that died before its journal opened takes no records from its neighbours.
 */
export function selectBoot(rowsByIdAscending: readonly BootRow[], currentId: number, selector: string): Result<BootSpan, RayosError> {
  const n = Number(selector);
  const currentIndex = rowsByIdAscending.findIndex((row) => row.id === currentId);
  const index = n <= 0 ? (currentIndex === -1 ? -1 : currentIndex + n) : rowsByIdAscending.findIndex((row) => row.id === n);
  const row = index < 0 ? undefined : rowsByIdAscending[index];
  if (row === undefined) {
    const first = rowsByIdAscending[0]?.id;
    const range =
      first === undefined
        ? 'no boots are recorded'
        : currentIndex <= 0
          ? `only this boot (id ${currentId}) is recorded`
          : `boot ids ${first}…${currentId} are recorded (--boot -${currentIndex} is the oldest, 0 is this one)`;
    return err(rayosError('RAYOS_JOURNAL_BOOT_NOT_FOUND', `There is no boot ${selector} in this data directory: ${range}. Give --boot 0, -1, … or one of those ids.`, { boot: selector }));
  }
  const endSeq = rowsByIdAscending.slice(index + 1).find((later) => later.firstSeq !== null)?.firstSeq ?? null;
  return ok({ ...row, current: row.id === currentId, endSeq });
}

/** Every recorded boot, oldest first (a data directory has at most a few thousand). */
export function readBoots(db: SqliteDatabase): BootRow[] {
  return db
    .prepare('SELECT id, started_at AS startedAt, ready_at AS readyAt, stopped_at AS stoppedAt, stop_reason AS stopReason, journal_first_seq AS firstSeq FROM runtime_boots ORDER BY id')
    .all() as BootRow[];
}
