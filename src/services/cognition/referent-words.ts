// Owns the words that point at objects without naming them: type words, deixis, anaphora, and what people call the subsystems.
import type { ObjectType } from '../../contracts/intent.js';

/** A word for a kind of object ("the windows vm", "this app"); on-screen VMs are windows and desktops too. */
export const TYPE_WORDS: ReadonlyMap<string, readonly ObjectType[]> = new Map<string, readonly ObjectType[]>([
  ['window', ['surface']], ['windows', ['surface']], ['desktop', ['surface', 'vm']], ['screen', ['surface', 'vm']], ['surface', ['surface']],
  ['vm', ['vm']], ['vms', ['vm']], ['machine', ['vm']], ['machines', ['vm']], ['box', ['vm']], ['computer', ['vm']], ['pc', ['vm']], ['subsystem', ['vm']],
  ['guest', ['vm']], ['instance', ['vm']], ['system', ['vm']], ['os', ['vm']], ['virtual', ['vm']], ['server', ['vm']], ['environment', ['vm']], ['side', ['vm']],
  ['app', ['app']], ['apps', ['app']], ['application', ['app']], ['program', ['app']], ['tool', ['app']], ['icon', ['app']],
  ['file', ['file']], ['files', ['file']], ['document', ['file']], ['doc', ['file']],
  ['snapshot', ['snapshot']], ['snapshots', ['snapshot']], ['checkpoint', ['snapshot']], ['backup', ['snapshot']], ['restore point', ['snapshot']], ['save point', ['snapshot']],
]);

/** "windows" is both a type word and the Windows subsystem: it is a type word only after "the"/"all"/"these" with no Windows object meant (see resolver). */
export const AMBIGUOUS_TYPE_NAMES: ReadonlySet<string> = new Set(['windows']);

/** Words that point where the person is looking ("this", "that window", "what I am looking at"). Longest first when matched. */
export const DEICTIC_PHRASES: readonly string[] = [
  'the one i am looking at', 'what i am looking at', 'the thing i am looking at', 'where i am looking', 'i am looking at', 'the one here', 'this one', 'over there',
  'this thing', 'that thing', 'over here', 'right here', 'this', 'these', 'here', 'that', 'those',
];

/** Words that point back into the dialogue ("it", "the same one"). */
export const ANAPHORIC_PHRASES: readonly string[] = [
  'the other one', 'the other', 'other one', 'all of them', 'both of them', 'them both', 'the same one', 'the same', 'same one', 'the last one', 'the previous one', 'that one', 'it', 'its', 'them', 'they', 'both', 'him', 'her',
];

/** Words that point at several objects at once: RayOS acts on one object per request, so it asks which. */
export const PLURAL_POINTERS: ReadonlySet<string> = new Set(['all of them', 'both of them', 'them both', 'them', 'they', 'both', 'these', 'those']);

/** "that" as the previous action, not an object: "do that again", "undo that", "why did you do that". */
export const ACTION_THAT_BEFORE: ReadonlySet<string> = new Set(['do', 'undo', 'redo', 'repeat', 'scratch', 'forget', 'cancel', 'doing', 'mind', 'abort']);

/** What people call the subsystems besides their names (a scene that names an object so itself wins over these). */
export const SUBSYSTEM_ALIASES: Readonly<Record<string, readonly string[]>> = {
  linux: ['ubuntu', 'debian', 'penguin', 'gnu', 'tux', 'fedora', 'archlinux', 'unix'],
  windows: ['win', 'win11', 'win10', 'microsoft', 'winbox'],
};

/** Determiners and possessives dropped from the edges of a search query ("search linux for my tax forms" → "tax forms"). */
export const QUERY_EDGE_WORDS: ReadonlySet<string> = new Set(['the', 'a', 'an', 'my', 'our', 'your', 'some', 'any', 'all', 'all the', 'all my', 'every', 'for', 'me']);

/** Deictic phrases that contain command-like words ("looking at"): their words point, they do not command. */
export const POINTING_PHRASES: readonly string[] = DEICTIC_PHRASES.filter((d) => d.includes('looking') || d.includes('look'));

/** Words for the open web: a search of the web is not a search of a subsystem. */
export const WEB_WORDS: ReadonlySet<string> = new Set(['web', 'internet', 'online', 'google', 'bing', 'duckduckgo', 'wikipedia', 'youtube', 'amazon', 'net', 'website', 'websites']);

/** Things only the outside world has: a search for these ("find cheap flights") is a web search, whatever machine is named. */
export const WORLD_QUERY_WORDS: ReadonlySet<string> = new Set(
  ('flight flights hotel hotels restaurant restaurants recipe recipes news weather forecast tickets directions lyrics price prices deals near nearby shops store stores ' +
    'keys key wallet phone glasses car parking dog cat').split(' '),
);
