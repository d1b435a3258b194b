// Tests the pure compositor state machine: creation, present/hide, focus moving on, z-order, layouts, unavailable surfaces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as m from './compositor-state.js';

const frame = { width: 720, height: 400 };
function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.code}`);
  return r.value;
}
function twoSurfaces(): m.CompositorState {
  return m.addSurface(m.addSurface(m.initialCompositor(), 'linux', frame).state, 'win', { width: 1024, height: 768 }).state;
}

describe('compositor state', () => {
  test('a running VM gets one hidden surface of its display size; adding it again changes nothing', () => {
    const added = m.addSurface(m.initialCompositor(), 'linux', frame);
    assert.deepEqual(added.facts, [{ type: 'created', vm: 'linux', width: 720, height: 400 }]);
    const view = m.listView(added.state).surfaces[0]!;
    assert.equal(view.presented, false);
    assert.equal(view.focused, false);
    assert.equal(view.available, true);
    assert.equal(view.width, 720);
    assert.deepEqual(m.addSurface(added.state, 'linux', frame).facts, []);
  });

  test('present focuses and raises; hide moves focus to the highest presented surface, then to none', () => {
    let s = twoSurfaces();
    const p1 = must(m.present(s, 'linux'));
    assert.deepEqual(p1.facts.map((f) => f.type), ['presented', 'focused']);
    s = must(m.present(p1.state, 'win')).state;
    assert.equal(s.focused, 'win');
    assert.ok(s.surfaces.get('win')!.z > s.surfaces.get('linux')!.z);
    s = must(m.focus(s, 'linux')).state;
    assert.equal(s.focused, 'linux');
    assert.ok(s.surfaces.get('linux')!.z > s.surfaces.get('win')!.z, 'focus raises');
    const hidden = must(m.hide(s, 'linux'));
    assert.deepEqual(hidden.facts, [{ type: 'hidden', vm: 'linux', reason: 'requested' }, { type: 'focused', vm: 'win' }]);
    const none = must(m.hide(hidden.state, 'win'));
    assert.equal(none.state.focused, null);
    assert.equal(m.listView(none.state).surfaces.filter((v) => v.focused).length, 0);
  });

  test('at most one surface is focused, and it is presented', () => {
    let s = twoSurfaces();
    const steps: ((x: m.CompositorState) => m.CompositorState)[] = [
      (x) => must(m.present(x, 'linux')).state,
      (x) => must(m.present(x, 'win')).state,
      (x) => must(m.hide(x, 'win')).state,
      (x) => must(m.present(x, 'win')).state,
      (x) => m.markUnavailable(x, 'win').state,
      (x) => must(m.hide(x, 'linux')).state,
    ];
    for (const step of steps) {
      s = step(s);
      const focused = m.listView(s).surfaces.filter((v) => v.focused);
      assert.ok(focused.length <= 1);
      for (const f of focused) assert.ok(f.presented && f.available);
    }
  });

  test('blur takes focus from every surface and keeps them presented; present focuses again', () => {
    const s = must(m.present(twoSurfaces(), 'linux')).state;
    const blurred = m.blur(s);
    assert.deepEqual(blurred.facts, [{ type: 'focused', vm: null }]);
    assert.equal(blurred.state.focused, null);
    assert.equal(blurred.state.surfaces.get('linux')!.presented, true);
    assert.deepEqual(m.blur(blurred.state).facts, []);
    assert.equal(must(m.present(blurred.state, 'linux')).state.focused, 'linux');
  });

  test('present and hide are idempotent; focusing a hidden surface is refused', () => {
    const s = must(m.present(twoSurfaces(), 'linux')).state;
    assert.deepEqual(must(m.present(s, 'linux')).facts, []);
    const h = must(m.hide(s, 'linux')).state;
    assert.deepEqual(must(m.hide(h, 'linux')).facts, []);
    const refused = m.focus(h, 'linux');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'RAYOS_DISPLAY_NOT_PRESENTED');
  });

  test('unknown and unavailable surfaces give clear errors; a stopped VM keeps its window, which comes back presented and focused', () => {
    const s = must(m.present(twoSurfaces(), 'linux')).state;
    const unknown = m.present(s, 'nosuch');
    assert.equal(!unknown.ok && unknown.error.code, 'RAYOS_DISPLAY_SURFACE_NOT_FOUND');
    const down = m.markUnavailable(s, 'linux');
    assert.deepEqual(down.facts.map((f) => f.type), ['focused', 'unavailable']);
    const stopped = m.viewOf(down.state, down.state.surfaces.get('linux')!);
    assert.deepEqual([stopped.presented, stopped.available, stopped.focused], [true, false, false]);
    const again = m.focus(down.state, 'linux');
    assert.equal(!again.ok && again.error.code, 'RAYOS_DISPLAY_SURFACE_UNAVAILABLE');
    const back = m.addSurface(down.state, 'linux', { width: 1280, height: 800 });
    assert.deepEqual(back.facts.map((f) => f.type), ['created', 'presented', 'focused']);
    assert.equal(back.state.focused, 'linux');
    assert.equal(back.state.surfaces.get('linux')!.frameWidth, 1280);
    // Someone else took focus meanwhile: the window returns without stealing it.
    const other = must(m.present(down.state, 'win')).state;
    const quiet = m.addSurface(other, 'linux', frame);
    assert.deepEqual(quiet.facts.map((f) => f.type), ['created', 'presented']);
    assert.equal(quiet.state.focused, 'win');
  });

  test('a hidden surface whose VM stops comes back hidden; a stopped window can still be closed', () => {
    const s = twoSurfaces();
    const down = m.markUnavailable(s, 'linux');
    assert.deepEqual(down.facts.map((f) => f.type), ['unavailable']);
    assert.equal(m.addSurface(down.state, 'linux', frame).state.surfaces.get('linux')!.presented, false);
    const shown = m.markUnavailable(must(m.present(s, 'linux')).state, 'linux').state;
    const closed = must(m.hide(shown, 'linux'));
    assert.deepEqual(closed.facts.map((f) => f.type), ['hidden']);
    assert.equal(closed.state.surfaces.get('linux')!.presented, false);
  });

  test('layouts: fullscreen fills the screen for the focused surface, side-by-side tiles presented ones, move returns to floating', () => {
    let s = must(m.present(twoSurfaces(), 'linux', 'fullscreen')).state;
    assert.deepEqual(m.geometry(s, s.surfaces.get('linux')!), { x: 0, y: 0, width: 1920, height: 1080 });
    s = must(m.present(s, 'win', 'side-by-side')).state;
    const linux = m.geometry(s, s.surfaces.get('linux')!);
    const win = m.geometry(s, s.surfaces.get('win')!);
    assert.deepEqual([linux.x, linux.width, win.x, win.width], [0, 960, 960, 960]);
    s = must(m.move(s, 'win', { x: 10, y: 20, width: 300 })).state;
    assert.equal(s.layout, 'floating');
    assert.deepEqual(m.geometry(s, s.surfaces.get('win')!), { x: 10, y: 20, width: 300, height: 768 });
  });

  test('a new display mode: an untouched window follows the frame (within the screen); one the person sized keeps its size', () => {
    const s = m.resizeFrame(twoSurfaces(), 'linux', { width: 1280, height: 800 });
    const v = m.viewOf(s, s.surfaces.get('linux')!);
    assert.deepEqual([v.frameWidth, v.frameHeight, v.width, v.height], [1280, 800, 1280, 800]);
    const huge = m.resizeFrame(s, 'linux', { width: 4096, height: 2160 });
    const h = m.viewOf(huge, huge.surfaces.get('linux')!);
    assert.deepEqual([h.width, h.height], [1920, 1080]);

    const moved = m.move(twoSurfaces(), 'linux', { x: 10, y: 10, width: 500, height: 300 });
    assert.ok(moved.ok);
    const kept = m.resizeFrame(moved.value.state, 'linux', { width: 1280, height: 800 });
    const k = m.viewOf(kept, kept.surfaces.get('linux')!);
    assert.deepEqual([k.frameWidth, k.width, k.height], [1280, 500, 300]);
  });
});
