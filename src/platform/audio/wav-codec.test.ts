// Tests the WAV reader on good files and on the ways an untrusted upload can be wrong: each is a clear RAYOS_VOICE_* error, never a throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeWav16Mono, MAX_AUDIO_SECONDS, parseWav, WAV_HEADER_BYTES } from './wav-codec.js';

/** A WAV with every header field given, so tests can make each one wrong. */
function wav(options: { format?: number; channels?: number; rate?: number; bits?: number; frames?: number; dataBytes?: number; extraChunk?: boolean; fmtSize?: number } = {}): Uint8Array {
  const channels = options.channels ?? 1;
  const rate = options.rate ?? 16_000;
  const bits = options.bits ?? 16;
  const frames = options.frames ?? 160;
  const block = channels * (bits / 8);
  const data = options.dataBytes ?? frames * block;
  const fmtSize = options.fmtSize ?? 16;
  const extra = options.extraChunk ? 8 + 4 : 0;
  const out = new Uint8Array(12 + 8 + fmtSize + extra + 8 + frames * block);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, options.format ?? 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * block, true);
  view.setUint16(32, block, true);
  view.setUint16(34, bits, true);
  let at = 20 + fmtSize;
  if (options.extraChunk) {
    text(at, 'LIST');
    view.setUint32(at + 4, 4, true);
    text(at + 8, 'INFO');
    at += 12;
  }
  text(at, 'data');
  view.setUint32(at + 4, data, true);
  for (let i = 0; i < frames * channels && bits === 16; i++) view.setInt16(at + 8 + i * 2, i % 2 === 0 ? 1000 : -1000, true);
  return out;
}

const codeOf = (bytes: Uint8Array): string => {
  const parsed = parseWav(bytes);
  assert.equal(parsed.ok, false, 'expected an error');
  return parsed.ok ? '' : parsed.error.code;
};

test('16-bit PCM mono and stereo read back as samples per channel, other chunks skipped', () => {
  const mono = parseWav(wav({ frames: 100 }));
  assert.ok(mono.ok);
  assert.equal(mono.value.sampleRate, 16_000);
  assert.equal(mono.value.channels.length, 1);
  assert.equal(mono.value.channels[0]!.length, 100);
  assert.ok(Math.abs(mono.value.channels[0]![0]! - 1000 / 32768) < 1e-9);
  const stereo = parseWav(wav({ channels: 2, rate: 48_000, frames: 50, extraChunk: true }));
  assert.ok(stereo.ok);
  assert.equal(stereo.value.channels.length, 2);
  assert.equal(stereo.value.channels[1]!.length, 50);
  assert.ok(stereo.value.channels[1]![0]! < 0);
});

test('what encodeWav16Mono writes reads back the same (to 16-bit precision), with the canonical 44-byte header', () => {
  const samples = Float32Array.from({ length: 441 }, (_, i) => Math.sin(i / 7) * 0.5);
  const bytes = encodeWav16Mono(samples, 44_100);
  assert.equal(bytes.length, WAV_HEADER_BYTES + samples.length * 2);
  const back = parseWav(bytes);
  assert.ok(back.ok);
  assert.equal(back.value.sampleRate, 44_100);
  samples.forEach((s, i) => assert.ok(Math.abs(back.value.channels[0]![i]! - s) < 1 / 16_000));
});

test('a bad header is RAYOS_VOICE_BAD_AUDIO', () => {
  assert.equal(codeOf(new Uint8Array(0)), 'RAYOS_VOICE_BAD_AUDIO');
  assert.equal(codeOf(new TextEncoder().encode('OggS this is not a wav file at all')), 'RAYOS_VOICE_BAD_AUDIO');
  const noWave = wav();
  noWave.set([0x41, 0x56, 0x49, 0x20], 8); // "AVI "
  assert.equal(codeOf(noWave), 'RAYOS_VOICE_BAD_AUDIO');
  assert.equal(codeOf(wav().subarray(0, 30)), 'RAYOS_VOICE_BAD_AUDIO', 'cut inside the fmt chunk');
  assert.equal(codeOf(wav({ fmtSize: 14 })), 'RAYOS_VOICE_BAD_AUDIO');
});

test('wrong sample formats are refused with what to send instead', () => {
  for (const bad of [wav({ bits: 8 }), wav({ bits: 24 }), wav({ format: 3, bits: 32 }), wav({ channels: 6 }), wav({ rate: 4000 }), wav({ rate: 192_000 })]) {
    const parsed = parseWav(bad);
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.code, 'RAYOS_VOICE_BAD_AUDIO');
    assert.match(parsed.error.message, /PCM 16-bit/);
  }
});

test('lengths in the file are checked against the bytes present', () => {
  assert.equal(codeOf(wav({ dataBytes: 0xffff_fff0 })), 'RAYOS_VOICE_BAD_AUDIO', 'data chunk larger than the file');
  assert.equal(codeOf(wav({ frames: 0 })), 'RAYOS_VOICE_BAD_AUDIO', 'no samples');
  assert.equal(codeOf(wav({ frames: 10, dataBytes: 19 })), 'RAYOS_VOICE_BAD_AUDIO', 'half a sample');
  const noData = wav().subarray(0, 36);
  assert.equal(codeOf(noData), 'RAYOS_VOICE_BAD_AUDIO');
});

test(`a recording over ${MAX_AUDIO_SECONDS} s is RAYOS_VOICE_AUDIO_TOO_LONG; exactly ${MAX_AUDIO_SECONDS} s is read`, () => {
  assert.equal(codeOf(wav({ rate: 8000, frames: 8000 * MAX_AUDIO_SECONDS + 1 })), 'RAYOS_VOICE_AUDIO_TOO_LONG');
  assert.ok(parseWav(wav({ rate: 8000, frames: 8000 * MAX_AUDIO_SECONDS })).ok);
});
