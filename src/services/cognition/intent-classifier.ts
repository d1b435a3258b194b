// Owns the fallback classifier: multinomial naive Bayes over words, word pairs and letter triples, trained at load from the registry's phrases and the out-of-scope corpus.
import { INTENT_ACTIONS, type IntentAction } from '../../contracts/intent.js';
import { REGISTRY } from './command-registry.js';
import { OUT_OF_SCOPE_CORPUS } from './out-of-scope-corpus.js';

export type ClassLabel = IntentAction | 'out_of_scope';
export const CLASS_LABELS: readonly ClassLabel[] = [...INTENT_ACTIONS, 'out_of_scope'];

/** The placeholder for an object's words: the classifier reads how something is asked, not what about. */
export const OBJECT_PLACEHOLDER = 'obj';

export interface Classification {
  /** Every class with its probability, most likely first. */
  readonly ranked: readonly { label: ClassLabel; p: number }[];
  /** How many of the words' features the classifier had seen in training (0 = it knows nothing about these words). */
  readonly coverage: number;
}

/** Words, neighbouring pairs and letter triples: triples let "minimized" or "relaunching" lean on "minimize" and "launch". */
export function featuresOf(withPlaceholders: readonly string[]): string[] {
  // The object's place carries no evidence either way (out-of-scope sentences have objects too: "the weather").
  const words = withPlaceholders.filter((w) => w !== OBJECT_PLACEHOLDER);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push(`w:${w}`);
    if (i > 0) out.push(`b:${words[i - 1]!}_${w}`);
    if (w.length > 2) {
      const padded = `#${w}#`;
      for (let k = 0; k + 3 <= padded.length; k++) out.push(`c:${padded.slice(k, k + 3)}`);
    }
  }
  return out;
}

/** Training sentences per class: every registry phrase with its object as the placeholder, the registry's examples, and the corpus. */
export function trainingSet(): { label: ClassLabel; words: string[] }[] {
  const docs: { label: ClassLabel; words: string[] }[] = [];
  for (const spec of REGISTRY.values()) {
    for (const phrase of spec.phrases) {
      const withObject = phrase.words.includes('*') ? phrase.words.replace('*', OBJECT_PLACEHOLDER) : spec.target === 'none' ? phrase.words : `${phrase.words} ${OBJECT_PLACEHOLDER}`;
      docs.push({ label: spec.action, words: withObject.split(' ') });
    }
    for (const example of spec.examples) docs.push({ label: spec.action, words: example.split(' ') });
  }
  for (const sentence of OUT_OF_SCOPE_CORPUS) docs.push({ label: 'out_of_scope', words: sentence.split(' ') });
  return docs;
}

interface Model {
  readonly logLikelihood: ReadonlyMap<string, Float64Array>;
  readonly unseen: Float64Array;
}

const ALPHA = 0.5;

function train(): Model {
  const k = CLASS_LABELS.length;
  const index = new Map(CLASS_LABELS.map((label, i) => [label, i]));
  const counts = new Map<string, Float64Array>();
  const totals = new Float64Array(k);
  for (const doc of trainingSet()) {
    const c = index.get(doc.label)!;
    // Each document counts once per feature, so a long example does not outweigh a short phrase.
    for (const f of new Set(featuresOf(doc.words))) {
      let row = counts.get(f);
      if (row === undefined) counts.set(f, (row = new Float64Array(k)));
      row[c]! += 1;
      totals[c]! += 1;
    }
  }
  const v = counts.size;
  const logLikelihood = new Map<string, Float64Array>();
  for (const [f, row] of counts) logLikelihood.set(f, row.map((n, c) => Math.log((n + ALPHA) / (totals[c]! + ALPHA * v))));
  const unseen = totals.map((t) => Math.log(ALPHA / (t + ALPHA * v)));
  return { logLikelihood, unseen };
}

const model = train();

/** Naive Bayes is overconfident: log-likelihoods are averaged per feature and sharpened by this much before the softmax. */
const SHARPNESS = 2.5;

/** Classifies normalised words (objects already replaced by the placeholder). Uniform class priors: no action is assumed likelier. */
export function classify(words: readonly string[]): Classification {
  const k = CLASS_LABELS.length;
  const features = featuresOf(words);
  const scores = new Float64Array(k);
  let seen = 0;
  for (const f of features) {
    const row = model.logLikelihood.get(f);
    if (row === undefined) continue;
    seen++;
    for (let c = 0; c < k; c++) scores[c]! += row[c]!;
  }
  const n = Math.max(1, seen);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    scores[c] = (scores[c]! / n) * SHARPNESS;
    if (scores[c]! > max) max = scores[c]!;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += (scores[c] = Math.exp(scores[c]! - max));
  const ranked = CLASS_LABELS.map((label, c) => ({ label, p: seen === 0 ? (label === 'out_of_scope' ? 1 : 0) : scores[c]! / sum })).sort((a, b) => b.p - a.p);
  return { ranked, coverage: features.length === 0 ? 0 : seen / features.length };
}
