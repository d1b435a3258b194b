// Owns the typed in-process event bus: past-tense facts with a monotonic sequence, and a ring of recent ones.
import type { EventPayloads, EventType, RayosEvent } from '../contracts/events.js';

export type EventListener = (event: RayosEvent) => void;

export class EventBus {
  private seq = 0;
  private readonly ring: RayosEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly bufferSize: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  publish<T extends EventType>(type: T, data: EventPayloads[T]): RayosEvent<T> {
    const event: RayosEvent<T> = { seq: ++this.seq, at: this.now().toISOString(), type, data };
    this.ring.push(event as RayosEvent);
    if (this.ring.length > this.bufferSize) this.ring.shift();
    for (const listener of this.listeners) deliver(listener, event as RayosEvent);
    return event;
  }

  /** Replays buffered events after `afterSeq` (if given) before live ones, so late subscribers miss nothing still buffered. */
  subscribe(listener: EventListener, options: { afterSeq?: number } = {}): () => void {
    if (options.afterSeq !== undefined) for (const event of this.recent(options.afterSeq)) deliver(listener, event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(afterSeq: number, limit = Number.POSITIVE_INFINITY): RayosEvent[] {
    const out: RayosEvent[] = [];
    for (const event of this.ring) {
      if (event.seq <= afterSeq) continue;
      out.push(event);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/** A failing subscriber must not stop the publisher or the other subscribers. */
function deliver(listener: EventListener, event: RayosEvent): void {
  try {
    listener(event);
  } catch (error) {
    process.stderr.write(`event listener failed on ${event.type}: ${String(error)}\n`);
  }
}
