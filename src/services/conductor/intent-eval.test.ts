// Tests the intent evaluation: the README's metrics computed right on a tiny hand-made file, per-category figures, and bad files named by line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { categoryOf, evaluateIntents, isConfidentWrong, isCorrect } from './intent-eval.js';

const vms = { screen: [1920, 1080], objects: [{ id: 'linux', type: 'vm', label: 'Linux', state: { power: 'running' } }, { id: 'windows', type: 'vm', label: 'Windows', state: { power: 'running' } }] };
const desks = {
  screen: [1920, 1080],
  objects: [
    { id: 'left', type: 'surface', label: 'Linux desktop', subsystem: 'linux', rect: [0, 0, 900, 700], state: { presented: true } },
    { id: 'right', type: 'surface', label: 'Windows desktop', subsystem: 'windows', rect: [960, 0, 900, 700], state: { presented: true } },
  ],
};
const line = (id: string, scene: object, text: string, expect: object) => JSON.stringify({ id, scene, gaze: [], utterance: { t: 0, text }, expect });
// What the engine does with each is plain (checked in the cognition tests); what is expected varies, to exercise every metric.
const file = [
  line('pause-01', vms, 'pause windows', { decision: 'execute', action: 'pause', target: 'windows' }), // right
  line('pause-02', vms, 'pause windows', { decision: 'execute', action: 'stop', target: 'windows' }), // executed, but another action: confidently wrong
  line('oos-01', vms, 'what is the weather in rome', { decision: 'out_of_scope' }), // right
  '',
  line('desk-01', desks, 'hide the desktop', { decision: 'clarify', options: ['left'] }), // asked, offering left: right
  line('desk-02', desks, 'hide the desktop', { decision: 'execute', action: 'hide', target: 'left' }), // asked where it should have acted
  line('oos-02', vms, 'tell me a joke', { decision: 'execute', action: 'status', target: 'linux' }), // refused where it should have acted
].join('\n');

describe('intent eval', () => {
  test('the summary follows the README on a hand-made file', () => {
    const report = evaluateIntents(file);
    assert.ok(report.ok, report.ok ? '' : report.error.message);
    const { results, summary } = report.value;
    assert.deepEqual(results.map((r) => [r.id, r.decision, r.correct]), [
      ['pause-01', 'execute', true],
      ['pause-02', 'execute', false],
      ['oos-01', 'out_of_scope', true],
      ['desk-01', 'clarify', true],
      ['desk-02', 'clarify', false],
      ['oos-02', 'out_of_scope', false],
    ]);
    assert.equal(summary.n, 6);
    assert.equal(summary.accuracy, 0.5);
    assert.equal(summary.confidentWrong, 0.1667);
    assert.equal(summary.clarifyRate, 0.3333);
    assert.equal(summary.clarifyPrecision, 0.5);
    assert.equal(summary.outOfScopeRecall, 1);
    assert.ok(summary.p50Ms >= 0 && summary.p99Ms >= summary.p50Ms);
    assert.deepEqual(results[3]!.options.sort(), ['left', 'right']);
    assert.ok(results.every((r) => typeof r.ms === 'number'));
  });

  test('figures per category group ids by their prefix up to the last -NN', () => {
    const report = evaluateIntents(file);
    assert.ok(report.ok);
    assert.deepEqual(Object.keys(report.value.byCategory).sort(), ['desk', 'oos', 'pause']);
    assert.equal(report.value.byCategory['pause']!.n, 2);
    assert.equal(report.value.byCategory['pause']!.confidentWrong, 0.5);
    assert.equal(report.value.byCategory['oos']!.outOfScopeRecall, 1);
    assert.equal(categoryOf('deictic-open-03'), 'deictic-open');
    assert.equal(categoryOf('plain'), 'plain');
  });

  test('a line that is not JSON, or not a scenario, is an error naming its line', () => {
    const notJson = evaluateIntents(`${line('a-01', vms, 'pause linux', { decision: 'execute' })}\n{oops`);
    assert.ok(!notJson.ok);
    assert.equal(notJson.error.code, 'RAYOS_EVAL_BAD_SCENARIO');
    assert.match(notJson.error.message, /Line 2 is not JSON/);
    const wrongShape = evaluateIntents(`\n\n${JSON.stringify({ id: 'x', scene: vms, utterance: { t: 0, text: 'hi' }, expect: { decision: 'maybe' } })}`);
    assert.ok(!wrongShape.ok);
    assert.match(wrongShape.error.message, /Line 3 is not a valid scenario at expect\.decision/);
  });

  test('a file with no scenarios is an error, not an empty report', () => {
    const empty = evaluateIntents('\n  \n');
    assert.ok(!empty.ok);
    assert.equal(empty.error.code, 'RAYOS_EVAL_NO_SCENARIOS');
  });

  test('correctness checks expected slots and options; confident-wrong is only about executing', () => {
    const d = { decision: 'execute' as const, action: 'search' as const, target: 'linux', slots: { query: 'tax forms' }, options: [] };
    assert.ok(isCorrect({ decision: 'execute', action: 'search', target: 'linux', slots: { query: 'tax forms' } }, d));
    assert.ok(!isCorrect({ decision: 'execute', action: 'search', target: 'linux', slots: { query: 'taxes' } }, d));
    assert.ok(!isConfidentWrong({ decision: 'execute', action: 'search', target: 'linux', slots: { query: 'taxes' } }, d), 'a slot alone is not another action or target');
    assert.ok(isConfidentWrong({ decision: 'clarify' }, d));
    assert.ok(!isConfidentWrong({ decision: 'execute', action: 'pause', target: 'linux' }, { ...d, decision: 'clarify' }));
    assert.ok(isCorrect({ decision: 'clarify', options: ['a'] }, { ...d, decision: 'clarify', options: ['b', 'a'] }));
    assert.ok(!isCorrect({ decision: 'clarify', options: ['a', 'c'] }, { ...d, decision: 'clarify', options: ['b', 'a'] }));
  });
});
