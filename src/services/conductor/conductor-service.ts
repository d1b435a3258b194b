// Owns the conductor: words (+ gaze) → scene → cognition's decision → a plan of typed steps → each through its service's policy check → result, journaled with why.
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import { IntentRequestSchema, type IntentExplanation, type IntentOutcome, type IntentRequest } from '../../contracts/conductor.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { AttentionSnapshot, GazeSample, IntentDecision, Scene, Tracker } from '../../contracts/intent.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import type { DisplayControl } from '../display/api.js';
import type { VmSupervisor } from '../vm/api.js';
import type { Storage } from '../storage/api.js';
import { DialogueHistory, historyEventOf } from './dialogue-history.js';
import { buildScene, type SceneSnapshot } from './scene-builder.js';
import { explanationOf, lastDoneFromJournal, outcomeFromJournal } from './intent-explainer.js';
import { EXPLAIN_REACH_HOURS, runIntent, type PendingQuestion } from './intent-runner.js';
import type { RefineIntent } from './llm-refiner.js';

/** How cognition is reached: resolveIntent from services/cognition (wired by the composition root). */
export type ResolveIntent = (input: { scene: Scene; tracker?: Tracker; history?: ReturnType<DialogueHistory['relativeTo']>; utterance: { t: number; text: string } }, attention: AttentionSnapshot | null) => IntentDecision;

/** How attention is reached: the live field (the page's gaze or pointer), or a recorded trace (services/perception). */
export interface AttentionSource {
  /** Keeps the live field's objects where the windows are (called whenever surfaces or VMs change). */
  setScene(scene: Scene): void;
  live(scene: Scene, at: number): AttentionSnapshot | null;
  fromTrace(scene: Scene, tracker: Tracker | undefined, gaze: readonly GazeSample[], at: number): AttentionSnapshot;
}

export interface ConductorControl {
  /** Handles one request; RAYOS_CONDUCTOR_* for a request that cannot be read, otherwise an outcome (done, denied, clarify…). */
  handle(untrustedRequest: unknown): Promise<Result<IntentOutcome, RayosError>>;
  explain(intentId: string): Promise<Result<IntentExplanation, RayosError>>;
  recent(limit: number): IntentOutcome[];
}

export type ConductorService = Service & { readonly control: ConductorControl };

const KEEP_OUTCOMES = 200;

export function createConductorService(options: {
  vms: VmSupervisor;
  display: DisplayControl;
  storage: Storage;
  resolve: ResolveIntent;
  attention: AttentionSource;
  /** The LLM second opinion, when configured (cognition.llm). */
  refine?: RefineIntent | null;
  /** What the LLM backend is (off, openai, llama) and why it cannot be used, if it cannot. */
  llm?: { label: string; problem: string | null };
  now?: () => number;
}): ConductorService {
  const { vms, display, storage, resolve, attention } = options;
  const now = options.now ?? Date.now;
  const history = new DialogueHistory(now);
  const outcomes: IntentOutcome[] = [];
  const pending = new Map<string, PendingQuestion>();
  let bus: EventBus | null = null;
  let markers: MarkerWriter | null = null;
  let unsubscribe: (() => void) | null = null;
  let handled = 0;

  async function snapshotsOf(): Promise<SceneSnapshot[]> {
    const all: SceneSnapshot[] = [];
    for (const vm of vms.list()) {
      if (vm.state !== 'running' && vm.state !== 'paused') continue;
      const listed = await vms.snapshots(vm.name);
      if (listed.ok) all.push(...listed.value.map((s) => ({ vm: vm.name, tag: s.tag, createdAt: s.createdAt })));
    }
    return all;
  }

  const remember = (outcome: IntentOutcome): void => {
    outcomes.push(outcome);
    if (outcomes.length > KEEP_OUTCOMES) outcomes.splice(0, outcomes.length - KEEP_OUTCOMES);
  };

  async function handle(untrustedRequest: unknown): Promise<Result<IntentOutcome, RayosError>> {
    const parsed = IntentRequestSchema.safeParse(untrustedRequest ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return err(rayosError('RAYOS_CONDUCTOR_BAD_REQUEST', `The request is not valid (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'wrong shape'}); send {"text": "what you want"}, optionally with "gaze": [[tMs, x, y], …].`));
    }
    const request: IntentRequest = parsed.data;
    const at = now();
    const scene = buildScene(vms.list(), display.list(), await snapshotsOf());
    const gazeAt = request.at ?? request.gaze?.at(-1)?.[0] ?? 0;
    const seen = request.gaze !== undefined ? attention.fromTrace(scene, request.tracker, request.gaze, gazeAt) : attention.live(scene, at);
    const outcome = await runIntent({
      request,
      intentId: randomUUID().slice(0, 8),
      at,
      scene,
      attention: seen,
      history,
      pending,
      recentOutcomes: outcomes,
      resolve,
      refine: options.refine ?? null,
      vms,
      display,
      lastDoneInJournal: (vm) => lastDoneFromJournal(storage, vm, now() - EXPLAIN_REACH_HOURS * 3_600_000),
    });
    if (!outcome.ok) return outcome;
    handled += 1;
    remember(outcome.value);
    markers?.emit('RAYOS_CONDUCTOR', 'HANDLED', outcome.value.intentId, outcome.value.outcome);
    bus?.publish('intent.handled', outcome.value);
    return outcome;
  }

  async function explain(untrustedId: string): Promise<Result<IntentExplanation, RayosError>> {
    const id = untrustedId.trim();
    const known = outcomes.find((o) => o.intentId === id);
    if (known) return ok(explanationOf(known));
    if (!/^[0-9a-f]{8}$/.test(id)) return err(rayosError('RAYOS_CONDUCTOR_UNKNOWN_INTENT', `"${id.slice(0, 64)}" is not an intent id (8 hex digits, as "rayos do" prints them).`));
    const found = await outcomeFromJournal(storage, id);
    if (found === null) return err(rayosError('RAYOS_CONDUCTOR_UNKNOWN_INTENT', `No intent ${id} in the journal; "rayos do" prints the id of each request.`));
    return ok(explanationOf(found));
  }

  return {
    name: 'conductor',
    dependsOn: ['storage', 'vm', 'display'],
    control: { handle, explain, recent: (limit) => outcomes.slice(-limit).reverse() },
    async start(ctx: ServiceContext) {
      bus = ctx.bus;
      markers = ctx.markers;
      const llm = options.llm ?? { label: 'off', problem: null };
      if (llm.problem !== null) ctx.markers.emit('RAYOS_CONDUCTOR', 'LLM_UNUSABLE', llm.label);
      else ctx.markers.emit('RAYOS_CONDUCTOR', 'LLM', llm.label);
      const syncScene = () => attention.setScene(buildScene(vms.list(), display.list(), []));
      unsubscribe = ctx.bus.subscribe((event) => {
        const named = historyEventOf(event);
        if (named) history.event(named.event, named.target);
        if (event.type.startsWith('surface.') || event.type === 'vm.state-changed') syncScene();
      });
      syncScene();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      pending.clear();
    },
    health(): Health {
      const llm = options.llm ?? { label: 'off', problem: null };
      const second = llm.problem === null ? `LLM ${llm.label}` : `LLM ${llm.label} unusable: ${llm.problem}`;
      return { status: llm.problem === null ? 'ok' : 'degraded', detail: `${handled} requests handled, ${pending.size} questions open; ${second}` };
    },
  };
}
