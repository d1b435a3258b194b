// Owns turning decoded audio into what the recogniser wants: one channel at 16 kHz, band-limited so nothing aliases.

import type { PcmAudio } from './wav-codec.js';

/** pocketsphinx's en-us acoustic model was trained on 16 kHz audio. */
export const RECOGNISER_RATE = 16_000;

/** Zero crossings of the sinc on each side, at the lower of the two rates: enough for a steep low-pass on speech. */
const HALF_TAPS = 16;
/** Cut-off as a share of the lower Nyquist rate, leaving room for the filter's transition band. */
const CUTOFF = 0.95;

/** The average of the channels (a stereo microphone is the same voice twice). */
export function downmix(audio: PcmAudio): Float32Array {
  const [first, ...rest] = audio.channels;
  if (first === undefined) return new Float32Array(0);
  if (rest.length === 0) return first;
  const out = new Float32Array(first.length);
  for (let i = 0; i < out.length; i++) {
    let sum = first[i]!;
    for (const channel of rest) sum += channel[i]!;
    out[i] = sum / audio.channels.length;
  }
  return out;
}

/**
 * Band-limited resampling with a Hann-windowed sinc. Browsers record at 44.1 or 48 kHz; plain linear interpolation
 * would fold everything above 8 kHz back into the speech band, which costs the recogniser words.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples;
  const step = fromRate / toRate;
  const outLength = Math.floor(samples.length / step);
  const out = new Float32Array(outLength);
  // Downsampling widens the kernel (in input samples) so the cut-off sits at the output's Nyquist rate.
  const scale = Math.min(1, toRate / fromRate) * CUTOFF;
  const half = Math.ceil(HALF_TAPS / Math.min(1, toRate / fromRate));
  for (let i = 0; i < outLength; i++) {
    const t = i * step;
    const centre = Math.floor(t);
    let acc = 0;
    const from = Math.max(0, centre - half + 1);
    const to = Math.min(samples.length - 1, centre + half);
    for (let j = from; j <= to; j++) {
      const d = t - j;
      const x = d * scale;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * d) / (half + 1));
      acc += samples[j]! * sinc * window * scale;
    }
    out[i] = acc;
  }
  return out;
}

/** Any accepted WAV → mono at RECOGNISER_RATE. */
export function toRecogniserAudio(audio: PcmAudio): Float32Array {
  return resample(downmix(audio), audio.sampleRate, RECOGNISER_RATE);
}
