// Tests the key tables: KeyboardEvent.code → QKeyCode, key names, US-layout characters and the absolute pointer scale.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ABS_MAX, CODE_TO_QCODE, qcodeOfCode, qcodeOfName, strokesOfText, toAbsolute } from './key-map.js';

/** The QKeyCode names of QEMU 7.2 (qapi/ui.json) that the table may produce. */
const QEMU_QCODES = new Set(
  `unmapped shift shift_r alt alt_r ctrl ctrl_r menu esc 1 2 3 4 5 6 7 8 9 0 minus equal backspace tab q w e r t y u i o p
  bracket_left bracket_right ret a s d f g h j k l semicolon apostrophe grave_accent backslash z x c v b n m comma dot slash
  asterisk spc caps_lock f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 num_lock scroll_lock kp_divide kp_multiply kp_subtract kp_add kp_enter
  kp_decimal sysrq kp_0 kp_1 kp_2 kp_3 kp_4 kp_5 kp_6 kp_7 kp_8 kp_9 less f11 f12 print home pgup pgdn end left up down right
  insert delete stop again props undo front copy open paste find cut lf help meta_l meta_r compose pause ro hiragana henkan yen
  muhenkan katakanahiragana kp_comma kp_equals power sleep wake audionext audioprev audiostop audioplay audiomute volumeup
  volumedown mediaselect mail calculator computer ac_home ac_back ac_forward ac_refresh ac_bookmarks lang1 lang2
  f13 f14 f15 f16 f17 f18 f19 f20 f21 f22 f23 f24`.split(/\s+/),
);

describe('key map', () => {
  test('letters, digits, punctuation, modifiers, arrows, F-keys and editing keys map to QEMU qcodes', () => {
    const expected: Record<string, string> = {
      KeyA: 'a', KeyZ: 'z', Digit0: '0', Digit9: '9', Minus: 'minus', Equal: 'equal', BracketLeft: 'bracket_left', BracketRight: 'bracket_right',
      Backslash: 'backslash', Semicolon: 'semicolon', Quote: 'apostrophe', Backquote: 'grave_accent', Comma: 'comma', Period: 'dot', Slash: 'slash',
      ShiftLeft: 'shift', ShiftRight: 'shift_r', ControlLeft: 'ctrl', ControlRight: 'ctrl_r', AltLeft: 'alt', AltRight: 'alt_r', MetaLeft: 'meta_l',
      ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right', F1: 'f1', F12: 'f12', Enter: 'ret', Backspace: 'backspace',
      Tab: 'tab', Escape: 'esc', Space: 'spc', Delete: 'delete', Insert: 'insert', Home: 'home', End: 'end', PageUp: 'pgup', PageDown: 'pgdn',
      CapsLock: 'caps_lock', Numpad5: 'kp_5', NumpadEnter: 'kp_enter',
    };
    for (const [code, qcode] of Object.entries(expected)) assert.deepEqual(qcodeOfCode(code), { ok: true, value: qcode }, code);
  });

  test('every qcode the table produces is one QEMU 7.2 knows', () => {
    for (const [code, qcode] of CODE_TO_QCODE) assert.ok(QEMU_QCODES.has(qcode), `${code} → ${qcode}`);
  });

  test('an unknown code is an error that names it', () => {
    const unknown = qcodeOfCode('KeyÄ');
    assert.equal(unknown.ok, false);
    assert.match(!unknown.ok ? unknown.error : '', /KeyÄ/);
    assert.equal(qcodeOfCode('keya').ok, false, 'codes are case-sensitive, like the browser');
  });

  test('key names: aliases, qcodes and codes', () => {
    assert.deepEqual(['ctrl', 'alt', 'delete', 'Enter', 'super', 'F4', 'a', 'KeyB', 'shift_r'].map((n) => qcodeOfName(n)), ['ctrl', 'alt', 'delete', 'ret', 'meta_l', 'f4', 'a', 'b', 'shift_r'].map((value) => ({ ok: true, value })));
    assert.equal(qcodeOfName('hyper').ok, false);
  });

  test('text becomes strokes with Shift where the US layout needs it', () => {
    assert.deepEqual(strokesOfText('aB1!\n'), {
      ok: true,
      value: [
        { qcode: 'a', shift: false },
        { qcode: 'b', shift: true },
        { qcode: '1', shift: false },
        { qcode: '1', shift: true },
        { qcode: 'ret', shift: false },
      ],
    });
    assert.deepEqual(strokesOfText('a\r\nb'), strokesOfText('a\nb'));
    const all = strokesOfText(' ~`!@#$%^&*()_+-={}[]|\\:;"\'<>,.?/');
    assert.ok(all.ok);
    const bad = strokesOfText('café');
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error : '', /U\+00E9/);
  });

  test('pointer positions are clamped and scaled to 0..32767', () => {
    assert.equal(toAbsolute(0, 720), 0);
    assert.equal(toAbsolute(719, 720), ABS_MAX);
    assert.equal(toAbsolute(5000, 720), ABS_MAX);
    assert.equal(toAbsolute(-3, 720), 0);
    assert.equal(toAbsolute(359.5, 720), Math.round((359.5 * ABS_MAX) / 719));
    assert.equal(toAbsolute(10, 1), 0);
  });
});
