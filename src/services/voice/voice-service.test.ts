// Tests voice end to end with the real tools: espeak-ng speaks registry phrases, pocketsphinx hears them back through the generated grammar; bad audio and missing tools give RAYOS_VOICE_* errors.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resample } from '../../platform/audio/resample.js';
import { detectVoice } from '../../platform/audio/voice-tools.js';
import { encodeWav16Mono, parseWav } from '../../platform/audio/wav-codec.js';
import { openVoice, type VoiceControl } from './voice-service.js';

const tools = await detectVoice();
const skip = tools.missing.length > 0 ? `voice tools missing (${tools.missing.join(', ')}); ./rayos setup installs them` : false;

/** Interleaved 16-bit stereo WAV, as a browser at 48 kHz might send. */
function stereoWav(mono: Float32Array, rate: number): Uint8Array {
  const single = encodeWav16Mono(mono, rate);
  const out = new Uint8Array(44 + mono.length * 4);
  out.set(single.subarray(0, 44));
  const view = new DataView(out.buffer);
  view.setUint32(4, 36 + mono.length * 4, true);
  view.setUint16(22, 2, true);
  view.setUint32(28, rate * 4, true);
  view.setUint16(32, 4, true);
  view.setUint32(40, mono.length * 4, true);
  const source = new DataView(single.buffer);
  for (let i = 0; i < mono.length; i++) {
    const s = source.getInt16(44 + i * 2, true);
    view.setInt16(44 + i * 4, s, true);
    view.setInt16(46 + i * 4, s, true);
  }
  return out;
}

describe('voice with pocketsphinx and espeak-ng', { skip }, () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rayos-voice-test-'));
  const logged: string[] = [];
  let names = ['linux'];
  let voice: VoiceControl;
  const speak = async (text: string): Promise<Uint8Array> => {
    const wav = await voice.say(text);
    assert.ok(wav.ok, wav.ok ? '' : wav.error.message);
    return wav.value;
  };

  before(async () => {
    voice = await openVoice({ cacheDir, names: () => names, log: (line) => logged.push(line) });
  });
  after(() => rmSync(cacheDir, { recursive: true, force: true }));

  test('status says both halves are available', () => {
    assert.deepEqual(voice.status(), { transcribe: true, say: true, missing: [], fix: null });
  });

  test('registry phrases spoken by espeak-ng come back as the same words', async () => {
    for (const phrase of ['pause linux', 'show linux desktop', 'close windows', 'resume linux']) {
      const heard = await voice.transcribe(await speak(phrase));
      assert.ok(heard.ok, heard.ok ? '' : heard.error.message);
      assert.equal(heard.value.text, phrase);
      assert.ok(heard.value.confidence !== null && heard.value.confidence > 0.5, `${phrase}: confidence ${heard.value.confidence}`);
    }
  });

  test('a browser-like recording (48 kHz stereo) is resampled and heard the same', async () => {
    const said = parseWav(await speak('hide this'));
    assert.ok(said.ok);
    const browser = stereoWav(resample(said.value.channels[0]!, said.value.sampleRate, 48_000), 48_000);
    const heard = await voice.transcribe(browser);
    assert.ok(heard.ok);
    assert.equal(heard.value.text, 'hide this');
  });

  test('sentences outside the grammar do not come back as a command: text is empty, with a note and the closest words', async () => {
    for (const sentence of ['what is the weather like in paris today', 'the quick brown fox jumps over the lazy dog']) {
      const heard = await voice.transcribe(await speak(sentence));
      assert.ok(heard.ok, heard.ok ? '' : heard.error.message);
      assert.equal(heard.value.text, '', `${sentence} → "${heard.value.heard}" (${heard.value.confidence})`);
      assert.match(heard.value.note ?? '', /not in the command grammar|no words/);
      assert.ok((heard.value.confidence ?? 0) < 0.5);
    }
  });

  test('silence is no command', async () => {
    const heard = await voice.transcribe(encodeWav16Mono(new Float32Array(16_000), 16_000));
    assert.ok(heard.ok);
    assert.equal(heard.value.text, '');
    assert.ok(heard.value.note);
  });

  test('malformed audio is a RAYOS_VOICE_* error, not a crash', async () => {
    const good = await speak('pause linux');
    const badHeader = good.slice();
    badHeader.set([0x58, 0x58, 0x58, 0x58], 0);
    const eightBit = good.slice();
    new DataView(eightBit.buffer).setUint16(34, 8, true);
    const tooLong = encodeWav16Mono(new Float32Array(8000 * 31), 8000);
    const cases: [Uint8Array, string][] = [
      [badHeader, 'RAYOS_VOICE_BAD_AUDIO'],
      [eightBit, 'RAYOS_VOICE_BAD_AUDIO'],
      [good.subarray(0, 40), 'RAYOS_VOICE_BAD_AUDIO'],
      [new TextEncoder().encode('{"text":"pause linux"}'), 'RAYOS_VOICE_BAD_AUDIO'],
      [tooLong, 'RAYOS_VOICE_AUDIO_TOO_LONG'],
    ];
    for (const [bytes, code] of cases) {
      const heard = await voice.transcribe(bytes);
      assert.ok(!heard.ok);
      assert.equal(heard.error.code, code);
    }
    const notBytes = await voice.transcribe('RIFF' as unknown as Uint8Array);
    assert.ok(!notBytes.ok);
    assert.equal(notBytes.error.code, 'RAYOS_VOICE_BAD_AUDIO');
  });

  test('say refuses empty or overlong text; espeak-ng output is a WAV this module reads', async () => {
    for (const text of ['', '   ', 'x'.repeat(401), 42]) {
      const spoken = await voice.say(text);
      assert.ok(!spoken.ok);
      assert.equal(spoken.error.code, 'RAYOS_VOICE_BAD_TEXT');
    }
    const parsed = parseWav(await speak('-w /tmp/owned Which one: linux or windows?'));
    assert.ok(parsed.ok);
    assert.equal(parsed.value.sampleRate, 22_050);
    assert.ok(parsed.value.channels[0]!.length > 22_050, 'about a second of speech or more');
  });

  test('the grammar is written once to a file named by its content, with a debug line counting what was left out', async () => {
    const first = await voice.grammar();
    const again = await voice.grammar();
    assert.ok(first.ok && again.ok);
    assert.equal(first.value.files.grammarFile, again.value.files.grammarFile);
    assert.match(first.value.files.grammarFile, new RegExp(`grammar-${first.value.built.key}\\.gram$`));
    assert.deepEqual(readdirSync(cacheDir).sort(), [`grammar-${first.value.built.key}.dict`, `grammar-${first.value.built.key}.gram`]);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, new RegExp(`${first.value.built.phrasesUsed} phrases, ${first.value.built.phrasesLeftOut} left out`));
    // A new VM in the scene: a new grammar that can say its name, and the old files go.
    names = ['linux', 'kitchen'];
    const grown = await voice.grammar();
    assert.ok(grown.ok);
    assert.notEqual(grown.value.built.key, first.value.built.key);
    assert.match(grown.value.built.jsgf, /^<name> = kitchen \| linux \| windows;$/m);
    assert.deepEqual(readdirSync(cacheDir).sort(), [`grammar-${grown.value.built.key}.dict`, `grammar-${grown.value.built.key}.gram`]);
    assert.equal(logged.length, 2);
  });
});

test('without the tools (nothing on PATH, no model) every call says RAYOS_VOICE_UNAVAILABLE with the apt-get line', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rayos-voice-none-'));
  try {
    const voice = await openVoice({ cacheDir, searchPath: '', modelDir: join(cacheDir, 'no-model') });
    assert.deepEqual(voice.status(), { transcribe: false, say: false, missing: ['pocketsphinx', 'pocketsphinx-en-us', 'espeak-ng'], fix: 'sudo apt-get install -y pocketsphinx pocketsphinx-en-us espeak-ng' });
    for (const result of [await voice.transcribe(encodeWav16Mono(new Float32Array(160), 16_000)), await voice.say('hello')]) {
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'RAYOS_VOICE_UNAVAILABLE');
      assert.match(result.error.message, /apt-get install -y pocketsphinx pocketsphinx-en-us espeak-ng/);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
