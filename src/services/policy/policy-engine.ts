// Owns deciding: a checked set preparsed once into Cedar, and decide(request) → allow | deny | ask with the policies and the reason.
import { preparsePolicySet, statefulIsAuthorized, type AuthorizationAnswer, type Context, type EntityJson, type Policy } from '@cedar-policy/cedar-wasm/nodejs';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { POLICY_ACTIONS, type PolicyAction, type PolicyDecision, type PolicyRequest } from '../../contracts/policy.js';
import { governs, type CompiledPolicy, type CompiledPolicySet } from './policy-compiler.js';
import { ACTION_RESOURCES } from './rayos-schema.js';

/** Decisions kept per loaded set; a set never changes, so a kept decision stays true until the set is replaced. */
const CACHE_LIMIT = 4096;

/** A checked set loaded into Cedar: what decide() reads, swapped whole in one assignment. */
export interface LoadedPolicySet {
  readonly compiled: CompiledPolicySet;
  /** Cedar's id for the preparsed set. */
  readonly cedarId: string;
  readonly loadedAt: string;
  /** Whether any policy may read context.now; if none does, `now` is left out of the cache key. */
  readonly readsNow: boolean;
  /** Per action, what its policies read: only that crosses into Cedar (each value handed over costs time). */
  readonly reads: ReadonlyMap<string, Reads>;
  readonly cache: Map<string, PolicyDecision>;
}

/** What the policies that govern an action read: context attributes (null: the whole context), and whether the resource's attributes. */
export interface Reads {
  readonly context: readonly string[] | null;
  readonly resource: boolean;
}

interface ReadsBuilder {
  context: Set<string> | null;
  resource: boolean;
}

const isVar = (node: unknown, name: string): boolean => typeof node === 'object' && node !== null && (node as Record<string, unknown>)['Var'] === name;

/**
 * Collects what an expression reads. Over-approximates on purpose: `context.x` and `context has x` read x; any other
 * use of `context` reads all of it; any use of `resource` in a condition reads its attributes.
 */
function collectReads(node: unknown, into: ReadsBuilder): void {
  if (Array.isArray(node)) {
    for (const item of node) collectReads(item, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'Var') {
      if (value === 'context') into.context = null;
      if (value === 'resource') into.resource = true;
      continue;
    }
    if ((key === '.' || key === 'has') && typeof value === 'object' && value !== null && isVar((value as Record<string, unknown>)['left'], 'context')) {
      const attr = (value as Record<string, unknown>)['attr'];
      const first = Array.isArray(attr) ? attr[0] : attr;
      if (typeof first === 'string') into.context?.add(first);
      else into.context = null;
      continue;
    }
    collectReads(value, into);
  }
}

function readsFor(policies: readonly CompiledPolicy[], action: PolicyAction): Reads {
  const into: ReadsBuilder = { context: new Set(), resource: false };
  for (const policy of policies) if (governs(policy, action)) collectReads(policy.json.conditions, into);
  return { context: into.context === null ? null : [...into.context], resource: into.resource };
}

/** `Vm::"linux"`: how decisions name entities in reasons and the audit trail. */
export const entityName = (entity: { readonly kind: string; readonly id: string }): string => `${entity.kind}::"${entity.id}"`;

/** Everything a policy may read from the context, with the defaults for what the caller left out. */
export function fillContext(context: PolicyRequest['context']): Context {
  const c = context ?? {};
  return {
    confidencePct: c.confidencePct ?? 100,
    presented: c.presented ?? false,
    focused: c.focused ?? false,
    atBoot: c.atBoot ?? false,
    committedMemoryMiB: c.committedMemoryMiB ?? 0,
    committedVcpus: c.committedVcpus ?? 0,
    from: c.from ?? '',
    to: c.to ?? '',
    now: c.now ?? Math.floor(Date.now() / 1000),
  };
}

function resourceEntities(resource: PolicyRequest['resource']): EntityJson[] {
  switch (resource.kind) {
    case 'Vm': {
      const { kind, memoryMiB, vcpus, diskMiB, network } = resource.attrs;
      return [{ uid: { type: 'Vm', id: resource.id }, attrs: { kind, memoryMiB, vcpus, diskMiB, network }, parents: [] }];
    }
    case 'Surface':
      return [{ uid: { type: 'Surface', id: resource.id }, attrs: { vm: resource.attrs.vm }, parents: [] }];
    case 'Device':
      return [{ uid: { type: 'Device', id: resource.id }, attrs: { class: resource.attrs.class }, parents: [] }];
    default:
      // PolicySet and Runtime have no attributes; principals have none either, so neither needs an entity.
      return [];
  }
}

/** Everything the decision depends on, as one string (the set is fixed per LoadedPolicySet). */
function cacheKey(request: PolicyRequest, context: Context, readsNow: boolean): string {
  const r = request.resource;
  let attrs: string;
  switch (r.kind) {
    case 'Vm':
      attrs = `${r.attrs.kind}\u0001${r.attrs.memoryMiB}\u0001${r.attrs.vcpus}\u0001${r.attrs.diskMiB}\u0001${String(r.attrs.network)}`;
      break;
    case 'Surface':
      attrs = r.attrs.vm;
      break;
    case 'Device':
      attrs = r.attrs.class;
      break;
    default:
      attrs = '';
  }
  const c = context;
  return [
    request.principal.kind,
    request.principal.id,
    request.action,
    r.kind,
    r.id,
    attrs,
    c['confidencePct'],
    c['presented'],
    c['focused'],
    c['atBoot'],
    c['committedMemoryMiB'],
    c['committedVcpus'],
    c['from'],
    c['to'],
    readsNow ? c['now'] : '',
  ].join('\u0000');
}

/** A caution (an @ask forbid) is loaded into Cedar as a permit, so one evaluation says both whether it matched and what else allows. */
const isCaution = (p: CompiledPolicy): boolean => p.ask && p.effect === 'forbid';

/**
 * Preparses checked sets into Cedar under ids private to this engine. Two slots alternate: the set in force
 * keeps its slot while a candidate is prepared in the other, so a candidate never disturbs a decision.
 */
export class PolicyLoader {
  private static instances = 0;
  private readonly prefix = `rayos-${++PolicyLoader.instances}`;
  private inForce: LoadedPolicySet | null = null;

  /** Marks which set decide() uses, so the next prepare() does not overwrite it. */
  markInForce(set: LoadedPolicySet): void {
    this.inForce = set;
  }

  /** The result is valid until the next prepare(), unless it is marked in force. */
  prepare(compiled: CompiledPolicySet): Result<LoadedPolicySet, RayosError> {
    const cedarId = this.inForce?.cedarId === `${this.prefix}-a` ? `${this.prefix}-b` : `${this.prefix}-a`;
    const policies: Record<string, Policy> = {};
    for (const p of compiled.policies) policies[p.id] = isCaution(p) ? { ...p.json, effect: 'permit' } : p.text;
    const loaded = preparsePolicySet(cedarId, { staticPolicies: policies });
    if (loaded.type === 'failure') return err(rayosError('RAYOS_POLICY_ENGINE', `Cedar could not load the checked policy set: ${loaded.errors.map((e) => e.message).join('; ')}.`));
    // Conservative: any mention of "now" (even in a reason) keeps it in the cache key.
    const readsNow = compiled.policies.some((p) => /\bnow\b/.test(p.text));
    const reads = new Map(POLICY_ACTIONS.map((action) => [action, readsFor(compiled.policies, action)]));
    return ok({ compiled, cedarId, loadedAt: new Date().toISOString(), readsNow, reads, cache: new Map() });
  }
}

type Outcome = { readonly kind: 'answer'; readonly decision: 'allow' | 'deny'; readonly determining: string[] } | { readonly kind: 'error'; readonly policies: string[]; readonly message: string };

const ALL_READS: Reads = { context: null, resource: true };

function evaluate(loaded: LoadedPolicySet, request: PolicyRequest, context: Context): Outcome {
  const reads = loaded.reads.get(request.action) ?? ALL_READS;
  let sliced: Context = context;
  if (reads.context !== null) {
    sliced = {};
    for (const key of reads.context) if (key in context) sliced[key] = context[key]!;
  }
  let answer: AuthorizationAnswer;
  try {
    answer = statefulIsAuthorized({
      principal: { type: request.principal.kind, id: request.principal.id },
      action: { type: 'Action', id: request.action },
      resource: { type: request.resource.kind, id: request.resource.id },
      context: sliced,
      preparsedPolicySetId: loaded.cedarId,
      entities: reads.resource ? resourceEntities(request.resource) : [],
    });
  } catch (error) {
    return { kind: 'error', policies: [], message: `the Cedar engine failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (answer.type === 'failure') return { kind: 'error', policies: [], message: answer.errors.map((e) => e.message).join('; ') };
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) {
    const first = diagnostics.errors[0];
    return { kind: 'error', policies: diagnostics.errors.map((e) => e.policyId), message: `policy ${first?.policyId ?? '?'}: ${first?.error.message ?? 'unknown error'}` };
  }
  return { kind: 'answer', decision, determining: diagnostics.reason };
}

const byOrder = (set: CompiledPolicySet, ids: readonly string[]): CompiledPolicy[] =>
  ids
    .map((id) => set.byId.get(id))
    .filter((p): p is CompiledPolicy => p !== undefined)
    .sort((a, b) => a.order - b.order);

const reasonOf = (policy: CompiledPolicy): string => policy.reason ?? `Policy ${policy.id} ${policy.effect === 'permit' ? 'permits' : 'forbids'} it.`;

const decision = (kind: PolicyDecision['decision'], policies: readonly CompiledPolicy[], reason: string): PolicyDecision => ({ decision: kind, policies: policies.map((p) => p.id), reason });

/** Deny-by-default, saying what mattered: the figures of a VM that was to start, and the permits that did not match. */
function noPermitReason(set: CompiledPolicySet, request: PolicyRequest, context: Context): string {
  let reason = `No policy permits ${request.action} on ${entityName(request.resource)} for ${entityName(request.principal)}.`;
  const resource = request.resource;
  if (resource.kind === 'Vm' && (request.action === 'vm.start' || request.action === 'vm.create')) {
    const a = resource.attrs;
    reason += ` The VM asks for ${a.memoryMiB} MiB, ${a.vcpus} vCPUs and ${a.diskMiB} MiB of disk, with ${String(context['committedMemoryMiB'])} MiB and ${String(context['committedVcpus'])} vCPUs already committed.`;
  }
  const permits = set.policies.filter((p) => p.effect === 'permit' && governs(p, request.action));
  if (permits.length === 0) return `${reason} No policy in force permits ${request.action} at all.`;
  const shown = permits.slice(0, 3).map((p) => (p.reason === null ? p.id : `${p.id} (${p.reason.replace(/[.\s]+$/, '')})`));
  return `${reason} Not matched: ${shown.join('; ')}${permits.length > 3 ? ` and ${permits.length - 3} more` : ''}.`;
}

function failClosed(set: CompiledPolicySet, policies: readonly string[], message: string): PolicyDecision {
  return { decision: 'deny', policies: byOrder(set, policies).map((p) => p.id), reason: `The request could not be evaluated (${message}), so it is denied: RayOS fails closed.` };
}

/**
 * The meaning of a Cedar answer in RayOS terms:
 * - a forbid that matched denies (its @reason);
 * - a caution (@ask forbid) that matched turns what the permits allow into a question, and allows nothing by itself;
 * - a permit that matched allows; if one of those is @ask, RayOS asks first (ask beats allow);
 * - nothing matched: denied by default, saying what mattered.
 */
function interpret(set: CompiledPolicySet, request: PolicyRequest, context: Context, outcome: Outcome): PolicyDecision {
  if (outcome.kind === 'error') return failClosed(set, outcome.policies, outcome.message);
  const determining = byOrder(set, outcome.determining);
  if (outcome.decision === 'deny') {
    return determining.length > 0 ? decision('deny', determining, reasonOf(determining[0]!)) : decision('deny', [], noPermitReason(set, request, context));
  }
  const permits = determining.filter((p) => !isCaution(p));
  if (permits.length === 0) return decision('deny', [], noPermitReason(set, request, context));
  const askers = determining.filter((p) => p.ask);
  if (askers.length === 0) return decision('allow', permits, reasonOf(permits[0]!));
  return decision('ask', [...askers, ...permits.filter((p) => !p.ask)], reasonOf(askers[0]!));
}

/** Decides one request against a loaded set. Synchronous, and never throws: anything unexpected is a deny that says why. */
export function decideWith(loaded: LoadedPolicySet, request: PolicyRequest): PolicyDecision {
  const set = loaded.compiled;
  const applies = ACTION_RESOURCES[request.action] as readonly string[] | undefined;
  if (applies === undefined) return { decision: 'deny', policies: [], reason: `${String(request.action)} is not an action RayOS decides by policy.` };
  if (!applies.includes(request.resource.kind)) {
    return { decision: 'deny', policies: [], reason: `${request.action} applies to ${applies.join(' or ')}, not to ${entityName(request.resource)}.` };
  }
  const context = fillContext(request.context);
  const key = cacheKey(request, context, loaded.readsNow);
  let decided = loaded.cache.get(key);
  if (decided === undefined) {
    decided = interpret(set, request, context, evaluate(loaded, request, context));
    if (loaded.cache.size >= CACHE_LIMIT) loaded.cache.clear();
    loaded.cache.set(key, decided);
  }
  // A copy: what the caller does with its decision never changes the kept one.
  return { decision: decided.decision, policies: [...decided.policies], reason: decided.reason };
}

/** The request a policy set must allow, or nobody could ever change the policy again. */
export const LOCKOUT_PROBE: PolicyRequest = {
  principal: { kind: 'Person', id: 'owner' },
  action: 'policy.apply',
  resource: { kind: 'PolicySet', id: 'active' },
};

export function checkLockout(loaded: LoadedPolicySet, what: string): Result<void, RayosError> {
  const probe = decideWith(loaded, LOCKOUT_PROBE);
  if (probe.decision === 'allow') return ok(undefined);
  const by = probe.policies.length > 0 ? `policy ${probe.policies.join(', ')} would ${probe.decision === 'ask' ? 'make it ask' : 'deny it'} (${probe.reason})` : 'no policy would permit it';
  return err(
    rayosError('RAYOS_POLICY_LOCKOUT', `${what} would lock the owner out of changing the policy: Person::"owner" policy.apply on PolicySet::"active" must stay allowed, but ${by}. Nothing was changed.`, {
      policies: probe.policies,
      decision: probe.decision,
    }),
  );
}

export function governingPolicies(loaded: LoadedPolicySet, action: PolicyAction): CompiledPolicy[] {
  return loaded.compiled.policies.filter((p) => governs(p, action));
}
