// Owns which part of what was said is the request: the words after a self-correction ("what's the weather… no wait, pause linux"), without a trailing reason ("… before I mess it up").
import { QUESTION_STARTS } from './english-words.js';
import { findPhrase, matchLexicon, type Token } from './registry-lexicon.js';

/** Words that take back what came before: what follows is the request. */
const SELF_CORRECTIONS: readonly string[] = ['no wait', 'wait no', 'no no', 'scratch that', 'forget that', 'never mind that', 'nevermind that', 'or rather', 'i mean'];

/**
 * Words that open a reason or a purpose for what was asked ("snapshot ubuntu before I mess it up", "… because it is
 * slow"): context, not more of the request. Not "after"/"when"/"until": those would make it a request for later.
 */
const REASON_MARKERS: readonly string[] = ['before i', 'before we', 'before it', 'because', 'cuz', 'coz', 'so that', 'in case', 'just in case'];

/** Words before "before" that make it say when, not why. */
const TIME_LEADS: ReadonlySet<string> = new Set(['from', 'right', 'just', 'shortly', 'taken', 'made']);

export interface Focused {
  readonly tokens: readonly Token[];
  /** Whether the focused words ask rather than tell (recomputed when the start was cut away). */
  readonly question: boolean;
  readonly note: string | null;
}

/** The request's own words (see the header); `question` is what the normaliser said about the whole, `mark` whether it ended with "?". */
export function focusRequest(tokens: readonly Token[], question: boolean, mark: boolean): Focused {
  let out = tokens;
  let asks = question;
  const notes: string[] = [];
  for (const phrase of SELF_CORRECTIONS) {
    const span = findPhrase(out, phrase);
    if (span === null || span[0]! === 0) continue;
    const rest = out.slice(span.at(-1)! + 1);
    if (matchLexicon(rest).length === 0) continue;
    notes.push(`"${phrase}" takes back "${out.slice(0, span[0]).map((t) => t.surface).join(' ')}"`);
    out = rest;
    asks = mark || QUESTION_STARTS.has(rest[0]!.surface);
    break;
  }
  for (const phrase of REASON_MARKERS) {
    const span = findPhrase(out, phrase);
    if (span === null || span[0]! < 2) continue;
    // "the snapshot from before I ran the setup" says which one, not why.
    if (TIME_LEADS.has(out[span[0]! - 1]!.surface)) continue;
    const head = out.slice(0, span[0]);
    if (matchLexicon(head).length === 0) continue;
    notes.push(`"${out.slice(span[0]).map((t) => t.surface).join(' ')}" gives a reason, not more of the request`);
    out = head;
    break;
  }
  return { tokens: out, question: asks, note: notes.length === 0 ? null : notes.join('; ') };
}
