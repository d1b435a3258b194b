// Owns the policy service: the set in force (loaded at start, swapped whole on apply, remove or a watched change) and every decision's audit event.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import { RayosFailure, rayosError, type RayosError } from '../../contracts/errors.js';
import type { PolicyAction, PolicyDecision, PolicyExplain, PolicyFileResult, PolicyInfo, PolicyRequest, PolicyShow } from '../../contracts/policy.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import type { Storage } from '../storage/api.js';
import { DEFAULT_POLICIES, DEFAULT_POLICY_FILE, isUntouchedEarlierDefault } from './default-policies.js';
import { compilePolicySet, type CompiledFile, type CompiledPolicy, type PolicySource } from './policy-compiler.js';
import { checkLockout, decideWith, entityName, governingPolicies, PolicyLoader, type LoadedPolicySet } from './policy-engine.js';
import { checkPolicyFileName, listPolicyFiles, markerSafeName, readPolicyDir, removePolicyFile } from './policy-files.js';

/** What enforcement points, the API and the CLI may ask of the policy engine. */
export interface PolicyEngineApi {
  /**
   * Decides one request against the set in force: synchronous, never throws, fails closed (an evaluation
   * error or a stopped service is a deny that says why). Every call publishes `policy.decided`; a deny
   * also prints RAYOS_POLICY:DENIED.
   */
  decide(request: PolicyRequest): PolicyDecision;
  /** What decide would answer, without publishing or auditing anything: `rayos policy test`. */
  preview(request: PolicyRequest): PolicyDecision;
  /** Validates the set that would result from adding or replacing this file (parse, schema, lockout); changes nothing. */
  check(untrustedName: string, untrustedText: string): Result<PolicyFileResult, RayosError>;
  /** Like check, then writes `<policy dir>/<name>.cedar` durably and puts the new set in force in one step. */
  apply(untrustedName: string, untrustedText: string): Result<PolicyFileResult, RayosError>;
  /** Takes a file out of the set (same checks as apply) and deletes it. */
  remove(untrustedName: string): Result<PolicyFileResult, RayosError>;
  /** The files in force and their policies. */
  show(): PolicyShow;
  /** The policies whose scope can match the action (those naming it, and those with an unconstrained action). */
  explain(action: PolicyAction): PolicyExplain;
}

export type PolicyService = Service & PolicyEngineApi;

const RELOAD_DEBOUNCE_MS = 150;

const info = (p: CompiledPolicy): PolicyInfo => ({ id: p.id, file: p.file, effect: p.effect, ask: p.ask, reason: p.reason, text: p.text });

const withHint = (error: RayosError, hint: string): RayosError => (hint === '' ? error : { ...error, message: `${error.message} ${hint}` });

/** Lockout messages already say that nothing changed. */
const unchanged = (error: RayosError, hint: string): RayosError => withHint(error, error.code === 'RAYOS_POLICY_LOCKOUT' ? '' : hint);

const sourcesOf = (files: readonly CompiledFile[]): PolicySource[] => files.map((f) => ({ name: f.name, text: f.text }));

const fingerprint = (sources: readonly PolicySource[]): string => {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(`${s.name}\0${s.text}\0`);
  return hash.digest('hex');
};

export function createPolicyService(options: { storage: Storage }): PolicyService {
  const loader = new PolicyLoader();
  let inForce: LoadedPolicySet | null = null;
  let ctx: ServiceContext | null = null;
  let watcher: FSWatcher | null = null;
  let reloadTimer: NodeJS.Timeout | null = null;
  let watchProblem: string | null = null;
  /** The on-disk state last refused by a reload (kept in health), and its fingerprint so one bad save is reported once. */
  let diskRejection: { error: RayosError; fingerprint: string } | null = null;

  const policyDir = (): string => options.storage.layout.policyDir;

  const putInForce = (loaded: LoadedPolicySet): void => {
    loader.markInForce(loaded);
    // One assignment: a decision reads either the old set or the new one, never a mix.
    inForce = loaded;
  };

  /** Compile, load into the spare slot and check the lockout rule; the set in force is untouched. */
  const candidate = (sources: readonly PolicySource[], what: string): Result<LoadedPolicySet, RayosError> => {
    const compiled = compilePolicySet(sources);
    if (!compiled.ok) return compiled;
    const loaded = loader.prepare(compiled.value);
    if (!loaded.ok) return loaded;
    const lockout = checkLockout(loaded.value, what);
    return lockout.ok ? loaded : lockout;
  };

  const emitLoaded = (loaded: LoadedPolicySet): void => {
    const files = loaded.compiled.files.map((f) => f.name);
    ctx?.markers.emit('RAYOS_POLICY', 'LOADED', files.length, loaded.compiled.policies.length);
    ctx?.bus.publish('policy.loaded', { files, policies: loaded.compiled.policies.length });
  };

  const rejected = (file: string, error: RayosError): RayosError => {
    const safe = markerSafeName(file);
    ctx?.markers.emit('RAYOS_POLICY', 'REJECTED', safe, error.code);
    ctx?.bus.publish('policy.rejected', { file: safe, code: error.code, message: error.message });
    return error;
  };

  const notRunning = (): RayosError => rayosError('RAYOS_POLICY_ENGINE', 'The policy service is not running; start the runtime first.');

  /** The candidate for check and apply: the set in force with this one file added or replaced. */
  const candidateWith = (untrustedName: string, untrustedText: string): Result<{ name: string; loaded: LoadedPolicySet }, RayosError> => {
    const name = checkPolicyFileName(untrustedName);
    if (!name.ok) return name;
    if (typeof untrustedText !== 'string') return err(rayosError('RAYOS_POLICY_BAD_REQUEST', 'The policy text must be a string of Cedar policies.'));
    const current = inForce;
    if (current === null) return err(notRunning());
    const sources = sourcesOf(current.compiled.files).filter((s) => s.name !== name.value);
    sources.push({ name: name.value, text: untrustedText });
    const loaded = candidate(sources, `Applying ${name.value}`);
    if (!loaded.ok) return err(unchanged(loaded.error, 'The policy in force is unchanged.'));
    return ok({ name: name.value, loaded: loaded.value });
  };

  const policiesIn = (loaded: LoadedPolicySet, file: string): number => loaded.compiled.files.find((f) => f.name === file)?.policies.length ?? 0;

  /** A watched change: validated like apply; a bad state on disk is reported and the set in force stays. */
  const reloadFromDisk = (): void => {
    reloadTimer = null;
    const current = inForce;
    if (current === null) return;
    const read = readPolicyDir(policyDir());
    const sources = read.ok ? read.value : [];
    const print = read.ok ? fingerprint(sources) : `unreadable: ${read.error.message}`;
    if (read.ok && print === fingerprint(sourcesOf(current.compiled.files))) {
      diskRejection = null;
      return;
    }
    if (diskRejection?.fingerprint === print) return;
    const inForceNames = new Set(current.compiled.files.map((f) => f.name));
    const changed = [
      ...sources.filter((s) => current.compiled.files.find((f) => f.name === s.name)?.text !== s.text).map((s) => s.name),
      ...[...inForceNames].filter((name) => !sources.some((s) => s.name === name)),
    ];
    const loaded = read.ok ? candidate(sources, `The policy files as changed on disk (${changed.join(', ') || 'none'})`) : read;
    if (!loaded.ok) {
      const error = unchanged(loaded.error, 'The set in force is unchanged.');
      diskRejection = { error, fingerprint: print };
      const file = loaded.error.details?.['file'];
      rejected(typeof file === 'string' ? file : (changed[0] ?? '*'), error);
      return;
    }
    diskRejection = null;
    putInForce(loaded.value);
    emitLoaded(loaded.value);
  };

  const startWatching = (): void => {
    try {
      watcher = watch(policyDir(), () => {
        if (reloadTimer !== null) clearTimeout(reloadTimer);
        reloadTimer = setTimeout(reloadFromDisk, RELOAD_DEBOUNCE_MS);
      });
      watcher.on('error', (error) => {
        watchProblem = `watching ${policyDir()} failed: ${error.message}`;
      });
    } catch (error) {
      watchProblem = `cannot watch ${policyDir()}: ${(error as Error).message}`;
    }
  };

  return {
    name: 'policy',
    dependsOn: ['storage'],

    async start(context: ServiceContext) {
      ctx = context;
      const dir = policyDir();
      const startHint = `RayOS does not run without a valid policy: fix or remove the file in ${dir} and start again.`;
      try {
        const defaultPath = join(dir, DEFAULT_POLICY_FILE);
        if (listPolicyFiles(dir).length === 0) options.storage.writeFileAtomic(defaultPath, DEFAULT_POLICIES, 0o600);
        else if (existsSync(defaultPath) && isUntouchedEarlierDefault(readFileSync(defaultPath, 'utf8'))) {
          options.storage.writeFileAtomic(defaultPath, DEFAULT_POLICIES, 0o600);
          context.markers.emit('RAYOS_POLICY', 'DEFAULT_UPGRADED', DEFAULT_POLICY_FILE);
        }
      } catch (error) {
        throw new RayosFailure(rayosError('RAYOS_RUNTIME_DATA_DIR', `Cannot write the default policy into ${dir}: ${(error as Error).message}.`));
      }
      const read = readPolicyDir(dir);
      if (!read.ok) throw new RayosFailure(withHint(read.error, startHint));
      const loaded = candidate(read.value, 'The policy files');
      if (!loaded.ok) throw new RayosFailure(withHint(loaded.error, startHint));
      putInForce(loaded.value);
      emitLoaded(loaded.value);
      if (context.config.policy.watch) startWatching();
    },

    async stop() {
      watcher?.close();
      watcher = null;
      if (reloadTimer !== null) clearTimeout(reloadTimer);
      reloadTimer = null;
      // Nothing is allowed by a stopped policy service.
      inForce = null;
    },

    health(): Health {
      const current = inForce;
      if (current === null) return { status: 'failed', detail: 'no policy set in force' };
      const detail = `${current.compiled.policies.length} policies from ${current.compiled.files.length} files, loaded ${current.loadedAt}`;
      if (diskRejection !== null) return { status: 'degraded', detail: `${detail}; the files on disk were rejected: ${diskRejection.error.message}` };
      if (watchProblem !== null) return { status: 'degraded', detail: `${detail}; ${watchProblem}` };
      return { status: 'ok', detail };
    },

    preview(request) {
      const current = inForce;
      return current === null ? { decision: 'deny', policies: [], reason: 'The policy service is not running, so nothing is allowed.' } : decideWith(current, request);
    },

    decide(request) {
      const current = inForce;
      const decided: PolicyDecision = current === null ? { decision: 'deny', policies: [], reason: 'The policy service is not running, so nothing is allowed.' } : decideWith(current, request);
      if (ctx !== null) {
        const resource = request.resource;
        ctx.bus.publish('policy.decided', { principal: entityName(request.principal), action: request.action, resource: entityName(resource), ...decided });
        if (decided.decision === 'deny') ctx.markers.emit('RAYOS_POLICY', 'DENIED', request.action, `${resource.kind}.${resource.id}`);
      }
      return decided;
    },

    check(untrustedName, untrustedText) {
      const checked = candidateWith(untrustedName, untrustedText);
      if (!checked.ok) return checked;
      return ok({ name: checked.value.name, policies: policiesIn(checked.value.loaded, checked.value.name), applied: false });
    },

    apply(untrustedName, untrustedText) {
      const checked = candidateWith(untrustedName, untrustedText);
      if (!checked.ok) {
        const canonical = checkPolicyFileName(untrustedName);
        return err(rejected(canonical.ok ? canonical.value : untrustedName, checked.error));
      }
      const { name, loaded } = checked.value;
      try {
        options.storage.writeFileAtomic(join(policyDir(), name), untrustedText, 0o600);
      } catch (error) {
        return err(rejected(name, rayosError('RAYOS_RUNTIME_DATA_DIR', `Cannot write ${join(policyDir(), name)}: ${(error as Error).message}. The policy in force is unchanged.`)));
      }
      putInForce(loaded);
      const policies = policiesIn(loaded, name);
      ctx?.markers.emit('RAYOS_POLICY', 'APPLIED', name);
      ctx?.bus.publish('policy.applied', { file: name, policies });
      return ok({ name, policies, applied: true });
    },

    remove(untrustedName) {
      const name = checkPolicyFileName(untrustedName);
      if (!name.ok) return name;
      const current = inForce;
      if (current === null) return err(notRunning());
      const file = current.compiled.files.find((f) => f.name === name.value);
      if (file === undefined) {
        const known = current.compiled.files.map((f) => f.name).join(', ');
        return err(rayosError('RAYOS_POLICY_FILE_NOT_FOUND', `There is no policy file ${name.value} in force (files: ${known}); "rayos policy show" lists them.`));
      }
      const loaded = candidate(
        sourcesOf(current.compiled.files).filter((s) => s.name !== name.value),
        `Removing ${name.value}`,
      );
      if (!loaded.ok) return err(rejected(name.value, unchanged(loaded.error, 'The policy in force is unchanged.')));
      try {
        removePolicyFile(policyDir(), name.value);
      } catch (error) {
        return err(rejected(name.value, rayosError('RAYOS_RUNTIME_DATA_DIR', `Cannot remove ${join(policyDir(), name.value)}: ${(error as Error).message}. The policy in force is unchanged.`)));
      }
      putInForce(loaded.value);
      emitLoaded(loaded.value);
      return ok({ name: name.value, policies: file.policies.length, applied: true });
    },

    show() {
      const current = inForce;
      if (current === null) return { files: [], loadedAt: '' };
      return { files: current.compiled.files.map((f) => ({ name: f.name, policies: f.policies.map(info) })), loadedAt: current.loadedAt };
    },

    explain(action) {
      const current = inForce;
      return { action, policies: current === null ? [] : governingPolicies(current, action).map(info) };
    },
  };
}
