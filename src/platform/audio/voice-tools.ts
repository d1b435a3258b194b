// Owns finding the offline voice tools Debian ships (pocketsphinx + its en-us model, espeak-ng), so voice degrades when they are missing.
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from '../process/run-command.js';

/** Where Debian 12's pocketsphinx-en-us puts the model (0.8+5prealpha). */
export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
export const VOICE_PACKAGES = ['pocketsphinx', 'pocketsphinx-en-us', 'espeak-ng'] as const;
/** The one line that turns voice on, said by every "unavailable" answer. */
export const VOICE_FIX = `sudo apt-get install -y ${VOICE_PACKAGES.join(' ')}`;

export interface Recogniser {
  /** pocketsphinx_batch: decodes a file against a grammar and writes word segments with acoustic scores (-hypseg). */
  readonly program: string;
  /** The acoustic model folder (-hmm). */
  readonly hmmDir: string;
  /** The pronunciation dictionary (CMUdict format) the grammar's words are looked up in. */
  readonly dictFile: string;
}

export interface Synthesiser {
  readonly program: string;
}

export interface VoiceTools {
  readonly recogniser: Recogniser | null;
  readonly synthesiser: Synthesiser | null;
  /** Debian packages whose files are missing, in VOICE_PACKAGES order. */
  readonly missing: readonly string[];
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks for the programs on searchPath (default PATH) and the model files under modelDir; cheap, no process started. */
export async function detectVoice(options: { searchPath?: string; modelDir?: string } = {}): Promise<VoiceTools> {
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  const [batch, espeak] = await Promise.all([findExecutable('pocketsphinx_batch', options.searchPath), findExecutable('espeak-ng', options.searchPath)]);
  const hmmDir = join(modelDir, 'en-us');
  const dictFile = join(modelDir, 'cmudict-en-us.dict');
  const model = (await readable(join(hmmDir, 'mdef'))) && (await readable(dictFile));
  const missing: string[] = [];
  if (batch === null) missing.push('pocketsphinx');
  if (!model) missing.push('pocketsphinx-en-us');
  if (espeak === null) missing.push('espeak-ng');
  return {
    recogniser: batch !== null && model ? { program: batch, hmmDir, dictFile } : null,
    synthesiser: espeak !== null ? { program: espeak } : null,
    missing,
  };
}
