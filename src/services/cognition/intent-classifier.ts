// Owns the fallback classifier: multinomial naive Bayes over words, word pairs and letter triples, with an out-of-scope class; its counts are generated from the registry (classifier-weights.ts).
import { CLASSIFIER_COUNTS_JSON } from './classifier-weights.js';
import { CLASS_LABELS, featuresOf, type ClassLabel, type TrainedCounts } from './classifier-training.js';

export { CLASS_LABELS, featuresOf, OBJECT_PLACEHOLDER, trainingSet, type ClassLabel } from './classifier-training.js';

export interface Classification {
  /** Every class with its probability, most likely first. */
  readonly ranked: readonly { label: ClassLabel; p: number }[];
  /** The share of the words the classifier saw in training (0 = it knows nothing about these words). */
  readonly coverage: number;
}

interface Model {
  /** Per feature, where its row (a count per class, scaled: see load) starts in `rows`. */
  readonly offsets: ReadonlyMap<string, number>;
  readonly rows: Float64Array;
  /** log of the smoothed denominator shared by every class. */
  readonly logDenominator: number;
}

/** Additive smoothing; small, because class counts are rescaled to a common total (see load). */
const ALPHA = 0.01;

/**
 * Loads the generated counts (training itself is counting over ~1200 sentences: tens of milliseconds cold on a busy
 * two-core host, so it runs at build time, not at load). Logs are taken when a feature is met.
 */
function load(trained: TrainedCounts): Model {
  const k = CLASS_LABELS.length;
  // Labels are positional: a registry that gained or lost an action needs regenerated counts (the classifier test says so).
  if (trained.labels.join() !== CLASS_LABELS.join()) throw new Error('classifier-weights.ts is stale: regenerate it (generate-classifier-weights.ts)');
  // Every class is scaled to the same number of feature counts: otherwise a small class (an action with a few
  // phrases) wins on words it has never seen, because its smoothing is spread over less.
  const mean = trained.totals.reduce((a, b) => a + b, 0) / k;
  const n = trained.features.length;
  const rows = new Float64Array(n * k);
  const offsets = new Map<string, number>();
  for (let j = 0; j < n; j++) {
    const at = j * k;
    offsets.set(trained.features[j]!, at);
    const sparse = trained.counts[j]!;
    for (let i = 0; i + 1 < sparse.length; i += 2) rows[at + sparse[i]!] = (sparse[i + 1]! * mean) / (trained.totals[sparse[i]!] || 1);
  }
  return { offsets, rows, logDenominator: Math.log(mean + ALPHA * n) };
}

const model = load(JSON.parse(CLASSIFIER_COUNTS_JSON) as TrainedCounts);

/** Whole words and word pairs say more than letter triples (which only help with spelling variants), so they count more. */
const WORD_FEATURE_WEIGHT = 3;

/** Naive Bayes is overconfident: log-likelihoods are averaged per feature and sharpened by this much before the softmax. */
const SHARPNESS = 1;

/** Classifies normalised words (objects already replaced by the placeholder). Uniform class priors: no action is assumed likelier. */
export function classify(words: readonly string[]): Classification {
  const k = CLASS_LABELS.length;
  const features = featuresOf(words);
  const scores = new Float64Array(k);
  let weight = 0;
  let wordCount = 0;
  let knownWords = 0;
  for (const f of features) {
    const isWord = !f.startsWith('c:');
    if (f.startsWith('w:')) wordCount++;
    const at = model.offsets.get(f);
    if (at === undefined) continue;
    if (f.startsWith('w:')) knownWords++;
    const w = isWord ? WORD_FEATURE_WEIGHT : 1;
    weight += w;
    for (let c = 0; c < k; c++) scores[c]! += w * (Math.log(model.rows[at + c]! + ALPHA) - model.logDenominator);
  }
  const seen = weight;
  const n = Math.max(1, weight);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    scores[c] = (scores[c]! / n) * SHARPNESS;
    if (scores[c]! > max) max = scores[c]!;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += (scores[c] = Math.exp(scores[c]! - max));
  const ranked = CLASS_LABELS.map((label, c) => ({ label, p: seen === 0 ? (label === 'out_of_scope' ? 1 : 0) : scores[c]! / sum })).sort((a, b) => b.p - a.p);
  return { ranked, coverage: wordCount === 0 ? 0 : knownWords / wordCount };
}
