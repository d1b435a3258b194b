// Owns reading the audit trail: the policy.decided events the journal kept, filtered by time and decision.
import type { JournalRecord } from '../../contracts/api-types.js';
import { AuditEntrySchema, type AuditEntry, type PolicyDecisionKind } from '../../contracts/policy.js';
import type { Storage } from '../storage/api.js';

export interface AuditQuery {
  readonly sinceMs?: number | undefined;
  readonly decision?: PolicyDecisionKind | undefined;
  readonly limit: number;
}

/** The journal stores an event as {seq, type, data}; only policy.decided ones are audit entries. */
function toEntry(record: JournalRecord): AuditEntry | null {
  if (record.type !== 'event' || record.data['type'] !== 'policy.decided') return null;
  const untrustedData = record.data['data'];
  const parsed = AuditEntrySchema.safeParse({ ...(typeof untrustedData === 'object' && untrustedData !== null ? untrustedData : {}), seq: record.seq, at: record.at });
  // A record this version cannot read (an older shape) is skipped rather than failing the whole audit.
  return parsed.success ? parsed.data : null;
}

export async function readAudit(storage: Storage, query: AuditQuery): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let afterSeq = 0;
  // Page through the journal: the grep narrows to decisions, the decision filter is exact.
  for (;;) {
    const page = await storage.readJournal({ afterSeq, ...(query.sinceMs === undefined ? {} : { sinceMs: query.sinceMs }), grep: '"policy.decided"', limit: 1000 });
    for (const record of page) {
      const entry = toEntry(record);
      if (entry === null || (query.decision !== undefined && entry.decision !== query.decision)) continue;
      entries.push(entry);
    }
    if (page.length < 1000) break;
    afterSeq = page.at(-1)!.seq;
  }
  // The newest `limit` entries, oldest first, like `rayos log show`.
  return entries.slice(-query.limit);
}
