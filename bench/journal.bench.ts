// Benchmarks the journal: durable (fsync) append throughput and latency with 256 in flight, and one at a time for contrast.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord } from '../src/services/storage/journal-format.js';
import { Journal, type JournalEntry } from '../src/services/storage/journal.js';

const IN_FLIGHT = 256;
const BATCHED_APPENDS = 100_000;
const SEQUENTIAL_APPENDS = 3_000;
const WARMUP_APPENDS = 5_000;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
/** A typical bus event as the storage service journals it. */
const entry = (i: number): JournalEntry => ({ type: 'event', data: { seq: i, type: 'vm.state-changed', data: { vmId: 'linux-desktop', from: 'starting', to: 'running', reason: 'guest agent ready' } } });

/** Keeps `inFlight` appends outstanding until `total` are acknowledged; returns per-append latencies (ms) and elapsed ms. */
async function drive(journal: Journal, total: number, inFlight: number): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let issued = 0;
  const began = performance.now();
  const lane = async (): Promise<void> => {
    while (issued < total) {
      const i = issued++;
      const t0 = performance.now();
      await journal.append(entry(i));
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { latencies, elapsedMs: performance.now() - began };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-journal-bench-'));
  try {
    const { journal } = await Journal.open({ dir, segmentBytes: 8 * 1024 * 1024, maxSegments: 64, maxRecordBytes: 1024 * 1024, durability: 'fsync' });
    const recordBytes = encodeRecord(await journal.append(entry(0))).length;
    await drive(journal, WARMUP_APPENDS, IN_FLIGHT);

    const batched = await drive(journal, BATCHED_APPENDS, IN_FLIGHT);
    const sorted = [...batched.latencies].sort((a, b) => a - b);
    const sequential = await drive(journal, SEQUENTIAL_APPENDS, 1);
    const sequentialSorted = [...sequential.latencies].sort((a, b) => a - b);
    await journal.close();

    console.log(`journal bench (durability fsync, ${tmpdir()}, ${recordBytes} bytes per record on disk)`);
    console.log(`batched throughput (${IN_FLIGHT} in flight): ${Math.round(BATCHED_APPENDS / (batched.elapsedMs / 1000))} records/s`);
    console.log(`batched append latency p50: ${percentile(sorted, 50).toFixed(2)} ms`);
    console.log(`batched append latency p99: ${percentile(sorted, 99).toFixed(2)} ms`);
    console.log(`sequential throughput (1 in flight): ${Math.round(SEQUENTIAL_APPENDS / (sequential.elapsedMs / 1000))} records/s`);
    console.log(`sequential append latency p50: ${percentile(sequentialSorted, 50).toFixed(2)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
