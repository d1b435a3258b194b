// Owns the perception service (System 1): one live attention field fed by gaze or pointer-as-gaze batches, read by the conductor and cognition.
//
// - Samples come in batches on the sender's clock; the service puts them on its own (`now`): offset = arrival time −
//   newest sample time of a batch, keeping the smallest offset seen (the least delayed batch) and starting over when it
//   jumps by more than CLOCK_RESET_MS (the page reloaded). With `alignClock: false` sample times are taken as they are.
// - One source feeds the field at a time, the best that spoke in the last OUTRANK_MS: tracker > webcam > pointer. A
//   worse source's batch is then ignored (counted), so "pointer as gaze" only stands in when there is no real gaze.
//   Switching source restarts the fixation filter and the recent-gaze buffer (their accuracies differ).
// - A batch is sorted by time; samples not after the latest accepted one (stragglers from an earlier batch, repeated
//   timestamps) are dropped and counted as late; lost ones (null/NaN) are counted.
// - Raw samples stay in memory here, RECENT_MS of them, for `attentionForUtterance` (deixis over the live buffer);
//   only per-object probabilities ever leave the service. stop() forgets them.
// - Silence and hesitation signals are kept (the last MAX_SIGNALS) for cognition to read; they do not touch the field.
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import type { RayosError } from '../../contracts/errors.js';
import { DEFAULT_TRACKER, type AttentionSnapshot, type GazeSample, type Scene, type Tracker } from '../../contracts/intent.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import { AttentionField, type FieldStats } from './attention-field.js';
import { deicticAttention } from './deixis.js';
import { indexScene, type SceneIndex } from './gaze-geometry.js';
import { parseBatch, parseScene, parseSignal, parseTracker, SAMPLE_SOURCES, SOURCE_ACCURACY_DEG, type PerceptionSignal, type SampleSource } from './perception-input.js';

export const OUTRANK_MS = 1000;
export const CLOCK_RESET_MS = 1000;
export const RECENT_MS = 10_000;
const MAX_RECENT = 8192;
const MAX_SIGNALS = 64;
const EMPTY_SCENE: Scene = { screen: [1920, 1080], objects: [] };

/** What one ingest did with a batch's samples: accepted + dropped = samples given. */
export interface IngestResult {
  accepted: number;
  dropped: number;
  late: number;
  /** null or NaN coordinates (tracking lost). */
  lost: number;
  /** The batch came from a worse source while a better one was speaking. */
  ignored: number;
}

export interface PerceptionControl {
  /** Validates and feeds a batch ({source, tracker?, samples: [[tMs, x, y], …]}); a malformed batch → RAYOS_PERCEPTION_BAD_SAMPLES. */
  ingest(untrustedBatch: unknown): Result<IngestResult, RayosError>;
  /** The on-screen objects the field spreads over (screen pixels, z-order); kept per id across calls. → RAYOS_PERCEPTION_BAD_SCENE. */
  setScene(untrustedScene: unknown): Result<void, RayosError>;
  /** The eye tracker's accuracy, used for `tracker` batches that name none. → RAYOS_PERCEPTION_BAD_TRACKER. */
  setTracker(untrustedTracker: unknown): Result<Tracker, RayosError>;
  /** Records a silence or hesitation (runtime clock). → RAYOS_PERCEPTION_BAD_SIGNAL. */
  signal(untrustedSignal: unknown): Result<void, RayosError>;
  /** The decayed field at t (runtime clock ms, default now): every on-screen object, the background, evidence. */
  snapshot(t?: number): AttentionSnapshot;
  /** The share of the last windowMs (ending at t, default now) that gaze spent on the object. */
  focusProbability(objectId: string, windowMs: number, t?: number): number;
  /**
   * Deictic attention for an utterance at t (runtime clock) from the recent live gaze, over `scene` (default: the field's).
   * null when no live gaze has ever come in (no source: cognition works without gaze). Best called ~300 ms after t.
   */
  attentionForUtterance(t: number, scene?: Scene): AttentionSnapshot | null;
  /** Signals at or after `sinceT` (runtime clock), oldest first. */
  signals(sinceT?: number): PerceptionSignal[];
  stats(): PerceptionStats;
}

export interface PerceptionStats extends FieldStats {
  source: SampleSource | null;
  lost: number;
  ignored: number;
}

export type PerceptionService = Service & { readonly control: PerceptionControl };

export interface PerceptionOptions {
  /** The eye tracker's accuracy (default 1° at 40 px/°). */
  tracker?: Tracker;
  /** The runtime clock, ms (default Date.now). */
  now?: () => number;
  /** Put batch times on the runtime clock (default true); false: senders already use it. */
  alignClock?: boolean;
  /** The field's decay time constant (default 1500 ms). */
  tauMs?: number;
}

const RANK: Record<SampleSource, number> = { tracker: 3, webcam: 2, pointer: 1 };

export function createPerceptionService(options: PerceptionOptions = {}): PerceptionService {
  const now = options.now ?? Date.now;
  const align = options.alignClock ?? true;
  let eyeTracker: Tracker = options.tracker ?? DEFAULT_TRACKER;
  let scene: Scene = EMPTY_SCENE;
  const field = new AttentionField(scene, eyeTracker, options.tauMs === undefined ? {} : { tauMs: options.tauMs });
  let source: SampleSource | null = null;
  const lastHeard = new Map<SampleSource, number>();
  const offsets = new Map<SampleSource, number>();
  const batchTrackers = new Map<SampleSource, Tracker>();
  let recent: GazeSample[] = [];
  let signals: PerceptionSignal[] = [];
  let lost = 0;
  let ignored = 0;
  /** Scenes passed to attentionForUtterance are indexed once while they stay the same object. */
  let lastScene: { scene: Scene; index: SceneIndex } | null = null;

  const trackerFor = (s: SampleSource): Tracker => {
    const given = batchTrackers.get(s);
    if (given !== undefined) return given;
    const accuracy = SOURCE_ACCURACY_DEG[s];
    return accuracy === null ? eyeTracker : { accuracyDeg: accuracy, pxPerDeg: eyeTracker.pxPerDeg };
  };

  const switchTo = (s: SampleSource): void => {
    source = s;
    field.setTracker(trackerFor(s));
    recent = [];
  };

  /** Offset from the sender's clock to ours for this batch (see the header). */
  const offsetFor = (s: SampleSource, newest: number, arrived: number): number => {
    if (!align) return 0;
    const candidate = arrived - newest;
    const known = offsets.get(s);
    const offset = known === undefined || candidate < known || candidate - known > CLOCK_RESET_MS ? candidate : known;
    offsets.set(s, offset);
    return offset;
  };

  function ingest(untrustedBatch: unknown): Result<IngestResult, RayosError> {
    const parsed = parseBatch(untrustedBatch);
    if (!parsed.ok) return parsed;
    const batch = parsed.value;
    const arrived = now();
    const result: IngestResult = { accepted: 0, dropped: 0, late: 0, lost: 0, ignored: 0 };
    const given = batch.samples.length;
    if (given === 0) return ok(result);
    const s = batch.source;
    for (const better of SAMPLE_SOURCES) {
      if (RANK[better] <= RANK[s]) break;
      const heard = lastHeard.get(better);
      if (heard !== undefined && arrived - heard <= OUTRANK_MS) {
        ignored += given;
        return ok({ ...result, dropped: given, ignored: given });
      }
    }
    lastHeard.set(s, arrived);
    if (batch.tracker !== undefined) batchTrackers.set(s, batch.tracker);
    const want = trackerFor(s);
    if (source !== s || field.tracker.accuracyDeg !== want.accuracyDeg || field.tracker.pxPerDeg !== want.pxPerDeg) switchTo(s);
    let newest = Number.NEGATIVE_INFINITY;
    for (const [t] of batch.samples) if (typeof t === 'number' && Number.isFinite(t) && t > newest) newest = t;
    const offset = newest === Number.NEGATIVE_INFINITY ? 0 : offsetFor(s, newest, arrived);
    // disorder inside a batch is sorted out; only stragglers from before an earlier batch are late
    const ordered = batch.samples.map((sample, i) => ({ sample, i })).sort((a, b) => (a.sample[0] ?? 0) - (b.sample[0] ?? 0) || a.i - b.i);
    for (const { sample: [t, x, y] } of ordered) {
      if (t === null || x === null || y === null || !Number.isFinite(t) || !Number.isFinite(x) || !Number.isFinite(y)) {
        result.lost++;
        continue;
      }
      const at = t + offset;
      const outcome = field.add(at, x, y);
      if (outcome === 'late') result.late++;
      else if (outcome === 'accepted') {
        result.accepted++;
        recent.push([at, x, y]);
      }
    }
    lost += result.lost;
    const keepFrom = field.latest - RECENT_MS;
    let cut = 0;
    while (cut < recent.length && (recent[cut]![0] < keepFrom || recent.length - cut > MAX_RECENT)) cut++;
    if (cut > 0) recent = recent.slice(cut);
    result.dropped = given - result.accepted;
    return ok(result);
  }

  const control: PerceptionControl = {
    ingest,
    setScene(untrustedScene) {
      const parsed = parseScene(untrustedScene);
      if (!parsed.ok) return parsed;
      scene = parsed.value;
      field.setScene(scene);
      return ok(undefined);
    },
    setTracker(untrustedTracker) {
      const parsed = parseTracker(untrustedTracker);
      if (!parsed.ok) return parsed;
      eyeTracker = parsed.value;
      batchTrackers.delete('tracker');
      if (source === 'tracker') switchTo('tracker');
      return ok(eyeTracker);
    },
    signal(untrustedSignal) {
      const parsed = parseSignal(untrustedSignal);
      if (!parsed.ok) return err(parsed.error);
      signals.push(parsed.value);
      signals.sort((a, b) => a.t - b.t);
      if (signals.length > MAX_SIGNALS) signals = signals.slice(-MAX_SIGNALS);
      return ok(undefined);
    },
    snapshot: (t = now()) => field.attentionAt(t),
    focusProbability: (objectId, windowMs, t = now()) => field.focusProbability(objectId, windowMs, t),
    attentionForUtterance(t, over) {
      if (source === null) return null;
      let index = field.index;
      if (over !== undefined && over !== scene) {
        if (lastScene === null || lastScene.scene !== over) lastScene = { scene: over, index: indexScene(over) };
        index = lastScene.index;
      }
      return deicticAttention(index, field.tracker, recent, t);
    },
    signals: (sinceT = Number.NEGATIVE_INFINITY) => signals.filter((s) => s.t >= sinceT),
    stats: () => ({ ...field.stats, source, lost, ignored }),
  };

  return {
    name: 'perception',
    dependsOn: [],
    control,
    async start(_ctx: ServiceContext) {
      // nothing to open: the field lives in memory and is fed by the composition root and the API
    },
    async stop() {
      recent = [];
      signals = [];
    },
    health(): Health {
      const st = field.stats;
      return { status: 'ok', detail: `${source ?? 'no gaze source'}; ${st.accepted} samples, ${st.late} late, ${lost} lost, ${ignored} ignored` };
    },
  };
}
