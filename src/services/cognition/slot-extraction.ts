// Owns reading slots out of the words: the query of a search ("search my ubuntu machine for tax forms" → "tax forms"), told apart from the machine searched.
import type { LexiconMatch, Token } from './registry-lexicon.js';
import type { SceneIndex } from './referent-names.js';
import { QUERY_EDGE_WORDS, TYPE_WORDS, WEB_WORDS, WORLD_QUERY_WORDS } from './referent-words.js';

export interface SearchSlot {
  /** The phrase searched for, lower case, without determiners at its edges; null when none was said. */
  readonly query: string | null;
  /** Positions of the query's words: they are what is looked for, never the object meant. */
  readonly queryTokens: ReadonlySet<number>;
  /** The search is of the web ("search the web for…", "google …"), which RayOS does not do. */
  readonly web: boolean;
}

const DETERMINERS = new Set(['the', 'my', 'our', 'your', 'a', 'an', 'this', 'that', 'his', 'her', 'their']);
const PLACE_PREPOSITIONS = new Set(['on', 'in', 'inside', 'within', 'across', 'through', 'from', 'over', 'throughout', 'using', 'with']);
const QUERY_LEADS = new Set(['for', 'about']);

/** Words that point at the machine searched without naming it ("search it for…", "search the same machine for…"). */
const POINTING_WORDS = new Set(['it', 'this', 'that', 'same', 'other', 'one', 'there', 'here']);

function isTargetWord(token: Token | undefined, index: SceneIndex): boolean {
  if (token === undefined) return false;
  const w = token.surface;
  // A subsystem said names its machines too ("my linux machine" where Ubuntu and Fedora run linux).
  return index.names.has(w) || index.names.has(token.lemma) || index.qualifiers.has(w) || (w.endsWith('s') && index.names.has(w.slice(0, -1))) || TYPE_WORDS.has(w) || WEB_WORDS.has(w) || POINTING_WORDS.has(w);
}

/** Whether words said for the place name one: a pointer does only when it has something to point at. */
const namesPlace = (words: readonly Token[], index: SceneIndex, canPoint: boolean) => words.some((t) => isTargetWord(t, index) && (canPoint || !POINTING_WORDS.has(t.surface)));

function trimEdges(words: string[]): string[] {
  const out = [...words];
  while (out.length > 0 && QUERY_EDGE_WORDS.has(out[0]!)) out.shift();
  while (out.length > 0 && QUERY_EDGE_WORDS.has(out.at(-1)!)) out.pop();
  return out;
}

/**
 * Splits what follows a search verb into the machine searched and the query. `canPoint`: whether "it"/"that machine"
 * has something to point at (the dialogue or a look); if not, such words name no place. `describing`: positions that
 * say more about the machine ("the machine I started last"), not what is looked for.
 */
export function extractSearch(tokens: readonly Token[], verb: LexiconMatch, index: SceneIndex, canPoint = true, describing: ReadonlySet<number> = new Set()): SearchSlot {
  let i = verb.end + 1;
  let queryStart = i;
  let queryEnd = tokens.length; // exclusive
  // "look in [it] for gpg keys": the machine inside the phrase's gap.
  const gap = tokens.slice(verb.start, verb.end).filter((t, k) => !verb.literal.includes(verb.start + k) && isTargetWord(t, index));
  let placeNamed = namesPlace(gap, index, canPoint);
  // "search [my] ubuntu machine for tax forms": the machine first, then the query after "for".
  let j = i;
  while (DETERMINERS.has(tokens[j]?.surface ?? '')) j++;
  if (isTargetWord(tokens[j], index)) {
    let k = j;
    // "search it again for invoices": an adverb between the machine and "for" is not the query.
    while (k < tokens.length && (isTargetWord(tokens[k], index) || describing.has(k) || DETERMINERS.has(tokens[k]!.surface) || ['again', 'too', 'also'].includes(tokens[k]!.surface))) k++;
    if (QUERY_LEADS.has(tokens[k]?.surface ?? '')) {
      queryStart = k + 1;
      i = queryStart;
      placeNamed = namesPlace(tokens.slice(j, k), index, canPoint);
    }
  }
  if (queryStart === i && QUERY_LEADS.has(tokens[i]?.surface ?? '')) queryStart = i + 1;
  // "find tax forms on [the] linux box": the machine last, after a place word.
  for (let p = tokens.length - 2; p >= queryStart; p--) {
    if (!PLACE_PREPOSITIONS.has(tokens[p]!.surface)) continue;
    const rest = tokens.slice(p + 1).filter((t) => !DETERMINERS.has(t.surface));
    if (rest.length > 0 && rest.every((t) => isTargetWord(t, index))) {
      queryEnd = p;
      placeNamed ||= namesPlace(rest, index, canPoint);
      break;
    }
  }
  // The query is quoted back as typed ("bob's photos", "resume.pdf"), only lower-cased.
  const span = tokens.slice(queryStart, queryEnd).map((t) => t.raw ?? t.surface);
  const query = trimEdges(span);
  const queryTokens = new Set<number>();
  for (let k = queryStart; k < queryEnd; k++) queryTokens.add(k);
  // Things only the world has ("find my keys") are not looked for on a machine, unless one is named to look on.
  const web = tokens.some((t) => WEB_WORDS.has(t.surface)) || (!placeNamed && query.some((w) => WORLD_QUERY_WORDS.has(w)));
  return { query: query.length > 0 ? query.join(' ') : null, queryTokens, web };
}
