// Owns telling, from the words alone, requests RayOS should not act on: about things not in the scene, the web, the person, something new — or two requests at once.
import type { IntentAction } from '../../contracts/intent.js';
import { NETWORK_NOUNS, specOf } from './command-registry.js';
import { ADDITIVE_WORDS, EVENT_WORDS, FUNCTION_WORDS, PERSONAL_OBJECTS, QUESTION_STARTS } from './english-words.js';
import type { ActionBelief } from './intent-lattice.js';
import type { ReferentReading } from './referent-resolver.js';
import { VERB_FORMS, type LexiconMatch, type Token } from './registry-lexicon.js';
import { TYPE_WORDS } from './referent-words.js';
import type { SearchSlot } from './slot-extraction.js';

const NETWORK_WORDS: ReadonlySet<string> = new Set(NETWORK_NOUNS.flatMap((n) => n.split(' ')));

/** "turn linux off and windows on": a command word on each side of "and"/"then", for different actions. */
export function twoRequests(tokens: readonly Token[], matches: readonly LexiconMatch[]): { at: number; actions: IntentAction[] } | null {
  const at = tokens.findIndex((t, i) => i > 0 && (t.surface === 'and' || t.surface === 'then'));
  if (at < 0) return null;
  const before = matches.filter((m) => m.end < at).sort((a, b) => b.weight - a.weight)[0];
  const after = matches.filter((m) => m.start > at && !(m.start === at + 1 && tokens[at]!.surface === 'and' && m.action === before?.action)).sort((a, b) => b.weight - a.weight)[0];
  if (before === undefined || after === undefined || before.action === after.action) return null;
  return { at, actions: [before.action, after.action] };
}

/** Content words nothing explains: not a command word, not a name, not glue. */
export function unknownWords(tokens: readonly Token[], explained: ReadonlySet<number>, asksWhy: boolean): { i: number; w: string }[] {
  const out: { i: number; w: string }[] = [];
  tokens.forEach((t, i) => {
    const w = t.surface;
    // Numbers count: "what is 17 times 23" is about numbers, not about anything on screen.
    if (/^\d+$/.test(w) && !explained.has(i)) return void out.push({ i, w });
    if (explained.has(i) || w.length < 2 || TYPE_WORDS.has(w) || ADDITIVE_WORDS.has(w) || NETWORK_WORDS.has(w) || ['again', 'back', 'another'].includes(w)) return;
    if (asksWhy && EVENT_WORDS.has(w)) return;
    // A command verb in any form ("paused") is RayOS's word; other words of phrases ("time" outside "one more time") are not.
    if (FUNCTION_WORDS.has(w) || QUESTION_STARTS.has(w) || VERB_FORMS.has(w)) return;
    out.push({ i, w });
  });
  return out;
}

/**
 * Why a request with command words is still not RayOS's: it is about something that is not in the scene ("open the pod
 * bay doors", "pause the song", "pause windows updates"), or it searches the web.
 */
export function outOfScopeReason(tokens: readonly Token[], belief: ActionBelief, refs: ReferentReading, unknown: readonly { i: number; w: string }[], search: SearchSlot | null, matches: readonly LexiconMatch[]): string | null {
  const top = [...belief.scores].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (top === undefined) return 'No RayOS command was found in it.';
  if (top === 'search' && search?.web === true) return 'Searching the web is not something RayOS does; it searches its own machines.';
  // The command's first words ("start a new document": "start", not "a new") are where its object follows.
  const verbEnd = matches.filter((m) => m.action === top).sort((a, b) => a.start - b.start || b.end - a.end)[0]?.end ?? -1;
  const named = refs.mode !== 'none' && refs.candidates.length > 0;
  const next = tokens[verbEnd + 1]?.surface ?? '';
  // "wake me up", "find me a hotel": the person is the object, not anything RayOS runs.
  if (!named && verbEnd >= 0 && PERSONAL_OBJECTS.has(next)) return `That is about "${next}", not about anything RayOS runs.`;
  // "start a timer", "open a beer": a new thing, not one of RayOS's objects (those are named or pointed at).
  if (verbEnd >= 0 && (next === 'a' || next === 'an' || next === 'new') && !refs.named.has(verbEnd + 2) && !refs.named.has(verbEnd + 3)) return `"${tokens.slice(verbEnd + 1).map((t) => t.surface).join(' ')}" is not something RayOS has.`;
  if (unknown.length === 0) return null;
  // "pictures of cats", "a video about dogs": a kind of thing described by what is in it, which no object here is called.
  if (refs.mode === 'typed' && unknown.some((u) => ['of', 'about', 'with'].includes(tokens[u.i - 1]?.surface ?? '') && TYPE_WORDS.has(tokens[u.i - 2]?.surface ?? ''))) {
    return `${unknown.map((u) => `"${u.w}"`).join(', ')} is not anything RayOS has here.`;
  }
  // "cancel my subscription": cancelling is of RayOS's own pending request, which has no other words.
  if (specOf(top).target === 'none') return `${unknown.map((u) => `"${u.w}"`).join(', ')} is not something RayOS can ${top}.`;
  const said = unknown.map((u) => `"${u.w}"`).join(', ');
  if (!named) return `I don't see anything called ${said} here.`;
  // A name followed by a word nothing explains is a thing of that name ("windows updates"), not the object itself.
  const nameFollowed = unknown.some((u) => refs.used.has(u.i - 1) && !FUNCTION_WORDS.has(tokens[u.i - 1]!.surface));
  // The word right after the command is its object; if nothing explains it, the command is about something else.
  let k = verbEnd + 1;
  while (k < tokens.length && ['the', 'a', 'an', 'my', 'some', 'that', 'this'].includes(tokens[k]!.surface)) k++;
  // …unless it only qualifies a name that follows ("open the txt editor").
  const objectUnknown = verbEnd >= 0 && unknown.some((u) => u.i === k && !refs.named.has(k + 1));
  if (nameFollowed || objectUnknown) return `${said} is not something RayOS knows here.`;
  return null;
}
