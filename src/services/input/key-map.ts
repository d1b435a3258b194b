// Owns the pure key tables: browser KeyboardEvent.code → QEMU QKeyCode, friendly key names, and US-layout characters → key strokes.
import { err, ok, type Result } from '../../base/result.js';

const table: Record<string, string> = {
  Escape: 'esc', Backquote: 'grave_accent', Minus: 'minus', Equal: 'equal', Backspace: 'backspace', Tab: 'tab',
  BracketLeft: 'bracket_left', BracketRight: 'bracket_right', Backslash: 'backslash', Enter: 'ret', CapsLock: 'caps_lock',
  Semicolon: 'semicolon', Quote: 'apostrophe', Comma: 'comma', Period: 'dot', Slash: 'slash', IntlBackslash: 'less',
  IntlRo: 'ro', IntlYen: 'yen', Space: 'spc',
  ShiftLeft: 'shift', ShiftRight: 'shift_r', ControlLeft: 'ctrl', ControlRight: 'ctrl_r', AltLeft: 'alt', AltRight: 'alt_r',
  MetaLeft: 'meta_l', MetaRight: 'meta_r', OSLeft: 'meta_l', OSRight: 'meta_r', ContextMenu: 'menu',
  ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right',
  Home: 'home', End: 'end', PageUp: 'pgup', PageDown: 'pgdn', Insert: 'insert', Delete: 'delete',
  PrintScreen: 'print', ScrollLock: 'scroll_lock', Pause: 'pause', NumLock: 'num_lock',
  NumpadDivide: 'kp_divide', NumpadMultiply: 'kp_multiply', NumpadSubtract: 'kp_subtract', NumpadAdd: 'kp_add',
  NumpadEnter: 'kp_enter', NumpadDecimal: 'kp_decimal', NumpadEqual: 'kp_equals', NumpadComma: 'kp_comma',
  AudioVolumeMute: 'audiomute', AudioVolumeUp: 'volumeup', AudioVolumeDown: 'volumedown', VolumeMute: 'audiomute',
  VolumeUp: 'volumeup', VolumeDown: 'volumedown', MediaTrackNext: 'audionext', MediaTrackPrevious: 'audioprev',
  MediaStop: 'audiostop', MediaPlayPause: 'audioplay', LaunchMail: 'mail', MediaSelect: 'mediaselect', LaunchApp2: 'calculator',
  LaunchApp1: 'computer', BrowserHome: 'ac_home', BrowserBack: 'ac_back', BrowserForward: 'ac_forward',
  BrowserRefresh: 'ac_refresh', BrowserFavorites: 'ac_bookmarks',
  Power: 'power', Sleep: 'sleep', WakeUp: 'wake', Help: 'help', Undo: 'undo', Copy: 'copy', Paste: 'paste', Cut: 'cut',
  Find: 'find', Again: 'again', Props: 'props', Open: 'open', Select: 'front', BrowserStop: 'stop',
  Convert: 'henkan', NonConvert: 'muhenkan', KanaMode: 'katakanahiragana', Lang1: 'lang1', Lang2: 'lang2',
};
for (let c = 0; c < 26; c++) {
  const letter = String.fromCharCode(97 + c);
  table[`Key${letter.toUpperCase()}`] = letter;
}
for (let d = 0; d <= 9; d++) {
  table[`Digit${d}`] = String(d);
  table[`Numpad${d}`] = `kp_${d}`;
}
for (let f = 1; f <= 24; f++) table[`F${f}`] = `f${f}`;

/** Browser KeyboardEvent.code → QEMU 7.2 QKeyCode name. */
export const CODE_TO_QCODE: ReadonlyMap<string, string> = new Map(Object.entries(table));
/** Every QKeyCode name the table produces. */
export const QCODES: ReadonlySet<string> = new Set(CODE_TO_QCODE.values());

export function qcodeOfCode(untrustedCode: string): Result<string, string> {
  const qcode = CODE_TO_QCODE.get(untrustedCode);
  return qcode === undefined ? err(`"${untrustedCode.slice(0, 32)}" is not a KeyboardEvent.code RayOS knows (e.g. "KeyA", "Digit1", "Enter", "ShiftLeft", "ArrowUp", "F5")`) : ok(qcode);
}

/** Friendly names for pressKeys, beside any QKeyCode name and any KeyboardEvent.code. */
const ALIASES: Record<string, string> = {
  control: 'ctrl', ctl: 'ctrl', shift: 'shift', alt: 'alt', altgr: 'alt_r', option: 'alt', meta: 'meta_l', super: 'meta_l',
  win: 'meta_l', windows: 'meta_l', cmd: 'meta_l', command: 'meta_l', enter: 'ret', return: 'ret', escape: 'esc',
  space: 'spc', del: 'delete', ins: 'insert', pageup: 'pgup', pagedown: 'pgdn', backspace: 'backspace', bs: 'backspace',
  up: 'up', down: 'down', left: 'left', right: 'right', printscreen: 'print', prtsc: 'print', capslock: 'caps_lock',
  menu: 'menu', '-': 'minus', '=': 'equal', '.': 'dot', ',': 'comma', '/': 'slash', ';': 'semicolon', "'": 'apostrophe',
  '`': 'grave_accent', '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash',
};

/** A key name as the conductor writes it ("ctrl", "alt", "delete", "f4", "a", "KeyA") → QKeyCode. */
export function qcodeOfName(untrustedName: string): Result<string, string> {
  const fromCode = CODE_TO_QCODE.get(untrustedName);
  if (fromCode !== undefined) return ok(fromCode);
  const lower = untrustedName.toLowerCase();
  const alias = ALIASES[lower];
  if (alias !== undefined) return ok(alias);
  if (QCODES.has(lower)) return ok(lower);
  return err(`"${untrustedName.slice(0, 32)}" is not a key name RayOS knows (e.g. "ctrl", "alt", "shift", "meta", "delete", "enter", "esc", "tab", "f1", "a", "1")`);
}

/** One key stroke of a character on a US layout. */
export interface Stroke {
  readonly qcode: string;
  readonly shift: boolean;
}

const UNSHIFTED: Record<string, string> = {
  ' ': 'spc', '\n': 'ret', '\t': 'tab', '-': 'minus', '=': 'equal', '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash',
  ';': 'semicolon', "'": 'apostrophe', '`': 'grave_accent', ',': 'comma', '.': 'dot', '/': 'slash',
};
const SHIFTED: Record<string, string> = {
  '!': '1', '@': '2', '#': '3', $: '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0', _: 'minus', '+': 'equal',
  '{': 'bracket_left', '}': 'bracket_right', '|': 'backslash', ':': 'semicolon', '"': 'apostrophe', '~': 'grave_accent',
  '<': 'comma', '>': 'dot', '?': 'slash',
};

export function strokeOfChar(char: string): Result<Stroke, string> {
  if (/^[a-z0-9]$/.test(char)) return ok({ qcode: char, shift: false });
  if (/^[A-Z]$/.test(char)) return ok({ qcode: char.toLowerCase(), shift: true });
  const plain = UNSHIFTED[char];
  if (plain !== undefined) return ok({ qcode: plain, shift: false });
  const shifted = SHIFTED[char];
  if (shifted !== undefined) return ok({ qcode: shifted, shift: true });
  const shown = JSON.stringify(char);
  return err(`the character ${shown} (U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) cannot be typed on the US layout RayOS uses; type ASCII text`);
}

/** Every character of the text as a stroke ("\r\n" and "\r" count as Enter), or the first that cannot be typed. */
export function strokesOfText(text: string): Result<Stroke[], string> {
  const strokes: Stroke[] = [];
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const stroke = strokeOfChar(char);
    if (!stroke.ok) return stroke;
    strokes.push(stroke.value);
  }
  return ok(strokes);
}

/** QEMU's absolute axis runs 0..0x7fff across the display. */
export const ABS_MAX = 0x7fff;

/** A position in surface pixels → QEMU's absolute axis value, clamped to the surface. */
export function toAbsolute(position: number, extent: number): number {
  if (extent <= 1 || !Number.isFinite(position)) return 0;
  const clamped = Math.min(Math.max(position, 0), extent - 1);
  return Math.round((clamped * ABS_MAX) / (extent - 1));
}
