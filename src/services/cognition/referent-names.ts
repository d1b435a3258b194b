// Owns naming: which scene objects the words name (labels, ids, subsystems and their nicknames, partial words, type words), scored so rarer names count more.
import type { ObjectType, Scene, SceneObject } from '../../contracts/intent.js';
import { FUNCTION_WORDS } from './english-words.js';
import type { Token } from './registry-lexicon.js';
import { AMBIGUOUS_TYPE_NAMES, APP_KINDS, SUBSYSTEM_ALIASES, TYPE_WORDS } from './referent-words.js';
import { wordsOf } from './utterance-normaliser.js';

/** The scene's names, built once per scene. */
export interface SceneIndex {
  readonly objects: readonly SceneObject[];
  readonly byId: ReadonlyMap<string, SceneObject>;
  /** Name word → ids of the objects it names (words of the label and id, and nicknames of those). */
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Word → ids of objects it only qualifies: their subsystem ("the linux terminal"). A qualifier narrows a name down;
   * alone it names the subsystem's own objects first ("linux" is the VM Linux, not every app on it).
   */
  readonly qualifiers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per object, the words of its label (what a full mention says). */
  readonly labelWords: ReadonlyMap<string, readonly string[]>;
  /** Every word of every name, for the typo corrector. */
  readonly words: ReadonlySet<string>;
  readonly screen: readonly [number, number];
}

/** The schema's own limit; a scene of more is cut, not refused. */
const MAX_INDEXED_OBJECTS = 10_000;
const nameWords = (text: string) => wordsOf(text).filter((w) => !FUNCTION_WORDS.has(w) || w.length > 3);

export function indexScene(scene: Scene): SceneIndex {
  const objects = scene.objects.length > MAX_INDEXED_OBJECTS ? scene.objects.slice(0, MAX_INDEXED_OBJECTS) : scene.objects;
  const byId = new Map(scene.objects.map((o) => [o.id, o]));
  const names = new Map<string, Set<string>>();
  const qualifiers = new Map<string, Set<string>>();
  const labelWords = new Map<string, readonly string[]>();
  const add = (map: Map<string, Set<string>>, word: string, id: string) => {
    let set = map.get(word);
    if (set === undefined) map.set(word, (set = new Set()));
    set.add(id);
  };
  const own = new Map<string, Set<string>>();
  for (const o of objects) {
    const label = nameWords(o.label);
    // A file's extension says its format, not its name: "notes" says all of "notes.txt".
    const extension = o.type === 'file' ? /\.([a-z0-9]{1,5})$/i.exec(o.label)?.[1]?.toLowerCase() : undefined;
    labelWords.set(o.id, extension !== undefined && label.length > 1 && label.at(-1) === extension ? label.slice(0, -1) : label);
    // An id is a name when there is no label; otherwise its words only qualify ("linux@clean" is the clean install snapshot, of linux).
    const words = new Set(label.length > 0 ? label : nameWords(o.id));
    own.set(o.id, words);
    for (const w of words) add(names, w, o.id);
  }
  // An id's kind word ("firefox-app", "vm-linux") says what sort of thing it is, not which: "this app" names no app.
  const idWords = (o: SceneObject) => nameWords(o.id).filter((w) => !TYPE_WORDS.has(w) || w === o.subsystem);
  for (const o of objects) for (const w of [...nameWords(o.subsystem ?? ''), ...idWords(o)]) if (!own.get(o.id)!.has(w)) add(qualifiers, w, o.id);
  // Nicknames ("ubuntu" for linux) only where no object is called that itself.
  for (const map of [names, qualifiers]) {
    for (const w of Object.keys(SUBSYSTEM_ALIASES)) {
      const ids = map.get(w);
      if (ids === undefined) continue;
      for (const alias of SUBSYSTEM_ALIASES[w]!) if (!names.has(alias)) map.set(alias, ids);
    }
  }
  const screen: [number, number] = Array.isArray(scene.screen) && scene.screen[0] > 0 && scene.screen[1] > 0 ? [scene.screen[0], scene.screen[1]] : [1920, 1080];
  return { objects, byId, names, qualifiers, labelWords, words: new Set([...names.keys(), ...qualifiers.keys()]), screen };
}

export interface NameMatch {
  /** Per object that the words name, a score (higher = named more fully and more distinctively). */
  readonly scores: ReadonlyMap<string, number>;
  /** Token positions that named something, and those that said a type ("the vm"). */
  readonly nameTokens: ReadonlySet<number>;
  readonly typeTokens: ReadonlySet<number>;
  readonly types: readonly ObjectType[];
  readonly notes: readonly string[];
}

interface TokenHit {
  readonly ids: ReadonlySet<string>;
  readonly qualified: ReadonlySet<string>;
  readonly weight: number;
}

/** Objects a token names (and those it only qualifies): exactly, as a plural ("terminals"), or as the start of a longer name ("calc" → calculator). */
function objectsNamedBy(token: Token, index: SceneIndex, allowPrefix: boolean): TokenHit | null {
  const none: ReadonlySet<string> = new Set();
  // "resume.pdf", "2024.pdf": a dotted word names what its parts name.
  if (token.surface.includes('.')) {
    const parts = token.surface.split('.').filter((p) => p.length > 0).map((p) => objectsNamedBy({ surface: p, lemma: p }, index, false));
    const ids = new Set(parts.flatMap((h) => (h === null ? [] : [...h.ids])));
    const qualified = new Set(parts.flatMap((h) => (h === null ? [] : [...h.qualified])));
    return ids.size + qualified.size > 0 ? { ids, qualified, weight: 1 } : null;
  }
  const forms = [token.surface, token.lemma];
  const w = token.surface;
  if (w.endsWith('s') && w.length > 3) forms.push(w.slice(0, -1), ...(w.endsWith('es') ? [w.slice(0, -2)] : []));
  for (const f of forms) {
    const ids = index.names.get(f);
    const qualified = index.qualifiers.get(f);
    if (ids !== undefined || qualified !== undefined) return { ids: ids ?? none, qualified: qualified ?? none, weight: 1 };
  }
  if (!allowPrefix || w.length < 4) return null;
  const ids = new Set<string>();
  for (const [name, named] of index.names) if (name.length >= w.length + 2 && name.startsWith(w)) for (const id of named) ids.add(id);
  return ids.size > 0 ? { ids, qualified: none, weight: 0.7 } : null;
}

function isOnScreen(o: SceneObject): boolean {
  return o.rect !== undefined || o.state?.presented === true;
}

/** Whether a type word fits an object: a VM on screen is also a window or a desktop. */
export function typeFits(o: SceneObject, types: readonly ObjectType[]): boolean {
  return types.includes(o.type) || (o.type === 'vm' && types.includes('surface') && isOnScreen(o));
}

const kindPhrases = [...APP_KINDS.keys()].sort((a, b) => b.split(' ').length - a.split(' ').length).map((k) => ({ kind: k, words: k.split(' ') }));

/** "the file manager", "a browser": the apps of that kind in the scene, per word of the phrase (see APP_KINDS). */
function kindMentions(tokens: readonly Token[], skip: ReadonlySet<number>, index: SceneIndex): Map<number, TokenHit> {
  const out = new Map<number, TokenHit>();
  for (const { kind, words } of kindPhrases) {
    if (words.every((w) => index.names.has(w))) continue;
    for (let i = 0; i + words.length <= tokens.length; i++) {
      if (!words.every((w, k) => tokens[i + k]!.lemma === w || tokens[i + k]!.surface === w) || words.some((_, k) => skip.has(i + k) || out.has(i + k))) continue;
      const members = new Set(APP_KINDS.get(kind));
      const ids = new Set(index.objects.filter((o) => (o.type === 'app' || o.type === 'surface') && (index.labelWords.get(o.id) ?? []).some((w) => members.has(w))).map((o) => o.id));
      if (ids.size === 0) continue;
      for (let k = 0; k < words.length; k++) out.set(i + k, { ids, qualified: new Set(), weight: 1 });
    }
  }
  return out;
}

const PLACE_WORDS: ReadonlySet<string> = new Set(['on', 'in', 'inside', 'within', 'from']);

/** Whether the type word at `i` ends a place after something already named: "excel on the windows side", "vim in the linux vm". */
function locative(tokens: readonly Token[], i: number, index: SceneIndex): boolean {
  let k = i - 1;
  while (k >= 0 && (index.names.has(tokens[k]!.surface) || index.qualifiers.has(tokens[k]!.surface) || tokens[k]!.surface === 'the')) k--;
  if (k === i - 1 || k < 1 || !PLACE_WORDS.has(tokens[k]!.surface)) return false;
  return tokens.slice(0, k).some((t) => index.names.has(t.surface) || index.names.has(t.lemma));
}

/**
 * "the vm" where one VM is labelled "Work VM" and another "Gaming PC": a kind word inside labels that says only what
 * the labelled things are, while other things of that kind are here too, says the kind, not which one.
 */
function kindInLabels(word: string, kinds: readonly ObjectType[], hit: TokenHit, index: SceneIndex): boolean {
  // Only a word that every object of its one kind may be called ("vm", "app", "file"); "desktop" or "document" is narrower.
  if (AMBIGUOUS_TYPE_NAMES.has(word) || hit.ids.size === 0 || kinds.length !== 1 || (kinds[0] === 'file' && !['file', 'files'].includes(word))) return false;
  const named = [...hit.ids].map((id) => index.byId.get(id)!);
  if (!named.every((o) => kinds.includes(o.type) && (index.labelWords.get(o.id)?.length ?? 0) > 1)) return false;
  return index.objects.some((o) => !hit.ids.has(o.id) && kinds.includes(o.type) && named.some((n) => n.type === o.type));
}

/**
 * Scores every object the words name. A name word counts for each object it names; a mentioned name that an object
 * does not have counts against it ("linux desktop" is not the Windows desktop); a type word that fits adds, one that
 * does not subtracts; saying all of an object's label adds a little (so "linux" is the VM Linux before the "Linux desktop").
 */
export function matchNames(tokens: readonly Token[], skip: ReadonlySet<number>, index: SceneIndex, knownWord: (w: string) => boolean): NameMatch {
  const perToken = new Map<number, TokenHit>();
  const typeTokens = new Set<number>();
  const types = new Set<ObjectType>();
  const notes: string[] = [];
  const kinds = kindMentions(tokens, skip, index);
  for (const [i, hit] of kinds) perToken.set(i, hit);
  tokens.forEach((token, i) => {
    if (skip.has(i) || kinds.has(i)) return;
    const w = token.surface;
    const typeWord = TYPE_WORDS.get(w);
    let hit = FUNCTION_WORDS.has(w) && !index.names.has(w) && !index.qualifiers.has(w) ? null : objectsNamedBy(token, index, !knownWord(w));
    if (hit !== null && typeWord !== undefined && kindInLabels(w, typeWord, hit, index)) hit = null;
    if (hit !== null) {
      perToken.set(i, hit);
      // "windows" names the Windows subsystem when the scene has one; otherwise it means windows on screen.
      if (typeWord === undefined || AMBIGUOUS_TYPE_NAMES.has(w)) return;
    }
    // "a new document" is a thing to make, not one that is here; "excel on the windows side" says where excel is.
    if (typeWord !== undefined && !['a', 'an', 'new', 'another'].includes(tokens[i - 1]?.surface ?? '') && !locative(tokens, i, index)) {
      typeTokens.add(i);
      for (const t of typeWord) types.add(t);
    }
  });
  const scores = new Map<string, number>();
  const mentioned = [...perToken.values()];
  // Objects a qualifier alone reaches are candidates only when no object carries the word as its own name.
  const candidates = new Set(mentioned.flatMap((m) => [...m.ids, ...(m.ids.size === 0 ? m.qualified : [])]));
  const anyPrimary = mentioned.some((m) => m.ids.size > 0);
  for (const m of mentioned) if (anyPrimary && m.ids.size === 0) for (const id of m.qualified) if (mentioned.some((o) => o.ids.has(id))) candidates.add(id);
  // "the linux window": a kind that the subsystem's own object is not, so its windows are meant.
  for (const m of mentioned) for (const id of m.qualified) if (types.size > 0 && typeFits(index.byId.get(id)!, [...types])) candidates.add(id);
  for (const id of candidates) {
    const o = index.byId.get(id)!;
    let s = 0;
    for (const m of mentioned) {
      // Each word said counts whole for every object it names (two names said are two objects named, however many
      // share either); a word that names other objects but not this one counts against it.
      if (m.ids.has(id)) s += m.weight;
      else if (m.qualified.has(id)) s += m.ids.size > 0 ? 0.3 * m.weight : m.weight;
      else s -= 0.7 * m.weight;
    }
    // A kind said is strong evidence: "the windows vm" is not the Windows desktop.
    if (types.size > 0) s += typeFits(o, [...types]) ? 0.5 : -1;
    const label = index.labelWords.get(id) ?? [];
    if (label.length > 0) {
      // A kind said ("the file manager") is not a part of a label said ("File Explorer").
      const said = label.filter((lw) => [...perToken.keys()].some((i) => !kinds.has(i) && (tokens[i]!.surface === lw || tokens[i]!.lemma === lw))).length;
      s += 0.3 * (said / label.length);
    }
    if (s > 0) scores.set(id, s);
  }
  if (perToken.size > 0) notes.push(`named: ${[...perToken.keys()].map((i) => `"${tokens[i]!.surface}"`).join(', ')}`);
  if (types.size > 0) notes.push(`kind of object said: ${[...types].join('/')}`);
  return { scores, nameTokens: new Set(perToken.keys()), typeTokens, types: [...types], notes };
}
