// Owns `rayos eval intents`: reading eval scenarios (shared/eval/README.md), resolving each with perception's attention and cognition, timing it, and computing the README's metrics.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { ScenarioSchema, type EvalReport, type IntentDecision, type Scenario } from '../../contracts/intent.js';
import { resolveIntent } from '../cognition/api.js';
import { attentionForUtterance } from '../perception/api.js';

type EvalResult = EvalReport['results'][number];
type EvalSummary = EvalReport['summary'];

/** The README's report plus figures per category (the id up to its last "-NN": "deictic-open-03" → "deictic-open"). */
export type IntentEvalReport = EvalReport & { byCategory: Record<string, EvalSummary> };

/**
 * Scenarios are timed after one untimed pass over (up to this many of) them: a fresh process compiles and optimises the
 * code on its first calls, and each new branch of it, which a running runtime paid long ago. The timed pass does the
 * same work (cognition keeps nothing between calls).
 */
const WARMUP_SCENARIOS = 1000;

export function categoryOf(id: string): string {
  return id.replace(/-\d+$/, '');
}

/** Parses JSON Lines of scenarios; the first bad line is an error naming its line number and what is wrong. Blank lines are skipped. */
export function parseScenarios(untrustedJsonl: string): Result<Scenario[], RayosError> {
  const scenarios: Scenario[] = [];
  const lines = untrustedJsonl.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const untrustedLine = lines[i]!;
    if (untrustedLine.trim() === '') continue;
    let untrusted: unknown;
    try {
      untrusted = JSON.parse(untrustedLine);
    } catch (error) {
      return err(rayosError('RAYOS_EVAL_BAD_SCENARIO', `Line ${i + 1} is not JSON (${error instanceof Error ? error.message : String(error)}); each line must be one scenario object (shared/eval/README.md).`, { line: i + 1 }));
    }
    const parsed = ScenarioSchema.safeParse(untrusted);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
      return err(rayosError('RAYOS_EVAL_BAD_SCENARIO', `Line ${i + 1} is not a valid scenario${where}: ${issue?.message ?? 'wrong shape'}; see shared/eval/README.md for the format.`, { line: i + 1 }));
    }
    scenarios.push(parsed.data);
  }
  if (scenarios.length === 0) return err(rayosError('RAYOS_EVAL_NO_SCENARIOS', 'The file has no scenarios; write one JSON scenario per line (shared/eval/README.md).'));
  return ok(scenarios);
}

/** Whether a decision is what the scenario expects (README: decision; for execute action, target and expected slots; for clarify the expected options). */
export function isCorrect(expect: Scenario['expect'], d: Pick<IntentDecision, 'decision' | 'action' | 'target' | 'slots' | 'options'>): boolean {
  if (d.decision !== expect.decision) return false;
  if (expect.decision === 'execute') {
    if (d.action !== expect.action || d.target !== (expect.target ?? null)) return false;
    return Object.entries(expect.slots ?? {}).every(([k, v]) => d.slots[k] === v);
  }
  if (expect.decision === 'clarify') return (expect.options ?? []).every((o) => d.options.includes(o));
  return true;
}

/** Executed, but not what was expected: another action or target, or an act where RayOS should have asked or refused. */
export function isConfidentWrong(expect: Scenario['expect'], d: Pick<IntentDecision, 'decision' | 'action' | 'target'>): boolean {
  if (d.decision !== 'execute') return false;
  return expect.decision !== 'execute' || d.action !== expect.action || d.target !== (expect.target ?? null);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function summarise(rows: readonly { result: EvalResult; expect: Scenario['expect']; wrong: boolean }[]): EvalSummary {
  const n = rows.length;
  const clarified = rows.filter((r) => r.result.decision === 'clarify');
  const expectedOut = rows.filter((r) => r.expect.decision === 'out_of_scope');
  const ms = rows.map((r) => r.result.ms).sort((a, b) => a - b);
  const share = (part: number, whole: number, empty: number) => (whole === 0 ? empty : round(part / whole, 4));
  return {
    n,
    accuracy: share(rows.filter((r) => r.result.correct).length, n, 0),
    confidentWrong: share(rows.filter((r) => r.wrong).length, n, 0),
    clarifyRate: share(clarified.length, n, 0),
    // No question asked is no needless question; no out-of-scope request is none missed.
    clarifyPrecision: share(clarified.filter((r) => r.expect.decision === 'clarify').length, clarified.length, 1),
    outOfScopeRecall: share(expectedOut.filter((r) => r.result.decision === 'out_of_scope').length, expectedOut.length, 1),
    p50Ms: round(percentile(ms, 0.5), 3),
    p99Ms: round(percentile(ms, 0.99), 3),
  };
}

function runOne(s: Scenario): { decision: IntentDecision; ms: number } {
  const began = performance.now();
  const attention = attentionForUtterance(s.scene, s.tracker, s.gaze, s.utterance.t);
  const decision = resolveIntent({ scene: s.scene, ...(s.tracker === undefined ? {} : { tracker: s.tracker }), ...(s.history === undefined ? {} : { history: s.history }), utterance: s.utterance }, attention);
  return { decision, ms: performance.now() - began };
}

/** Runs every scenario of a JSON Lines text and reports per-scenario results, the README's summary, and per-category figures. */
export function evaluateIntents(untrustedJsonl: string): Result<IntentEvalReport, RayosError> {
  const parsed = parseScenarios(untrustedJsonl);
  if (!parsed.ok) return parsed;
  const scenarios = parsed.value;
  for (const s of scenarios.slice(0, WARMUP_SCENARIOS)) runOne(s);
  const rows = scenarios.map((s) => {
    const { decision: d, ms } = runOne(s);
    const result: EvalResult = { id: s.id, decision: d.decision, action: d.action, target: d.target, options: d.options, ms: round(ms, 3), correct: isCorrect(s.expect, d) };
    return { result, expect: s.expect, wrong: isConfidentWrong(s.expect, d) };
  });
  const byCategory: Record<string, EvalSummary> = {};
  const categories = [...new Set(scenarios.map((s) => categoryOf(s.id)))];
  for (const c of categories) byCategory[c] = summarise(rows.filter((r) => categoryOf(r.result.id) === c));
  return ok({ results: rows.map((r) => r.result), summary: summarise(rows), byCategory });
}
