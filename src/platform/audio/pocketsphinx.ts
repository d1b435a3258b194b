// Owns running pocketsphinx (Debian 12: 0.8+5prealpha) on 16 kHz mono WAV against a JSGF grammar, with a confidence from a phone loop.
//
// pocketsphinx forces whatever it hears onto the grammar: "what is the weather like in paris" comes back as the
// nearest command ("what is that window"). So each recording is decoded twice, in parallel, by pocketsphinx_batch
// (which, unlike pocketsphinx_continuous, writes acoustic scores with -hypseg):
//   1. against the command grammar → the words and their acoustic score;
//   2. against a free loop of the model's 39 phones → the best score any sound sequence gets.
// Their difference per frame of speech is a log-likelihood ratio: near zero (or above: the loop pays a penalty per
// phone) when the grammar path explains the audio as well as free phones do, strongly negative when the grammar had to
// bend. Below REJECT_SCORE the words are not returned as a command.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { runCommand, type RunCommandResult } from '../process/run-command.js';
import type { Recogniser } from './voice-tools.js';
import { WAV_HEADER_BYTES } from './wav-codec.js';

/**
 * Score per speech frame (pocketsphinx's scaled log units) at or below which the grammar's words are rejected.
 * Calibrated on espeak-ng voices (en-us+klatt, +klatt4) over 25 registry phrases and 25 sentences outside the
 * grammar: the phrases scored −11 to +14, 44 of the 50 outside sentences −13 or lower (the rest sound like
 * commands: "tell me a joke" → "tell me about those"). Real voices may sit elsewhere; recalibrate with bench data.
 */
export const REJECT_SCORE = -12;
/** Score per speech frame from which the words count as fully confident (confidence 1). */
export const CONFIDENT_SCORE = 4;
const DEFAULT_DEADLINE_MS = 20_000;

/** The phone set of pocketsphinx-en-us (CMUdict's 39 phones, no stress). */
const PHONES = 'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' ');
const PHONE_WORD = (phone: string): string => `ph${phone.toLowerCase()}`;
const LOOP_GRAMMAR = `#JSGF V1.0;\ngrammar phoneloop;\npublic <loop> = <phone>+;\n<phone> = ${PHONES.map(PHONE_WORD).join(' | ')};\n`;
const LOOP_DICT = PHONES.map((p) => `${PHONE_WORD(p)} ${p}`).join('\n') + '\n';

export interface GrammarFiles {
  /** A JSGF grammar whose every word is in dictFile. */
  readonly grammarFile: string;
  /** A pronunciation dictionary (CMUdict format) for the grammar's words. */
  readonly dictFile: string;
}

export interface Transcript {
  /** The recognised words, or '' when nothing was heard or what was heard is not in the grammar. */
  readonly text: string;
  /** 0..1 from the grammar-vs-phone-loop score; null when there was no speech to score. */
  readonly confidence: number | null;
  /** The grammar's best words even when rejected (for "heard … — not a command"). */
  readonly heard: string;
  /** The score per speech frame behind the confidence. */
  readonly score: number | null;
  /** Why text is empty: no speech, or words outside the grammar. */
  readonly note?: string;
}

/** One -hypseg line: total acoustic score and the word segments (start frame, acoustic score, word). */
interface Decoding {
  readonly acoustic: number;
  readonly words: readonly { word: string; startFrame: number; endFrame: number }[];
}

/** Filler and silence tokens pocketsphinx puts between words: <sil>, <s>, </s>, (NULL), [NOISE], [SPEECH]. */
const isFiller = (word: string): boolean => /^[<([]/.test(word);

/** Reads pocketsphinx's -hypseg line for one utterance (its output is untrusted until it parses). */
export function parseHypseg(untrustedLine: string): Decoding | null {
  const tokens = untrustedLine.trim().split(/\s+/);
  if (tokens.length < 10 || tokens[1] !== 'S' || tokens[3] !== 'T' || tokens[5] !== 'A' || tokens[7] !== 'L') return null;
  const acoustic = Number(tokens[6]);
  const segments = tokens.slice(9);
  const end = Number(segments.at(-1));
  if (!Number.isFinite(acoustic) || !Number.isInteger(end) || (segments.length - 1) % 4 !== 0) return null;
  const raw: { word: string; startFrame: number }[] = [];
  for (let i = 0; i + 3 < segments.length; i += 4) {
    const startFrame = Number(segments[i]);
    if (!Number.isInteger(startFrame)) return null;
    raw.push({ startFrame, word: segments[i + 3]! });
  }
  const words = raw
    .map((s, i) => ({ word: s.word.replace(/\(\d+\)$/, ''), startFrame: s.startFrame, endFrame: raw[i + 1]?.startFrame ?? end }))
    .filter((s) => s.startFrame >= 0 && s.endFrame > s.startFrame && !isFiller(s.word));
  return { acoustic, words };
}

/** Maps a score per speech frame to 0..1 (linear between REJECT_SCORE and CONFIDENT_SCORE). */
export const confidenceOf = (score: number): number => Math.max(0, Math.min(1, (score - REJECT_SCORE) / (CONFIDENT_SCORE - REJECT_SCORE)));

async function decode(recogniser: Recogniser, dir: string, grammar: GrammarFiles, name: string, deadlineMs: number): Promise<Result<Decoding, RayosError>> {
  const hypseg = join(dir, `${name}.hypseg`);
  const log = join(dir, `${name}.log`);
  // -adchdr skips our canonical header; -dither with a fixed seed keeps digital silence from breaking the features
  // while decoding the same bytes the same way every time.
  const argv: [string, ...string[]] = [
    recogniser.program, '-ctl', join(dir, 'utterance.ctl'), '-cepdir', dir, '-cepext', '.wav', '-adcin', 'yes', '-adchdr', String(WAV_HEADER_BYTES),
    '-hmm', recogniser.hmmDir, '-jsgf', grammar.grammarFile, '-dict', grammar.dictFile, '-hypseg', hypseg, '-dither', 'yes', '-seed', '1', '-logfn', log,
  ];
  const run: RunCommandResult = await runCommand(argv, { deadlineMs, maxOutputBytes: 64 * 1024 });
  const failed = async (why: string): Promise<Result<Decoding, RayosError>> => {
    const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => /ERROR|FATAL/.test(l)).slice(-2).join(' ');
    return err(rayosError('RAYOS_VOICE_RECOGNIZER_FAILED', `pocketsphinx could not decode the recording (${why}${tail === '' ? '' : `: ${tail}`}); check the pocketsphinx-en-us install (${recogniser.hmmDir}).`));
  };
  if (run.timedOut) return failed(`no answer within ${deadlineMs} ms`);
  if (run.error !== undefined) return failed(run.errorMessage ?? run.error);
  if (run.code !== 0) return failed(`exit code ${run.code ?? run.signal}`);
  const line = (await readFile(hypseg, 'utf8').catch(() => '')).split('\n')[0] ?? '';
  const parsed = parseHypseg(line);
  return parsed === null ? failed('its -hypseg output did not parse') : ok(parsed);
}

/**
 * Transcribes 16 kHz mono 16-bit WAV bytes (a canonical 44-byte header, as encodeWav16Mono writes) against the
 * grammar. Words outside the grammar come back as text '' with a note; a failing or stuck pocketsphinx is
 * RAYOS_VOICE_RECOGNIZER_FAILED. Never throws.
 */
export async function transcribe(wav16kMonoBytes: Uint8Array, grammar: GrammarFiles, options: { recogniser: Recogniser; deadlineMs?: number }): Promise<Result<Transcript, RayosError>> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  let dir: string | null = null;
  try {
    // mkdtemp makes the folder 0700: the recording is the person's voice.
    dir = await mkdtemp(join(tmpdir(), 'rayos-voice-'));
    await Promise.all([
      writeFile(join(dir, 'utterance.wav'), wav16kMonoBytes, { mode: 0o600 }),
      writeFile(join(dir, 'utterance.ctl'), 'utterance\n'),
      writeFile(join(dir, 'loop.gram'), LOOP_GRAMMAR),
      writeFile(join(dir, 'loop.dict'), LOOP_DICT),
    ]);
    const [words, loop] = await Promise.all([
      decode(options.recogniser, dir, grammar, 'grammar', deadlineMs),
      decode(options.recogniser, dir, { grammarFile: join(dir, 'loop.gram'), dictFile: join(dir, 'loop.dict') }, 'loop', deadlineMs),
    ]);
    if (!words.ok) return words;
    if (!loop.ok) return loop;
    const heard = words.value.words.map((w) => w.word).join(' ');
    const speechFrames = words.value.words.reduce((sum, w) => sum + (w.endFrame - w.startFrame), 0);
    if (heard === '' || speechFrames === 0) return ok({ text: '', confidence: null, heard: '', score: null, note: 'no words from the grammar were heard' });
    const score = (words.value.acoustic - loop.value.acoustic) / speechFrames;
    const confidence = confidenceOf(score);
    if (score <= REJECT_SCORE) return ok({ text: '', confidence, heard, score, note: `what was said is not in the command grammar (closest: "${heard}")` });
    return ok({ text: heard, confidence, heard, score });
  } catch (error) {
    return err(rayosError('RAYOS_VOICE_RECOGNIZER_FAILED', `The recording could not be prepared for pocketsphinx (${String(error)}); check that ${tmpdir()} is writable.`));
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Pronunciations for `words` from a CMUdict-format file ("word PH ONES", variants as "word(2) …"): one pass over the
 * file, so the 134k-line dictionary is never held in memory. Words not in the file are absent from the map.
 */
export async function readPronunciations(dictFile: string, words: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const text = await readFile(dictFile, 'utf8');
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const space = text.indexOf(' ', at);
    if (space !== -1 && space < end) {
      const word = text.slice(at, space).replace(/\(\d+\)$/, '');
      if (words.has(word)) {
        const phones = text.slice(space + 1, end).trim();
        if (/^[A-Z ]+$/.test(phones)) found.set(word, [...(found.get(word) ?? []), phones]);
      }
    }
    at = end + 1;
  }
  return found;
}
