// Owns turning policy files into a checked policy set: parse, split, id, schema-validate (strict), with file:line:column for every problem.
import { checkParsePolicySet, policySetTextToParts, policyToJson, validate, type DetailedError, type PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { PolicyAction } from '../../contracts/policy.js';
import { byteToCharOffset, lineColumn, splitPolicies, type PolicySpan } from './cedar-source.js';
import { RAYOS_CEDAR_SCHEMA } from './rayos-schema.js';

/** A policy file as read from disk or sent by a client; `name` is canonical (`default.cedar`). */
export interface PolicySource {
  readonly name: string;
  readonly text: string;
}

/** The most one policy file may hold (the API refuses larger bodies too). */
export const MAX_POLICY_FILE_BYTES = 256 * 1024;

/** What an @id may be: plain enough for messages, the audit trail and the command line. */
const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CompiledPolicy {
  /** The @id annotation, else `<file>#<n>` (n counts from 1 in the file). */
  readonly id: string;
  readonly file: string;
  readonly effect: 'permit' | 'forbid';
  /** Marked @ask: a permit allows only after the person says yes; a forbid turns what would be allowed into a question. */
  readonly ask: boolean;
  readonly reason: string | null;
  readonly text: string;
  readonly line: number;
  /** The actions its scope names, or 'all' for an unconstrained action scope. */
  readonly actions: readonly string[] | 'all';
  /** Position in the whole set (files sorted by name, then order in the file): "first" always means the same policy. */
  readonly order: number;
  /** Cedar's JSON form, as parsed once. */
  readonly json: PolicyJson;
}

export interface CompiledFile {
  readonly name: string;
  readonly text: string;
  readonly policies: readonly CompiledPolicy[];
}

/** One problem in a policy file, located for a person with an editor. */
export interface PolicyProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface CompiledPolicySet {
  readonly files: readonly CompiledFile[];
  /** Every policy, in set order. */
  readonly policies: readonly CompiledPolicy[];
  readonly byId: ReadonlyMap<string, CompiledPolicy>;
  /** Validator warnings (e.g. a policy that can never match); they do not stop a set from loading. */
  readonly warnings: readonly PolicyProblem[];
}

interface Located {
  readonly source: PolicySource;
  readonly span: PolicySpan;
}

const formatProblem = (p: PolicyProblem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`;

function describe(error: DetailedError): string {
  const label = error.sourceLocations?.find((l) => l.label !== null)?.label;
  return [error.message, label ? `(${label})` : '', error.help ? `— ${error.help}` : ''].filter((s) => s !== '').join(' ');
}

/** Locates a Cedar error whose offsets are relative to `text`, which starts at `base` (a character offset) in the file. */
function problemAt(source: PolicySource, base: number, text: string, error: DetailedError): PolicyProblem {
  const first = error.sourceLocations?.[0];
  const offset = base + (first === undefined ? 0 : byteToCharOffset(text, first.start));
  return { file: source.name, ...lineColumn(source.text, offset), message: describe(error) };
}

function problemAtOffset(source: PolicySource, offset: number, message: string): PolicyProblem {
  return { file: source.name, ...lineColumn(source.text, offset), message };
}

/** RAYOS_POLICY_INVALID naming the first problems with file, line, column and Cedar's message. */
export function invalidPolicy(problems: readonly PolicyProblem[]): RayosError {
  const shown = problems.slice(0, 5).map(formatProblem).join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  const first = problems[0];
  const text = `The policy is not valid: ${shown}${more}`;
  return rayosError('RAYOS_POLICY_INVALID', /[.?!]$/.test(text) ? text : `${text}.`, {
    file: first?.file,
    line: first?.line,
    column: first?.column,
    problems: problems.map((p) => ({ ...p })),
  });
}

function actionsOf(json: PolicyJson): readonly string[] | 'all' {
  const scope = json.action;
  if (scope.op === 'All') return 'all';
  const uids = 'entities' in scope ? scope.entities : 'entity' in scope ? [scope.entity] : null;
  if (uids === null) return 'all';
  return uids.map((uid) => ('__entity' in uid ? uid.__entity.id : uid.id));
}

/** Parses, ids and splits one file; problems go to `problems`. */
function compileFile(source: PolicySource, problems: PolicyProblem[], located: Map<string, Located>, firstOrder: number): Result<CompiledPolicy[], RayosError> {
  if (Buffer.byteLength(source.text, 'utf8') > MAX_POLICY_FILE_BYTES) {
    problems.push({ file: source.name, line: 1, column: 1, message: `the file is larger than ${MAX_POLICY_FILE_BYTES / 1024} KiB` });
    return ok([]);
  }
  const parsed = checkParsePolicySet({ staticPolicies: source.text });
  if (parsed.type === 'failure') {
    problems.push(...parsed.errors.map((e) => problemAt(source, 0, source.text, e)));
    return ok([]);
  }
  const parts = policySetTextToParts(source.text);
  if (parts.type === 'failure') {
    problems.push(...parts.errors.map((e) => problemAt(source, 0, source.text, e)));
    return ok([]);
  }
  for (const template of parts.policy_templates) {
    problems.push(problemAtOffset(source, Math.max(0, source.text.indexOf(template)), 'templates (policies with ?principal or ?resource slots) are not supported; write the entity out'));
  }
  if (parts.policy_templates.length > 0) return ok([]);
  const spans = splitPolicies(source.text);
  if (spans.length !== parts.policies.length) {
    return err(rayosError('RAYOS_POLICY_ENGINE', `Cedar found ${parts.policies.length} policies in ${source.name} but RayOS split it into ${spans.length}; please report this with the file.`));
  }
  const policies: CompiledPolicy[] = [];
  spans.forEach((span, index) => {
    const text = source.text.slice(span.start, span.end);
    const json = policyToJson(text);
    if (json.type === 'failure') {
      problems.push(...json.errors.map((e) => problemAt(source, span.start, text, e)));
      return;
    }
    const annotations = json.json.annotations ?? {};
    const { line } = lineColumn(source.text, span.start);
    let id = `${source.name}#${index + 1}`;
    if ('id' in annotations) {
      const value = annotations['id'];
      if (typeof value !== 'string' || !POLICY_ID.test(value)) {
        problems.push(problemAtOffset(source, span.start, `an @id is 1–64 of A-Z, a-z, 0-9, ".", "_" and "-", starting with a letter or digit; got ${JSON.stringify(value ?? '').slice(0, 80)}`));
        return;
      }
      id = value;
    }
    const earlier = located.get(id);
    if (earlier !== undefined) {
      const at = lineColumn(earlier.source.text, earlier.span.start);
      problems.push(problemAtOffset(source, span.start, `duplicate policy id "${id}": ${earlier.source.name}:${at.line}:${at.column} has it already; every @id must be unique across the policy files`));
      return;
    }
    located.set(id, { source, span });
    const reason = annotations['reason'];
    policies.push({
      id,
      file: source.name,
      effect: json.json.effect,
      ask: 'ask' in annotations,
      reason: typeof reason === 'string' && reason.trim() !== '' ? reason : null,
      text,
      line,
      actions: actionsOf(json.json),
      order: firstOrder + policies.length,
      json: json.json,
    });
  });
  return ok(policies);
}

/**
 * Checks a whole set of files: each must parse, every policy gets a unique id, and every policy must
 * validate against the RayOS schema in strict mode. Nothing is loaded into the engine here.
 */
export function compilePolicySet(sources: readonly PolicySource[]): Result<CompiledPolicySet, RayosError> {
  const sorted = [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const problems: PolicyProblem[] = [];
  const located = new Map<string, Located>();
  const files: CompiledFile[] = [];
  const policies: CompiledPolicy[] = [];
  for (const source of sorted) {
    const compiled = compileFile(source, problems, located, policies.length);
    if (!compiled.ok) return compiled;
    files.push({ name: source.name, text: source.text, policies: compiled.value });
    policies.push(...compiled.value);
  }
  if (problems.length > 0) return err(invalidPolicy(problems));

  const byId = new Map(policies.map((p) => [p.id, p]));
  const locate = (policyId: string, error: DetailedError): PolicyProblem => {
    const where = located.get(policyId);
    const policy = byId.get(policyId);
    if (where === undefined || policy === undefined) return { file: '?', line: 1, column: 1, message: describe(error) };
    return problemAt(where.source, where.span.start, policy.text, error);
  };
  const answer = validate({
    schema: RAYOS_CEDAR_SCHEMA,
    policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') {
    return err(rayosError('RAYOS_POLICY_ENGINE', `Cedar could not validate the policy set: ${answer.errors.map(describe).join('; ')}.`));
  }
  if (answer.validationErrors.length > 0) {
    // Cedar reports in no stable order; a person reads problems top to bottom, file by file.
    const fileOrder = new Map(sorted.map((s, i) => [s.name, i]));
    const inReadingOrder = answer.validationErrors
      .map((e) => locate(e.policyId, e.error))
      .sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line || a.column - b.column);
    return err(invalidPolicy(inReadingOrder));
  }
  const warnings = answer.validationWarnings.map((w) => locate(w.policyId, w.error));
  return ok({ files, policies, byId, warnings });
}

/** The actions a policy's scope can match. */
export function governs(policy: CompiledPolicy, action: PolicyAction): boolean {
  return policy.actions === 'all' || policy.actions.includes(action);
}
