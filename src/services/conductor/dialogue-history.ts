// Owns what was said and what happened lately, in the eval format's terms: turns with what they resolved to, and named events on targets.
import type { HistoryEntry, ResolvedIntent } from '../../contracts/intent.js';
import type { RayosEvent } from '../../contracts/events.js';
import { snapshotObjectId } from './scene-builder.js';

/** How much is kept and how far back it reaches: older context is more likely to mislead than to help. */
const MAX_ENTRIES = 200;
const MAX_AGE_MS = 30 * 60_000;

interface Stamped {
  readonly at: number;
  readonly entry: Omit<HistoryEntry, 't'> & ({ text: string; resolved?: ResolvedIntent } | { event: string; target?: string });
}

/** The README's event name and target for a bus event, or null when it is not something a person refers back to. */
export function historyEventOf(event: RayosEvent): { event: string; target: string } | null {
  const data = event.data as Record<string, unknown>;
  const vm = typeof data['vm'] === 'string' ? data['vm'] : null;
  if (vm === null) return null;
  switch (event.type) {
    case 'vm.state-changed': {
      const to = data['to'];
      const from = data['from'];
      if (to === 'running' && (from === 'starting' || from === 'stopped')) return { event: 'vm.started', target: vm };
      if (to === 'running' && (from === 'paused' || from === 'resuming' || from === 'suspended')) return { event: 'vm.resumed', target: vm };
      if (to === 'paused') return { event: 'vm.paused', target: vm };
      if (to === 'suspended') return { event: 'vm.suspended', target: vm };
      if (to === 'stopped') return { event: 'vm.stopped', target: vm };
      return null;
    }
    case 'surface.presented':
      return { event: 'surface.presented', target: vm };
    case 'surface.hidden':
      return { event: 'surface.hidden', target: vm };
    case 'vm.snapshot-saved':
      return { event: 'snapshot.taken', target: snapshotObjectId(vm, String(data['tag'])) };
    case 'vm.network-changed':
      return { event: data['enabled'] === true ? 'vm.network_on' : 'vm.network_off', target: vm };
    default:
      return null;
  }
}

export class DialogueHistory {
  private readonly entries: Stamped[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  turn(text: string, resolved: ResolvedIntent | undefined): void {
    this.push({ at: this.now(), entry: resolved === undefined ? { text } : { text, resolved } });
  }

  event(name: string, target: string): void {
    this.push({ at: this.now(), entry: { event: name, target } });
  }

  /** Entries with times relative to `at` (negative = before), oldest first, as cognition reads them. */
  relativeTo(at: number): HistoryEntry[] {
    const since = at - MAX_AGE_MS;
    return this.entries.filter((e) => e.at >= since && e.at <= at).map((e) => ({ t: e.at - at, ...e.entry }) as HistoryEntry);
  }

  private push(stamped: Stamped): void {
    this.entries.push(stamped);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }
}
