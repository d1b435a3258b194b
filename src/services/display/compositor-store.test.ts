// Tests keeping the window arrangement in a real state database: round trip, a corrupt or wrong-shaped row is ignored, and the model opens windows where they were.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigSchema } from '../../contracts/config.js';
import { EventBus } from '../../kernel/event-bus.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import { createStorageService, type StorageService } from '../storage/api.js';
import * as m from './compositor-state.js';
import { createCompositorStore } from './compositor-store.js';

describe('the compositor store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-compstore-'));
  let storage: StorageService;
  before(async () => {
    storage = createStorageService({ dataDir: dir, version: 'test' });
    const context = { config: ConfigSchema.parse({ journal: { durability: 'none' } }), dataDir: dir, bus: new EventBus(10), markers: new MarkerWriter({ write: null, historySize: 10 }), signal: new AbortController().signal };
    await storage.start(context);
  });
  after(async () => {
    await storage.stop('test');
    rmSync(dir, { recursive: true, force: true });
  });
  const setRow = (value: string) => storage.database().prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('compositor.arrangement', ?)").run(value);

  test('nothing saved yet: no arrangement and no problem', () => {
    assert.deepEqual(createCompositorStore(() => storage.database()).load(), { saved: null, problem: null });
  });

  test('what the model arranged comes back, and a new runtime opens the window where it was', () => {
    const store = createCompositorStore(() => storage.database());
    let s = m.addSurface(m.initialCompositor(), 'linux', { width: 720, height: 400 }).state;
    s = (m.move(s, 'linux', { x: 300, y: 200, width: 900, height: 600 }) as { ok: true; value: m.Transition }).value.state;
    store.save(m.arrangement(s));
    const { saved, problem } = store.load();
    assert.equal(problem, null);
    assert.deepEqual(saved?.rects.get('linux'), { x: 300, y: 200, width: 900, height: 600 });
    const next = m.addSurface(m.initialCompositor(m.DEFAULT_SCREEN, saved!), 'linux', { width: 1280, height: 800 }).state;
    const view = m.viewOf(next, next.surfaces.get('linux')!);
    assert.deepEqual([view.x, view.y, view.width, view.height, view.presented], [300, 200, 900, 600, false]);
    // A VM that is not running keeps its remembered place in what is saved next.
    assert.deepEqual(m.arrangement(m.initialCompositor(m.DEFAULT_SCREEN, saved!)).rects.get('linux'), { x: 300, y: 200, width: 900, height: 600 });
  });

  test('a corrupt or wrong-shaped row is reported and ignored, never thrown', () => {
    const store = createCompositorStore(() => storage.database());
    setRow('{not json');
    assert.deepEqual(store.load(), { saved: null, problem: 'not JSON' });
    setRow(JSON.stringify({ v: 1, layout: 'tiled', rects: {} }));
    assert.equal(store.load().saved, null);
    assert.notEqual(store.load().problem, null);
    setRow(JSON.stringify({ v: 1, layout: 'floating', rects: { '../etc': { x: 0, y: 0, width: 10, height: 10 } } }));
    assert.equal(store.load().saved, null);
    setRow(JSON.stringify({ v: 1, layout: 'floating', rects: { linux: { x: 0, y: 0, width: 0, height: 10 } } }));
    assert.equal(store.load().saved, null);
  });
});
