// Tests the normaliser: case, punctuation, contractions, fillers and politeness, typo correction, and refusing empty, huge, binary and non-English text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_UTTERANCE_CHARS, normaliseUtterance } from './utterance-normaliser.js';

function text(said: string, sceneWords: string[] = []): string {
  const n = normaliseUtterance(said, new Set(sceneWords));
  assert.ok(n.ok, `expected "${said}" to be read, got ${n.ok ? '' : n.message}`);
  return n.text;
}

describe('utterance normaliser', () => {
  test('case, punctuation and spacing are folded', () => {
    assert.equal(text('Take A Snapshot Of Windows!!!'), 'take a snapshot of windows');
    assert.equal(text('  pause   windows,  now. '), 'pause windows');
  });

  test('politeness and fillers are left out, and the trace says so', () => {
    assert.equal(text('um, could you please like show me the linux desktop'), 'show me the linux desktop');
    assert.equal(text('would you mind pausing windows for me, thanks'), 'pausing windows');
    assert.equal(text('hey rayos, go ahead and hide it'), 'hide it');
    const n = normaliseUtterance('could you please hide it', new Set());
    assert.ok(n.ok);
    assert.ok(n.dropped.includes('could you please'));
  });

  test('a word inside a request that only looks like please is kept', () => {
    assert.equal(text('look for lease agreements on linux'), 'look for lease agreements on linux');
    assert.equal(text('hide linux pleese'), 'hide linux');
  });

  test('contractions are expanded and verbs carry their base form', () => {
    assert.equal(text("what's running"), 'what is running');
    assert.equal(text("don't let windows online"), 'do not let windows online');
    const n = normaliseUtterance('pausing linux', new Set());
    assert.ok(n.ok);
    assert.equal(n.tokens[0]!.lemma, 'pause');
  });

  test('typos of command words and of names on the scene are corrected', () => {
    assert.equal(text('pasue the lnux vm', ['linux']), 'pause the linux vm');
    assert.equal(text('shwo me windwos', ['windows']), 'show me windows');
    assert.equal(text('lauch fierfox', ['firefox']), 'launch firefox');
  });

  test('ordinary words are not "corrected" into commands', () => {
    assert.equal(text('what is the weather'), 'what is the weather');
    assert.equal(text('stop the clock'), 'stop the clock', 'a command word only where a command starts');
    assert.equal(text('close the deal'), 'close the deal');
  });

  test('a question is marked as one', () => {
    const n = normaliseUtterance('is windows paused?', new Set());
    assert.ok(n.ok && n.question);
  });

  test('empty, whitespace and filler-only input is refused as empty', () => {
    for (const said of ['', '   ', 'um uh thanks']) {
      const n = normaliseUtterance(said, new Set());
      assert.ok(!n.ok);
      assert.equal(n.reason, 'empty');
    }
  });

  test('huge input is refused with its length, not read', () => {
    const n = normaliseUtterance('show linux '.repeat(1000), new Set());
    assert.ok(!n.ok);
    assert.equal(n.reason, 'too_long');
    assert.match(n.message, new RegExp(`at most ${MAX_UTTERANCE_CHARS}`));
  });

  test('binary input is refused', () => {
    const n = normaliseUtterance('\u0000\u0001\u0002ELF\u0003\u0004', new Set());
    assert.ok(!n.ok);
    assert.equal(n.reason, 'binary');
    const lone = normaliseUtterance('ab\ud800\ud800\ud800cd', new Set());
    assert.ok(!lone.ok);
  });

  test('non-English input is refused, whatever its script', () => {
    for (const said of ['你好，打开终端', 'открой окно', 'ouvre le bureau linux', 'öffne bitte das fenster']) {
      const n = normaliseUtterance(said, new Set());
      assert.ok(!n.ok, said);
      assert.equal(n.reason, 'not_english', said);
    }
  });

  test('no words at all (emoji, symbols) is refused', () => {
    const n = normaliseUtterance('🙂🙂 !!! ???', new Set());
    assert.ok(!n.ok);
    assert.equal(n.reason, 'no_words');
  });

  test('something that is not a string is refused, not thrown on', () => {
    for (const bad of [undefined, null, 42, {}, ['show linux']]) assert.equal(normaliseUtterance(bad, new Set()).ok, false);
  });
});
