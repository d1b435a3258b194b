// Owns the bearer token for the TCP API: created once (0600) in the data dir, compared in constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';

export function loadOrCreateToken(path: string, writeAtomic: (path: string, data: string, mode: number) => void): string {
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(existing)) {
      chmodSync(path, 0o600);
      return existing;
    }
  } catch {
    // No token yet: make one below.
  }
  const token = randomBytes(32).toString('hex');
  writeAtomic(path, `${token}\n`, 0o600);
  return token;
}

export function tokenMatches(expected: string, untrustedPresented: string | undefined): boolean {
  if (untrustedPresented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(untrustedPresented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "Bearer <token>" header, or ?token= for WebSocket upgrades (browsers cannot set headers on them). */
export function presentedToken(headers: Record<string, string | string[] | undefined>, untrustedUrl: string): string | undefined {
  const header = headers['authorization'];
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = untrustedUrl.indexOf('?');
  return query === -1 ? undefined : (new URLSearchParams(untrustedUrl.slice(query + 1)).get('token') ?? undefined);
}
