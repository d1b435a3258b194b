// Owns writing 16-bit PCM mono WAV bytes (the canonical 44-byte header): the page records with it, the runtime speaks with it.
export const WAV_HEADER_BYTES = 44;
const WAVE_FORMAT_PCM = 1;

/** Samples in [-1, 1] are clipped and rounded to 16 bits. */
export function encodeWav16Mono(samples: Float32Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(WAV_HEADER_BYTES + i * 2, Math.round(v < 0 ? v * 32768 : v * 32767), true);
  }
  return out;
}
