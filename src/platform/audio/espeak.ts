// Owns speaking text with espeak-ng into WAV bytes, under a deadline, with the text passed in a file (never as an option).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { runCommand } from '../process/run-command.js';
import type { Synthesiser } from './voice-tools.js';

/**
 * espeak-ng's US English with the Klatt glottal source: clearer than the default voice, and the one pocketsphinx's
 * en-us model understands best (checked: the default voice's "linux" is heard as "the box").
 */
export const DEFAULT_VOICE = 'en-us+klatt';
export const DEFAULT_WORDS_PER_MINUTE = 160;
/** A clarifying question is one sentence; 400 characters is about half a minute of speech. */
export const MAX_SPOKEN_CHARS = 400;
const DEFAULT_DEADLINE_MS = 15_000;
/** espeak-ng voice names: language, optional +variant (e.g. en-us+klatt, en-gb-x-rp). */
const VOICE_NAME = /^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[a-z0-9]{1,16})?$/i;

export interface SpeakOptions {
  readonly synthesiser: Synthesiser;
  readonly voice?: string;
  readonly wordsPerMinute?: number;
  /** 0–200; espeak's default 100 peaks near full scale. */
  readonly amplitude?: number;
  readonly deadlineMs?: number;
}

/** Text as espeak-ng should get it: control characters become spaces, runs of space collapse. */
export function speakableText(untrustedText: string): string {
  return untrustedText.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Speaks `text` (already checked by the caller: a non-empty string of at most MAX_SPOKEN_CHARS) into a WAV file (espeak-ng
 * writes 22.05 kHz mono 16-bit). A failing or stuck espeak-ng is RAYOS_VOICE_SYNTHESIS_FAILED. Never throws.
 */
export async function synthesize(text: string, options: SpeakOptions): Promise<Result<Uint8Array, RayosError>> {
  const voice = options.voice ?? DEFAULT_VOICE;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!VOICE_NAME.test(voice)) return err(rayosError('RAYOS_VOICE_SYNTHESIS_FAILED', `"${voice}" is not an espeak-ng voice name; use one from "espeak-ng --voices", e.g. ${DEFAULT_VOICE}.`));
  let dir: string | null = null;
  try {
    dir = await mkdtemp(join(tmpdir(), 'rayos-say-'));
    const input = join(dir, 'text.txt');
    const output = join(dir, 'speech.wav');
    await writeFile(input, `${speakableText(text)}\n`, { mode: 0o600 });
    // -f: the text comes from a file, so words that look like options ("-w /etc/x") are only ever spoken.
    const argv: [string, ...string[]] = [
      options.synthesiser.program, '-v', voice, '-s', String(options.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE), '-a', String(options.amplitude ?? 100), '-f', input, '-w', output,
    ];
    const run = await runCommand(argv, { deadlineMs, maxOutputBytes: 16 * 1024 });
    const why = run.timedOut ? `no answer within ${deadlineMs} ms` : run.error !== undefined ? (run.errorMessage ?? run.error) : run.code !== 0 ? `exit code ${run.code ?? run.signal}: ${run.stderr.trim().slice(0, 200)}` : null;
    if (why !== null) return err(rayosError('RAYOS_VOICE_SYNTHESIS_FAILED', `espeak-ng could not speak the text (${why}); check "espeak-ng --voices" lists ${voice}.`));
    const wav = new Uint8Array(await readFile(output));
    if (wav.length <= 44 || String.fromCharCode(...wav.subarray(0, 4)) !== 'RIFF') return err(rayosError('RAYOS_VOICE_SYNTHESIS_FAILED', 'espeak-ng wrote no WAV audio; check the espeak-ng install.'));
    return ok(wav);
  } catch (error) {
    return err(rayosError('RAYOS_VOICE_SYNTHESIS_FAILED', `The speech could not be made (${String(error)}); check that ${tmpdir()} is writable.`));
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
