// Owns parsing of human durations and "since" expressions ("90s", "10m", "2h", "1d", ISO time).
import { err, ok, type Result } from './result.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "500ms" | "30s" | "10m" | "2h" | "1d" → milliseconds. */
export function parseDuration(text: string): Result<number, string> {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return err(`"${text}" is not a duration; use a number and a unit, e.g. 30s, 10m, 2h, 1d`);
  return ok(Math.round(Number(match[1]) * (UNIT_MS[match[2] as string] as number)));
}

/** A duration ago ("10m") or an ISO date-time → epoch milliseconds. */
export function parseSince(text: string, nowMs: number): Result<number, string> {
  const duration = parseDuration(text);
  if (duration.ok) return ok(nowMs - duration.value);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return ok(at);
  }
  return err(`"${text}" is neither a duration (30s, 10m, 2h, 1d) nor an ISO date-time (2026-11-22T10:00:00Z)`);
}
