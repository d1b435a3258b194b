// Tests downmixing and band-limited resampling: speech-band tones pass at their frequency and level, tones above 8 kHz do not fold back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downmix, resample, toRecogniserAudio } from './resample.js';

const tone = (hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
/** Amplitude of one frequency in a signal (a single DFT bin over the middle, away from the edges). */
function level(samples: Float32Array, hz: number, rate: number): number {
  const from = Math.floor(samples.length / 4);
  const to = Math.floor((samples.length * 3) / 4);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += samples[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im += samples[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

test('48 kHz → 16 kHz keeps a 1 kHz tone at its level and gives a third of the samples', () => {
  const out = resample(tone(1000, 48_000, 0.5), 48_000, 16_000);
  assert.equal(out.length, 8000);
  assert.ok(Math.abs(level(out, 1000, 16_000) - 0.5) < 0.02, `level ${level(out, 1000, 16_000)}`);
});

test('44.1 kHz → 16 kHz (not a whole ratio) keeps a 3 kHz tone', () => {
  const out = resample(tone(3000, 44_100, 0.5), 44_100, 16_000);
  assert.equal(out.length, Math.floor(22_050 / (44_100 / 16_000)));
  assert.ok(Math.abs(level(out, 3000, 16_000) - 0.5) < 0.03, `level ${level(out, 3000, 16_000)}`);
});

test('a 12 kHz tone does not alias into the speech band at 16 kHz (it would land on 4 kHz)', () => {
  const out = resample(tone(12_000, 48_000, 0.5), 48_000, 16_000);
  assert.ok(level(out, 4000, 16_000) < 0.01, `aliased level ${level(out, 4000, 16_000)}`);
});

test('the same rate is returned untouched; stereo is averaged into mono', () => {
  const mono = tone(500, 16_000, 0.1);
  assert.equal(resample(mono, 16_000, 16_000), mono);
  const left = Float32Array.from([1, 0.5, -1]);
  const right = Float32Array.from([0, 0.5, 1]);
  assert.deepEqual([...downmix({ sampleRate: 16_000, channels: [left, right] })], [0.5, 0.5, 0]);
  assert.equal(toRecogniserAudio({ sampleRate: 32_000, channels: [tone(440, 32_000, 0.25), tone(440, 32_000, 0.25)] }).length, 4000);
});
