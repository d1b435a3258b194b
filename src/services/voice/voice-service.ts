// Owns the voice service: untrusted WAV → 16 kHz mono → pocketsphinx against the registry's grammar → text; text → espeak-ng → WAV.
//
// Voice is optional: without Debian's pocketsphinx, pocketsphinx-en-us or espeak-ng the service still starts, health
// says what is missing, and each call answers RAYOS_VOICE_UNAVAILABLE with the apt-get line. What was said goes on to
// the conductor as text (POST /v1/intents), so words outside the grammar end as out of scope there; this service only
// refuses to pass on words the grammar had to force onto the audio (text '' with a note).
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import { MAX_SPEECH_TEXT_CHARS } from '../../contracts/api-routes.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import { synthesize, speakableText } from '../../platform/audio/espeak.js';
import { readPronunciations, transcribe, type GrammarFiles, type Transcript } from '../../platform/audio/pocketsphinx.js';
import { toRecogniserAudio, RECOGNISER_RATE } from '../../platform/audio/resample.js';
import { detectVoice, VOICE_FIX, type VoiceTools } from '../../platform/audio/voice-tools.js';
import { encodeWav16Mono, parseWav } from '../../platform/audio/wav-codec.js';
import { listPhrases, type GrammarPhrase } from '../cognition/api.js';
import { buildGrammar, candidateWords, type BuiltGrammar } from './speech-grammar.js';

/** What the API says about voice here (contracts SpeechStatusSchema). */
export interface VoiceStatus {
  readonly transcribe: boolean;
  readonly say: boolean;
  readonly missing: readonly string[];
  readonly fix: string | null;
}

/** What a transcription gives the caller (contracts SpeechTranscriptSchema). */
export interface VoiceTranscript {
  readonly text: string;
  readonly confidence: number | null;
  readonly heard: string;
  readonly note?: string;
}

export interface VoiceControl {
  status(): VoiceStatus;
  /** Untrusted WAV bytes (any accepted rate and channel count) → text from the command grammar. */
  transcribe(untrustedWav: Uint8Array): Promise<Result<VoiceTranscript, RayosError>>;
  /** A sentence → WAV bytes (espeak-ng, 22.05 kHz mono). */
  say(untrustedText: unknown): Promise<Result<Uint8Array, RayosError>>;
  /** The grammar for the current names (built, written and cached on first use; rebuilt when the names change). */
  grammar(): Promise<Result<{ files: GrammarFiles; built: BuiltGrammar }, RayosError>>;
}

export type VoiceService = Service & { readonly control: VoiceControl };

export interface VoiceOptions {
  /** Subsystem names in the scene now (the VMs); linux and windows are always in. */
  readonly names?: () => readonly string[];
  /** Where grammar files go; the service defaults to <data>/cache/voice. */
  readonly cacheDir?: string;
  /** PATH to find the programs on (tests pass '' to see voice unavailable); default the process PATH. */
  readonly searchPath?: string;
  readonly modelDir?: string;
  /** Where the debug line about the grammar goes (default stderr). */
  readonly log?: (line: string) => void;
  /** The registry's phrases (default cognition's listPhrases). */
  readonly phrases?: () => readonly GrammarPhrase[];
}

const unavailable = (tools: VoiceTools | null, what: string): RayosError =>
  rayosError('RAYOS_VOICE_UNAVAILABLE', `${what} is not available here: ${tools === null ? 'voice has not started' : `${tools.missing.join(', ')} not installed`}. Install it with: ${VOICE_FIX}`);

/** The voice control on its own (the service wraps it; tests use it directly). Detects the tools once. */
export async function openVoice(options: VoiceOptions & { cacheDir: string }): Promise<VoiceControl> {
  const tools = await detectVoice({ ...(options.searchPath === undefined ? {} : { searchPath: options.searchPath }), ...(options.modelDir === undefined ? {} : { modelDir: options.modelDir }) });
  return createControl(tools, options);
}

function createControl(tools: VoiceTools, options: VoiceOptions & { cacheDir: string }): VoiceControl {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const phrasesOf = options.phrases ?? listPhrases;
  // Pronunciations looked up so far (null: not in the dictionary), so a new VM name reads the dictionary once, not every phrase again.
  const pronounced = new Map<string, readonly string[] | null>();
  let current: { key: string; files: GrammarFiles; built: BuiltGrammar } | null = null;
  // One transcription at a time: each runs two pocketsphinx processes, and the host is shared.
  let queue: Promise<unknown> = Promise.resolve();

  async function grammar(): Promise<Result<{ files: GrammarFiles; built: BuiltGrammar }, RayosError>> {
    if (tools.recogniser === null) return err(unavailable(tools, 'Transcription'));
    const input = { phrases: phrasesOf(), names: options.names?.() ?? [] };
    try {
      const wanted = [...candidateWords(input)].filter((w) => !pronounced.has(w));
      if (wanted.length > 0) {
        const found = await readPronunciations(tools.recogniser.dictFile, new Set(wanted));
        for (const w of wanted) pronounced.set(w, found.get(w) ?? null);
      }
      const known = new Map([...pronounced].filter((e): e is [string, readonly string[]] => e[1] !== null));
      const built = buildGrammar(input, known);
      if (current?.key === built.key) return ok(current);
      // Files keyed by content: written once (temp + rename, so a reader never sees half a file), reused after.
      await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
      const files = { grammarFile: join(options.cacheDir, `grammar-${built.key}.gram`), dictFile: join(options.cacheDir, `grammar-${built.key}.dict`) };
      for (const [path, text] of [[files.grammarFile, built.jsgf], [files.dictFile, built.dict]] as const) {
        const temp = `${path}.${process.pid}.tmp`;
        await writeFile(temp, text, { mode: 0o600 });
        await rename(temp, path);
      }
      log(
        `rayos voice: grammar ${built.key}: ${built.phrasesUsed} phrases, ${built.phrasesLeftOut} left out for words not in the pocketsphinx dictionary` +
          `${built.unknownWords.length > 0 ? ` (${built.unknownWords.slice(0, 12).join(', ')}${built.unknownWords.length > 12 ? ', …' : ''})` : ''}; names: ${built.names.join(', ')}`,
      );
      // Grammars for names no longer in the scene are not needed again soon; transcriptions run one at a time, so none is in use.
      for (const old of await readdir(options.cacheDir)) {
        if (/^grammar-[0-9a-f]{16}\.(gram|dict)$/.test(old) && !old.startsWith(`grammar-${built.key}.`)) await rm(join(options.cacheDir, old), { force: true });
      }
      current = { key: built.key, files, built };
      return ok(current);
    } catch (error) {
      return err(rayosError('RAYOS_VOICE_RECOGNIZER_FAILED', `The speech grammar could not be written to ${options.cacheDir} (${String(error)}); check the data directory is writable.`));
    }
  }

  async function run(untrustedWav: Uint8Array): Promise<Result<VoiceTranscript, RayosError>> {
    if (tools.recogniser === null) return err(unavailable(tools, 'Transcription'));
    if (!(untrustedWav instanceof Uint8Array)) return err(rayosError('RAYOS_VOICE_BAD_AUDIO', 'The audio must be the raw bytes of a WAV file, sent as audio/wav.'));
    const audio = parseWav(untrustedWav);
    if (!audio.ok) return audio;
    const wav = encodeWav16Mono(toRecogniserAudio(audio.value), RECOGNISER_RATE);
    const files = await grammar();
    if (!files.ok) return files;
    const heard = await transcribe(wav, files.value.files, { recogniser: tools.recogniser });
    if (!heard.ok) return heard;
    const t: Transcript = heard.value;
    return ok({ text: t.text, confidence: t.confidence, heard: t.heard, ...(t.note === undefined ? {} : { note: t.note }) });
  }

  return {
    status: () => ({ transcribe: tools.recogniser !== null, say: tools.synthesiser !== null, missing: tools.missing, fix: tools.missing.length > 0 ? VOICE_FIX : null }),
    grammar,
    transcribe(untrustedWav) {
      const next = queue.then(() => run(untrustedWav));
      queue = next.catch(() => undefined);
      return next;
    },
    async say(untrustedText) {
      if (tools.synthesiser === null) return err(unavailable(tools, 'Speech'));
      const text = typeof untrustedText === 'string' ? speakableText(untrustedText) : '';
      if (text === '' || text.length > MAX_SPEECH_TEXT_CHARS) {
        return err(rayosError('RAYOS_VOICE_BAD_TEXT', `Give the text to speak as a string of 1 to ${MAX_SPEECH_TEXT_CHARS} characters (got ${typeof untrustedText === 'string' ? `${text.length} characters` : typeof untrustedText}).`));
      }
      return synthesize(text, { synthesiser: tools.synthesiser });
    },
  };
}

/** The 'voice' service: detects the tools at start; its control answers RAYOS_VOICE_UNAVAILABLE until then and when they are missing. */
export function createVoiceService(options: VoiceOptions = {}): VoiceService {
  let control: VoiceControl | null = null;
  const notStarted: VoiceControl = {
    status: () => ({ transcribe: false, say: false, missing: [], fix: null }),
    transcribe: async () => err(unavailable(null, 'Transcription')),
    say: async () => err(unavailable(null, 'Speech')),
    grammar: async () => err(unavailable(null, 'Transcription')),
  };
  return {
    name: 'voice',
    dependsOn: [],
    control: {
      status: () => (control ?? notStarted).status(),
      transcribe: (wav) => (control ?? notStarted).transcribe(wav),
      say: (text) => (control ?? notStarted).say(text),
      grammar: () => (control ?? notStarted).grammar(),
    },
    async start(ctx: ServiceContext) {
      control = await openVoice({ ...options, cacheDir: options.cacheDir ?? join(ctx.dataDir, 'cache', 'voice') });
    },
    async stop() {
      control = null;
    },
    health(): Health {
      if (control === null) return { status: 'degraded', detail: 'not started' };
      const s = control.status();
      if (s.missing.length === 0) return { status: 'ok', detail: 'pocketsphinx and espeak-ng available: voice on' };
      return { status: 'degraded', detail: `voice off: ${s.missing.join(', ')} not installed (${s.fix ?? ''}); transcribe ${s.transcribe ? 'available' : 'unavailable'}, say ${s.say ? 'available' : 'unavailable'}` };
    },
  };
}
