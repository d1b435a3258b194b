// Owns reading untrusted WAV bytes (RIFF/WAVE, PCM 16-bit) into samples under strict limits, and writing 16-bit mono WAV.
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';

/** The longest recording RayOS transcribes: a spoken command is a few seconds; more is a stuck microphone. */
export const MAX_AUDIO_SECONDS = 30;
/** Rates browsers and tools record at (8 kHz telephony to 96 kHz studio); anything else is not a microphone. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 96_000;
export const MAX_CHANNELS = 2;
/** The canonical header this module writes (RIFF + fmt(16) + data): pocketsphinx is told to skip exactly these bytes. */

const WAVE_FORMAT_PCM = 1;

/** What the fmt chunk must say; checked as a whole so every field is validated, not just the ones we read later. */
const WavFormatSchema = z.strictObject({
  formatTag: z.literal(WAVE_FORMAT_PCM, { error: 'only PCM (format 1) is accepted' }),
  channels: z.number().int().min(1).max(MAX_CHANNELS, { error: `at most ${MAX_CHANNELS} channels` }),
  sampleRate: z.number().int().min(MIN_SAMPLE_RATE).max(MAX_SAMPLE_RATE),
  byteRate: z.number().int(),
  blockAlign: z.number().int(),
  bitsPerSample: z.literal(16, { error: 'only 16-bit samples are accepted' }),
}).refine((f) => f.blockAlign === f.channels * 2 && f.byteRate === f.sampleRate * f.blockAlign, { error: 'blockAlign and byteRate do not match channels, rate and 16-bit samples' });

export type WavFormat = z.infer<typeof WavFormatSchema>;

/** Decoded audio: one Float32Array per channel, samples in [-1, 1). */
export interface PcmAudio {
  readonly sampleRate: number;
  readonly channels: readonly Float32Array[];
}

const bad = (what: string): RayosError =>
  rayosError('RAYOS_VOICE_BAD_AUDIO', `The audio is not a WAV file RayOS can read: ${what}. Send RIFF/WAVE, PCM 16-bit, ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz, mono or stereo, as audio/wav.`);

const ascii = (bytes: Uint8Array, at: number): string => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);

/**
 * Reads a WAV file from untrusted bytes. Every length in the file is checked against the bytes actually present; a
 * recording over MAX_AUDIO_SECONDS is RAYOS_VOICE_AUDIO_TOO_LONG; anything else that is wrong is RAYOS_VOICE_BAD_AUDIO.
 * Never throws.
 */
export function parseWav(untrustedBytes: Uint8Array): Result<PcmAudio, RayosError> {
  const bytes = untrustedBytes;
  if (bytes.length < 12) return err(bad(`${bytes.length} bytes is too short for a RIFF header`));
  if (ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return err(bad('it does not start with RIFF…WAVE'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: WavFormat | null = null;
  let data: { offset: number; length: number } | null = null;
  let at = 12;
  // Chunks are walked by their declared sizes, each checked to lie inside the bytes we have.
  while (at + 8 <= bytes.length && data === null) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (size > bytes.length - body) return err(bad(`the "${id.replace(/[^\x20-\x7e]/g, '?')}" chunk says ${size} bytes but only ${bytes.length - body} follow`));
    if (id === 'fmt ') {
      if (format !== null) return err(bad('it has two fmt chunks'));
      if (size < 16) return err(bad(`its fmt chunk is ${size} bytes (at least 16)`));
      const parsed = WavFormatSchema.safeParse({
        formatTag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        byteRate: view.getUint32(body + 8, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return err(bad(`${issue?.path.join('.') || 'fmt'}: ${issue?.message ?? 'invalid'}`));
      }
      format = parsed.data;
    } else if (id === 'data') {
      if (format === null) return err(bad('its data chunk comes before the fmt chunk'));
      data = { offset: body, length: size };
    }
    // Chunks are word-aligned: an odd size is followed by one pad byte.
    at = body + size + (size % 2);
  }
  if (format === null) return err(bad('it has no fmt chunk'));
  if (data === null) return err(bad('it has no data chunk'));
  if (data.length % format.blockAlign !== 0) return err(bad(`its data (${data.length} bytes) is not a whole number of ${format.blockAlign}-byte frames`));
  const frames = data.length / format.blockAlign;
  if (frames === 0) return err(bad('it holds no samples'));
  const seconds = frames / format.sampleRate;
  if (seconds > MAX_AUDIO_SECONDS) {
    return err(rayosError('RAYOS_VOICE_AUDIO_TOO_LONG', `The recording is ${seconds.toFixed(1)} s; RayOS transcribes at most ${MAX_AUDIO_SECONDS} s. Say one command at a time.`));
  }
  const channels = Array.from({ length: format.channels }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < format.channels; c++) channels[c]![i] = view.getInt16(data.offset + i * format.blockAlign + c * 2, true) / 32768;
  }
  return ok({ sampleRate: format.sampleRate, channels });
}

export { encodeWav16Mono, WAV_HEADER_BYTES } from '../../base/wav-encode.js';
