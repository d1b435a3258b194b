// Owns the words that point at objects without naming them: type words, deixis, anaphora, and what people call the subsystems.
import type { ObjectType } from '../../contracts/intent.js';

/** A word for a kind of object ("the windows vm", "this app"); on-screen VMs are windows and desktops too. */
export const TYPE_WORDS: ReadonlyMap<string, readonly ObjectType[]> = new Map<string, readonly ObjectType[]>([
  ['window', ['surface']], ['windows', ['surface']], ['desktop', ['surface', 'vm']], ['screen', ['surface', 'vm']], ['surface', ['surface']],
  ['vm', ['vm']], ['vms', ['vm']], ['machine', ['vm']], ['machines', ['vm']], ['box', ['vm']], ['computer', ['vm']], ['pc', ['vm']], ['subsystem', ['vm']],
  ['guest', ['vm']], ['instance', ['vm']], ['system', ['vm']], ['os', ['vm']], ['virtual', ['vm']], ['server', ['vm']], ['environment', ['vm']], ['side', ['vm']],
  ['app', ['app']], ['apps', ['app']], ['application', ['app']], ['program', ['app']], ['tool', ['app']], ['icon', ['app']],
  ['file', ['file']], ['files', ['file']], ['document', ['file']], ['doc', ['file']], ['spreadsheet', ['file']], ['workbook', ['file']], ['presentation', ['file']],
  ...['spreadsheets', 'workbooks', 'presentations', 'pdf', 'pdfs', 'image', 'images', 'photo', 'photos', 'picture', 'pictures', 'video', 'videos'].map((w) => [w, ['file']] as [string, ObjectType[]]),
  ['snapshot', ['snapshot']], ['snapshots', ['snapshot']], ['checkpoint', ['snapshot']], ['backup', ['snapshot']], ['restore point', ['snapshot']], ['save point', ['snapshot']],
]);

/**
 * Kind words that are also what things are called: "windows" (the subsystem), "spreadsheet" or "photos" (an app or a
 * window may be labelled so). Where an object is called so, the word names it; otherwise it says the kind.
 */
export const AMBIGUOUS_TYPE_NAMES: ReadonlySet<string> = new Set(['windows', 'spreadsheet', 'spreadsheets', 'workbook', 'presentation', 'pdf', 'image', 'images', 'photo', 'photos', 'picture', 'pictures', 'video', 'videos']);

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

/**
 * What people call apps by their kind rather than their name ("the file manager", "a browser"), and the app names of
 * each kind. A kind counts only where no object is called so itself (an app labelled "Browser" is the browser).
 */
export const APP_KINDS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['file manager', 'file explorer', 'file browser'].map((k) => [k, ['files', 'explorer', 'nautilus', 'dolphin', 'thunar', 'nemo', 'finder', 'pcmanfm']] as const),
  ...['web browser', 'browser'].map((k) => [k, ['firefox', 'chrome', 'chromium', 'edge', 'safari', 'brave', 'opera', 'vivaldi', 'epiphany']] as const),
  ...['text editor', 'editor'].map((k) => [k, ['gedit', 'notepad', 'kate', 'mousepad', 'textedit', 'editor', 'nano', 'vim', 'emacs']] as const),
  ...['command prompt', 'command line', 'shell', 'console'].map((k) => [k, ['terminal', 'konsole', 'xterm', 'cmd', 'powershell', 'console']] as const),
  ...['email', 'mail', 'email client', 'mail client'].map((k) => [k, ['outlook', 'thunderbird', 'mail', 'evolution', 'geary']] as const),
]);

/** Determiners and possessives dropped from the edges of a search query ("search linux for my tax forms" → "tax forms"). */
export const QUERY_EDGE_WORDS: ReadonlySet<string> = new Set(['the', 'a', 'an', 'my', 'our', 'your', 'some', 'any', 'all', 'all the', 'all my', 'every', 'for', 'me', 'too', 'also', 'please', 'again']);

/** Deictic phrases that contain command-like words ("looking at"): their words point, they do not command. */
export const POINTING_PHRASES: readonly string[] = DEICTIC_PHRASES.filter((d) => d.includes('looking') || d.includes('look'));

/** Words for the open web: a search of the web is not a search of a subsystem. */
export const WEB_WORDS: ReadonlySet<string> = new Set(['web', 'internet', 'online', 'google', 'bing', 'duckduckgo', 'wikipedia', 'youtube', 'amazon', 'net', 'website', 'websites']);

/** Things only the outside world has: a search for these ("find cheap flights") is a web search, whatever machine is named. */
export const WORLD_QUERY_WORDS: ReadonlySet<string> = new Set(
  ('flight flights hotel hotels restaurant restaurants recipe recipes news weather forecast tickets directions lyrics price prices deals near nearby shops store stores ' +
    'keys key wallet phone glasses car parking dog cat').split(' '),
);
