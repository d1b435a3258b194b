// Owns marker emission: one deterministic line per lifecycle step on stdout, kept for late subscribers (the journal).
import { formatMarker, type MarkerArea, type MarkerEventOf, type MarkerRecord } from '../contracts/markers.js';

export type MarkerListener = (marker: MarkerRecord) => void;

export interface MarkerWriterOptions {
  /** Where lines go (stdout by default); null prints nothing. */
  readonly write: ((line: string) => void) | null;
  /** Markers kept for subscribers that attach later (the journal opens after the first markers). */
  readonly historySize: number;
}

export class MarkerWriter {
  private readonly history: MarkerRecord[] = [];
  private readonly listeners = new Set<MarkerListener>();

  constructor(private readonly options: MarkerWriterOptions) {}

  emit<A extends MarkerArea>(area: A, event: MarkerEventOf<A>, ...args: (string | number)[]): MarkerRecord {
    const line = formatMarker(area, event, args);
    const marker: MarkerRecord = { area, event, args: line.split(':').slice(2), line };
    this.options.write?.(line);
    this.history.push(marker);
    if (this.history.length > this.options.historySize) this.history.shift();
    for (const listener of this.listeners) {
      try {
        listener(marker);
      } catch (error) {
        process.stderr.write(`marker listener failed on ${line}: ${String(error)}\n`);
      }
    }
    return marker;
  }

  /** With replay, every kept marker is delivered first, in order. */
  subscribe(listener: MarkerListener, options: { replay: boolean }): () => void {
    if (options.replay) for (const marker of this.history) listener(marker);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emitted(): readonly MarkerRecord[] {
    return this.history;
  }
}

export const stdoutLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
