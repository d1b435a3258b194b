// Tests the fallback classifier: it learns the registry's phrasings, knows an out-of-scope class, and says how much of the words it knew.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderWeightsModule, trainCounts } from './classifier-training.js';
import { CLASSIFIER_COUNTS_JSON } from './classifier-weights.js';
import { classify, featuresOf, OBJECT_PLACEHOLDER, trainingSet } from './intent-classifier.js';

const top = (s: string) => classify(s.split(' ')).ranked[0]!.label;

describe('intent classifier', () => {
  test('it is trained from every action of the registry and from the out-of-scope corpus', () => {
    const labels = new Set(trainingSet().map((d) => d.label));
    assert.ok(labels.has('out_of_scope'));
    assert.ok(labels.has('pause') && labels.has('network_off') && labels.has('cancel'));
  });

  test('the committed counts are what training the current registry and corpus gives (else: regenerate classifier-weights.ts)', () => {
    assert.deepEqual(JSON.parse(CLASSIFIER_COUNTS_JSON), JSON.parse(JSON.stringify(trainCounts())), 'run: npx tsc -b && node dist/src/services/cognition/generate-classifier-weights.js');
    assert.match(renderWeightsModule(trainCounts()), /GENERATED/);
  });

  test('unrelated text is out of scope', () => {
    for (const s of ['what is the weather like tomorrow', 'tell me a funny joke', 'order a large pizza', 'who wrote the odyssey', 'set an alarm for nine', 'play some music please']) {
      assert.equal(top(s), 'out_of_scope', s);
    }
  });

  test('phrasings near the registry\'s are read as their action', () => {
    assert.equal(top(`get ${OBJECT_PLACEHOLDER} out of the way`), 'hide');
    assert.equal(top(`i am done with ${OBJECT_PLACEHOLDER}`), 'close');
    assert.equal(top(`give me details about ${OBJECT_PLACEHOLDER}`), 'inspect');
  });

  test('the object placeholder carries no evidence, letter triples give spelling variants a foothold', () => {
    assert.ok(!featuresOf(['hide', OBJECT_PLACEHOLDER]).some((f) => f.includes(OBJECT_PLACEHOLDER)));
    assert.ok(featuresOf(['minimized']).includes('c:min'));
  });

  test('probabilities sum to one; words never seen leave no known coverage', () => {
    const c = classify(['zxqv', 'blorp']);
    assert.equal(c.coverage, 0);
    const sum = c.ranked.reduce((a, r) => a + r.p, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
  });
});
