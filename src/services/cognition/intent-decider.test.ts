// Tests the decision rules on hand-made lattices: margins that grow with risk, inform on a failed precondition, questions that offer what is uncertain.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IntentAction, Scene } from '../../contracts/intent.js';
import { decide } from './intent-decider.js';
import type { Lattice, LatticeEntry } from './intent-lattice.js';
import { indexScene } from './referent-names.js';

const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'linux', type: 'vm', label: 'Linux', state: { power: 'running' } },
    { id: 'windows', type: 'vm', label: 'Windows', state: { power: 'running' } },
    { id: 'linux-desktop', type: 'surface', label: 'Linux desktop', subsystem: 'linux', rect: [0, 0, 800, 600], state: { presented: true } },
  ],
};
const index = indexScene(scene);
const entry = (action: IntentAction, target: string | null, p: number, failed: string | null = null): LatticeEntry => ({ action, target, slots: {}, p, said: p, failed, why: 'test' });
const lattice = (...entries: LatticeEntry[]): Lattice => ({ entries, unexplained: 0, outOfScope: 0 });
const run = (l: Lattice) => decide(l, { index, trace: [] });

describe('intent decider', () => {
  test('the same lead executes a low-risk action but asks before a high-risk one', () => {
    assert.equal(run(lattice(entry('present', 'linux', 0.66), entry('present', 'windows', 0.34))).decision, 'execute');
    const stop = run(lattice(entry('stop', 'linux', 0.66), entry('stop', 'windows', 0.34)));
    assert.equal(stop.decision, 'clarify');
    assert.deepEqual(stop.options, ['linux', 'windows']);
  });

  test('a medium-risk action sits between: executes with a clear lead, asks with a narrow one', () => {
    assert.equal(run(lattice(entry('pause', 'linux', 0.7), entry('pause', 'windows', 0.3))).decision, 'execute');
    assert.equal(run(lattice(entry('pause', 'linux', 0.6), entry('pause', 'windows', 0.4))).decision, 'clarify');
  });

  test('a sure reading whose precondition fails is an inform naming it', () => {
    const d = run(lattice(entry('pause', 'windows', 0.9, 'Windows is already paused.')));
    assert.equal(d.decision, 'inform');
    assert.equal(d.message, 'Windows is already paused.');
    assert.equal(d.action, 'pause');
  });

  test('when the actions differ the question offers actions; when the objects differ, objects', () => {
    const byAction = run(lattice(entry('restore', 'linux', 0.5), entry('inspect', 'linux', 0.5)));
    assert.equal(byAction.decision, 'clarify');
    assert.deepEqual(byAction.options, ['restore', 'inspect']);
    assert.match(byAction.question ?? '', /restore|inspect|snapshot|details/);
  });

  test('a VM and its desktop window are one thing: not rivals for the margin', () => {
    const d = run(lattice(entry('hide', 'linux-desktop', 0.55), entry('hide', 'linux', 0.45)));
    assert.equal(d.decision, 'execute');
    assert.equal(d.target, 'linux-desktop');
    assert.equal(d.confidence, 1);
  });

  test('gaze picked the object: a neighbour with a share of the look past the accuracy floor makes it ask', () => {
    const l = lattice(entry('hide', 'linux-desktop', 0.75), entry('hide', 'windows', 0.2));
    const near = decide(l, { index, trace: [], looked: [{ id: 'linux-desktop', p: 0.78 }, { id: 'windows', p: 0.2 }] });
    assert.equal(near.decision, 'clarify');
    assert.deepEqual(near.options, ['linux-desktop', 'windows']);
    const far = decide(l, { index, trace: [], looked: [{ id: 'linux-desktop', p: 0.93 }, { id: 'windows', p: 0.05 }] });
    assert.equal(far.decision, 'execute');
    // a neighbour the request cannot be done to is no rival
    const failing = lattice(entry('hide', 'linux-desktop', 0.8), entry('hide', 'windows', 0.1, 'Windows is not on screen.'));
    assert.equal(decide(failing, { index, trace: [], looked: [{ id: 'linux-desktop', p: 0.7 }, { id: 'windows', p: 0.3 }] }).decision, 'execute');
  });

  test('a question still offers what the words meant where a precondition lowered it', () => {
    const l = lattice(entry('start', 'linux', 0.5), { ...entry('start', 'windows', 0.2, 'Windows is already running.'), said: 0.4 });
    const d = run(l);
    assert.equal(d.decision, 'clarify');
    assert.deepEqual(d.options, ['linux', 'windows']);
  });

  test('no reading at all is out of scope; every decision explains itself', () => {
    const d = run(lattice());
    assert.equal(d.decision, 'out_of_scope');
    assert.ok(d.trace.length > 0);
    const e = run(lattice(entry('present', 'linux', 1)));
    assert.ok(e.trace.some((t) => t.stage === 'decision' && /Doing it/.test(t.detail)));
  });
});
