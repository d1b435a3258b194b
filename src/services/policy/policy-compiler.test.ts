// Tests checking policy files with the real Cedar engine: the schema, the default set, and every kind of problem located by file:line:column.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { schemaToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { POLICY_ACTIONS } from '../../contracts/policy.js';
import { byteToCharOffset, lineColumn, splitPolicies } from './cedar-source.js';
import { DEFAULT_POLICIES, DEFAULT_POLICY_FILE } from './default-policies.js';
import { compilePolicySet, type PolicyProblem } from './policy-compiler.js';
import { RAYOS_CEDAR_SCHEMA } from './rayos-schema.js';

/** The problems of a set that must not compile, with the message RayOS gives. */
function problems(files: Record<string, string>): { message: string; problems: PolicyProblem[] } {
  const compiled = compilePolicySet(Object.entries(files).map(([name, text]) => ({ name, text })));
  assert.ok(!compiled.ok, 'the set should not compile');
  assert.equal(compiled.error.code, 'RAYOS_POLICY_INVALID');
  return { message: compiled.error.message, problems: compiled.error.details?.['problems'] as PolicyProblem[] };
}

/** Where `needle` starts in `text`, as 1-based line and column. */
function at(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in the text`);
  return lineColumn(text, offset);
}

describe('the RayOS schema', () => {
  test('parses and declares exactly the actions of POLICY_ACTIONS, each with the full context', () => {
    const json = schemaToJson(RAYOS_CEDAR_SCHEMA);
    assert.equal(json.type, 'success');
    const namespace = json.json[''];
    assert.ok(namespace !== undefined);
    assert.deepEqual(Object.keys(namespace.actions).sort(), [...POLICY_ACTIONS].sort());
    assert.deepEqual(Object.keys(namespace.entityTypes).sort(), ['ApiClient', 'Conductor', 'Device', 'GuestAgent', 'Person', 'PolicySet', 'Runtime', 'Surface', 'Vm']);
    const context = namespace.commonTypes?.['RequestContext'];
    assert.ok(context !== undefined && 'attributes' in context);
    assert.deepEqual(Object.keys(context.attributes).sort(), ['atBoot', 'committedMemoryMiB', 'committedVcpus', 'confidencePct', 'focused', 'from', 'now', 'presented', 'to']);
    // Required: policies read them without `has`.
    for (const [name, attribute] of Object.entries(context.attributes)) assert.notEqual(attribute.required, false, name);
  });
});

describe('the default policy set', () => {
  test('validates in strict mode with no warnings; every policy has an @id and a @reason', () => {
    const compiled = compilePolicySet([{ name: DEFAULT_POLICY_FILE, text: DEFAULT_POLICIES }]);
    assert.ok(compiled.ok, compiled.ok ? '' : compiled.error.message);
    assert.deepEqual(compiled.value.warnings, []);
    assert.deepEqual(
      compiled.value.policies.map((p) => p.id),
      ['vm-limits', 'windows-profile', 'vm-lifecycle', 'owner-surfaces-runtime', 'conductor-surfaces', 'owner-changes-policy', 'input-route', 'input-only-presented-focused', 'no-device-passthrough', 'no-host-file-sharing', 'boot-hidden', 'ask-before-sharing', 'ask-when-unsure'],
    );
    for (const policy of compiled.value.policies) {
      assert.ok(policy.reason !== null && /^[A-Z].*\.$/.test(policy.reason), `${policy.id} needs a readable @reason`);
      assert.ok(policy.text.startsWith('@id('), policy.id);
      assert.ok(policy.text.endsWith(';'), policy.id);
    }
  });

  test('docs/POLICY.md lists every default policy with its effect', () => {
    const doc = readFileSync(new URL('../../../../docs/POLICY.md', import.meta.url), 'utf8');
    const compiled = compilePolicySet([{ name: DEFAULT_POLICY_FILE, text: DEFAULT_POLICIES }]);
    assert.ok(compiled.ok);
    for (const policy of compiled.value.policies) {
      const effect = policy.ask ? `${policy.effect}, \`@ask\`` : policy.effect;
      assert.ok(doc.includes(`| \`${policy.id}\` | ${effect}`), `docs/POLICY.md has no row for ${policy.id} (${effect})`);
    }
  });
});

describe('problems are located by file, line and column with Cedar\'s message', () => {
  test('a syntax error', () => {
    const text = 'permit (principal, action, resource);\n\n@id("x")\npermit (principal, action == Action::"vm.start", resource)\n  when { resource.memoryMiB <= };\n';
    const found = problems({ 'broken.cedar': text });
    assert.deepEqual({ file: found.problems[0]?.file, line: found.problems[0]?.line, column: found.problems[0]?.column }, { file: 'broken.cedar', line: 5, column: 32 });
    assert.match(found.message, /^The policy is not valid: broken\.cedar:5:32: .*unexpected token `\}`/);
  });

  test('an unknown entity type', () => {
    const text = '@id("robots")\npermit (principal is Robot, action, resource);\n';
    const found = problems({ 'robots.cedar': text });
    assert.deepEqual(found.problems.map((p) => [p.line, p.column]), [[2, at(text, 'Robot').column]]);
    assert.match(found.message, /robots\.cedar:2:22: for policy `robots`, unrecognized entity type `Robot`/);
  });

  test('an unknown attribute of an entity and of the context', () => {
    const text = '// limits\npermit (principal, action == Action::"vm.start", resource is Vm)\n  when { resource.ramMiB < 10 };\npermit (principal, action == Action::"vm.stop", resource) when { context.mood == "ok" };\n';
    const found = problems({ 'attrs.cedar': text });
    assert.deepEqual(
      found.problems.map((p) => [p.line, p.column]),
      [
        [3, at(text, 'resource.ramMiB').column],
        [4, at(text, 'context.mood').column],
      ],
    );
    assert.match(found.message, /attrs\.cedar:3:10: for policy `attrs\.cedar#1`, attribute `ramMiB` on entity type `Vm` not found/);
    assert.match(found.message, /attrs\.cedar:4:\d+: .*attribute `mood` in context/);
  });

  test('an unknown action', () => {
    const text = 'permit (principal, action == Action::"vm.fly", resource);\n';
    const found = problems({ 'fly.cedar': text });
    assert.match(found.message, /fly\.cedar:1:30: for policy `fly\.cedar#1`, unrecognized action `Action::"vm\.fly"`/);
  });

  test('a duplicate @id, in one file and across files', () => {
    const one = problems({ 'dup.cedar': '@id("a") permit (principal, action, resource);\n@id("a") forbid (principal, action, resource);\n' });
    assert.match(one.message, /dup\.cedar:2:1: duplicate policy id "a": dup\.cedar:1:1 has it already/);
    const across = problems({ 'b-file.cedar': '\n\n@id("vm-limits") permit (principal, action, resource);\n', [DEFAULT_POLICY_FILE]: DEFAULT_POLICIES });
    assert.match(across.message, new RegExp(`default\\.cedar:${at(DEFAULT_POLICIES, '@id("vm-limits")').line}:1: duplicate policy id "vm-limits": b-file\\.cedar:3:1 has it already`));
  });

  test('an @id that is not plain, and a template', () => {
    assert.match(problems({ 'bad.cedar': '@id("has space") permit (principal, action, resource);' }).message, /bad\.cedar:1:1: an @id is 1–64 of/);
    assert.match(problems({ 'slot.cedar': 'permit (principal == ?principal, action, resource);' }).message, /slot\.cedar:1:1: .*template/);
  });

  test('columns count characters, not bytes, after non-ASCII text', () => {
    const text = '@reason("é — ü")\npermit (principal, action == Action::"vm.start", resource is Vm)\n  when { resource.nope };\n';
    assert.deepEqual(problems({ 'u.cedar': text }).problems.map((p) => [p.line, p.column]), [[3, 10]]);
    const inline = '@reason("é — ü") permit (principal, action == Action::"vm.start", resource is Vm) when { resource.nope };';
    assert.deepEqual(problems({ 'u.cedar': inline }).problems.map((p) => [p.line, p.column]), [[1, inline.indexOf('resource.nope') + 1]]);
  });

  test('several problems are all reported, the first in the details', () => {
    const found = problems({ 'many.cedar': 'permit (principal is A, action, resource);\npermit (principal is B, action, resource);\n' });
    assert.deepEqual(found.problems.map((p) => p.line), [1, 2]);
  });
});

describe('policy ids and text', () => {
  test('a policy without @id is <file>#<n>; text keeps the source exactly, with comments inside and strings holding ";" and "//"', () => {
    const text = '// header; with a semicolon\npermit (principal, action == Action::"vm.pause", resource); // trailing\n\n@id("strings")\n@reason("a; b // c")\nforbid (principal, action == Action::"vm.stop", resource is Vm)\n  // inside; a comment\n  when { resource.kind == "x\\";y" };\n';
    const compiled = compilePolicySet([{ name: 'mixed.cedar', text }]);
    assert.ok(compiled.ok, compiled.ok ? '' : compiled.error.message);
    const [first, second] = compiled.value.policies;
    assert.deepEqual([first?.id, first?.line, first?.effect, first?.ask, first?.reason], ['mixed.cedar#1', 2, 'permit', false, null]);
    assert.equal(first?.text, 'permit (principal, action == Action::"vm.pause", resource);');
    assert.deepEqual([second?.id, second?.line, second?.effect, second?.reason], ['strings', 4, 'forbid', 'a; b // c']);
    assert.equal(second?.text, text.slice(text.indexOf('@id("strings")'), text.lastIndexOf(';') + 1));
    assert.deepEqual(second?.actions, ['vm.stop']);
  });

  test('files are ordered by name, and policies by their place in the file', () => {
    const compiled = compilePolicySet([
      { name: 'zz.cedar', text: '@id("z1") permit (principal, action, resource);' },
      { name: 'aa.cedar', text: '@id("a1") permit (principal, action, resource);\n@id("a2") forbid (principal, action == Action::"vm.exec", resource);' },
    ]);
    assert.ok(compiled.ok);
    assert.deepEqual(
      compiled.value.policies.map((p) => [p.id, p.order, p.actions]),
      [
        ['a1', 0, 'all'],
        ['a2', 1, ['vm.exec']],
        ['z1', 2, 'all'],
      ],
    );
  });
});

describe('cedar-source helpers', () => {
  test('splitPolicies ignores ";" in strings and comments', () => {
    const text = '// a;b\n@id("x;") permit(principal, action, resource) when { "\\"; //" == "" };\n  forbid(principal, action, resource);  // c;\n';
    assert.deepEqual(
      splitPolicies(text).map((s) => text.slice(s.start, s.end)),
      ['@id("x;") permit(principal, action, resource) when { "\\"; //" == "" };', 'forbid(principal, action, resource);'],
    );
  });

  test('byte offsets become character offsets', () => {
    assert.equal(byteToCharOffset('abc', 2), 2);
    assert.equal(byteToCharOffset('é—x', 5), 2);
    assert.deepEqual(lineColumn('a\nbc\nd', 4), { line: 2, column: 3 });
    assert.deepEqual(lineColumn('abc', 0), { line: 1, column: 1 });
  });
});
