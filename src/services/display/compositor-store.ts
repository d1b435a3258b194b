// Owns keeping the compositor's arrangement (layout and each window's rectangle) in the state database across restarts.
import { z } from 'zod';
import { LayoutSchema, type Layout } from '../../contracts/display.js';
import { VmNameSchema } from '../../contracts/vm.js';
import type { SqliteDatabase } from '../../platform/sqlite/database.js';
import type { Rect } from './compositor-state.js';

/** What is kept: not which surfaces are presented (they come back hidden at boot, by policy), only where they go. */
export interface SavedArrangement {
  readonly layout: Layout;
  readonly rects: ReadonlyMap<string, Rect>;
}

const KEY = 'compositor.arrangement';
const MAX_COORD = 100_000;
const RectSchema = z.strictObject({
  x: z.number().int().min(-MAX_COORD).max(MAX_COORD),
  y: z.number().int().min(-MAX_COORD).max(MAX_COORD),
  width: z.number().int().min(1).max(MAX_COORD),
  height: z.number().int().min(1).max(MAX_COORD),
});
const SavedSchema = z.strictObject({ v: z.literal(1), layout: LayoutSchema, rects: z.record(VmNameSchema, RectSchema) });

export interface CompositorStore {
  /** The saved arrangement, or null when there is none or it does not parse (then `problem` says why). */
  load(): { saved: SavedArrangement | null; problem: string | null };
  save(arrangement: SavedArrangement): void;
}

export function createCompositorStore(db: () => SqliteDatabase): CompositorStore {
  return {
    load() {
      const row = db().prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
      if (row === undefined) return { saved: null, problem: null };
      let untrustedSaved: unknown;
      try {
        untrustedSaved = JSON.parse(row.value);
      } catch {
        return { saved: null, problem: 'not JSON' };
      }
      const parsed = SavedSchema.safeParse(untrustedSaved);
      if (!parsed.success) return { saved: null, problem: parsed.error.issues[0]?.message ?? 'wrong shape' };
      return { saved: { layout: parsed.data.layout, rects: new Map(Object.entries(parsed.data.rects)) }, problem: null };
    },
    save({ layout, rects }) {
      const value = JSON.stringify({ v: 1, layout, rects: Object.fromEntries(rects) });
      db().prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, value);
    },
  };
}
