// Benchmarks perception (System 1) on a 200-object scene: ingest throughput (incremental field update per sample), the cost of reads, and deixis on a 1 s trace.
//
// Figures:
// - field ingest: AttentionField.add per sample (fixation filter + spread over the visible pieces + sparse update), samples/s.
// - service ingest: the same through PerceptionService.ingest in batches of 100 (zod validation, clock alignment), samples/s.
// - reads: attentionAt (a full 200-object snapshot), focusAt (one object, one multiply), focusProbability (windowed, binary search).
// - deixis: attentionForUtterance on a 1 s trace at 120 Hz (the scene indexed per call, as `rayos eval intents` does), and
//   the service's live version (scene indexed once).
// Run: npx tsc -b && node dist/bench/perception.bench.js
import type { GazeSample, Scene, SceneObject } from '../src/contracts/intent.js';
import { AttentionField, attentionForUtterance, createPerceptionService } from '../src/services/perception/api.js';

const OBJECTS = 200;
const HZ = 120;
const tracker = { accuracyDeg: 1, pxPerDeg: 40 };

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** 200 objects: overlapping windows and a grid of icons, distinct z. */
function makeScene(): Scene {
  const r = rng(42);
  const objects: SceneObject[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const icon = i % 4 !== 0;
    const w = icon ? 48 + Math.floor(r() * 32) : 300 + Math.floor(r() * 700);
    const h = icon ? 48 + Math.floor(r() * 32) : 200 + Math.floor(r() * 500);
    objects.push({ id: `o${i}`, type: icon ? 'app' : 'surface', label: `object ${i}`, rect: [Math.floor(r() * (1920 - w)), Math.floor(r() * (1080 - h)), w, h], z: i });
  }
  return { screen: [1920, 1080], objects };
}

/** A gaze trace: fixations of 150–500 ms at random points (jitter within the accuracy) joined by 30 ms saccades. */
function makeTrace(ms: number, seed: number): GazeSample[] {
  const r = rng(seed);
  const out: GazeSample[] = [];
  let t = 0;
  let x = 960;
  let y = 540;
  while (t < ms) {
    const until = t + 150 + r() * 350;
    for (; t < until; t += 1000 / HZ) out.push([t, x + (r() - 0.5) * 30, y + (r() - 0.5) * 30]);
    const nx = r() * 1920;
    const ny = r() * 1080;
    for (let k = 1; k <= 3; k++, t += 1000 / HZ) out.push([t, x + ((nx - x) * k) / 4, y + ((ny - y) * k) / 4]);
    x = nx;
    y = ny;
  }
  return out;
}

const pct = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;
const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

/** Runs fn `n` times, `rounds` times; the per-call time of the best round (least disturbed). */
function perCall(n: number, rounds: number, fn: (i: number) => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    best = Math.min(best, (performance.now() - start) / n);
  }
  return best;
}

function main(): void {
  console.log(`RayOS perception benchmark (node ${process.versions.node}, ${new Date().toISOString()}): ${OBJECTS} objects, ${HZ} Hz gaze`);
  const scene = makeScene();
  const trace = makeTrace(600_000, 7); // 10 minutes of gaze
  console.log(`scene: ${scene.objects.length} objects; trace: ${trace.length} samples`);

  // field ingest
  const rounds: number[] = [];
  let field = new AttentionField(scene, tracker);
  for (let round = 0; round < 3; round++) {
    field = new AttentionField(scene, tracker);
    const start = performance.now();
    for (const [t, x, y] of trace) field.add(t, x, y);
    rounds.push(performance.now() - start);
  }
  const best = Math.min(...rounds);
  console.log(`field ingest: ${Math.round((trace.length / best) * 1000).toLocaleString('en')} samples/s (${us(best / trace.length)} per sample; best of 3 runs over ${trace.length} samples; saccade samples ${field.stats.saccade})`);

  // service ingest, batches of 100 on the page clock
  let clock = 0;
  const service = createPerceptionService({ now: () => clock });
  service.control.setScene(scene);
  const batches: GazeSample[][] = [];
  for (let i = 0; i < trace.length; i += 100) batches.push(trace.slice(i, i + 100));
  const start = performance.now();
  let accepted = 0;
  for (const samples of batches) {
    clock = samples.at(-1)![0] + 5;
    const r = service.control.ingest({ source: 'tracker', samples });
    if (r.ok) accepted += r.value.accepted;
  }
  const serviceMs = performance.now() - start;
  console.log(`service ingest (batches of 100, validated): ${Math.round((accepted / serviceMs) * 1000).toLocaleString('en')} samples/s (${us(serviceMs / accepted)} per sample)`);

  // reads
  const end = field.latest;
  const ids = scene.objects.map((o) => o.id);
  let sink = 0;
  const snapshot = perCall(2000, 3, (i) => (sink += field.attentionAt(end + i).objects.length));
  const focusAt = perCall(200_000, 3, (i) => (sink += field.focusAt(ids[i % OBJECTS]!, end + i)));
  const windowed = perCall(200_000, 3, (i) => (sink += field.focusProbability(ids[i % OBJECTS]!, 1000 + (i % 5000), end - (i % 3000))));
  console.log(`reads: attentionAt (${OBJECTS}-object snapshot) ${us(snapshot)}, focusAt ${us(focusAt)}, focusProbability(id, window) ${us(windowed)}`);

  // deixis on 1 s traces
  const oneSecond = makeTrace(1000, 11);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    sink += attentionForUtterance(scene, tracker, oneSecond, 700).evidence;
    times.push(performance.now() - t0);
  }
  console.log(`attentionForUtterance, 1 s trace (${oneSecond.length} samples, scene indexed per call): p50 ${pct(times, 50).toFixed(3)} ms, p99 ${pct(times, 99).toFixed(3)} ms`);
  const live: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    sink += service.control.attentionForUtterance(clock - 300)?.evidence ?? 0;
    live.push(performance.now() - t0);
  }
  console.log(`service attentionForUtterance over the live buffer (last 10 s, ${Math.round((10_000 * HZ) / 1000)} samples): p50 ${pct(live, 50).toFixed(3)} ms, p99 ${pct(live, 99).toFixed(3)} ms`);
  if (Number.isNaN(sink)) console.log('(sink)');
}

main();
