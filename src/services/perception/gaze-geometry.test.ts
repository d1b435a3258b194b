// Tests the spatial model: Gaussian mass over rects against brute-force integration, visible regions under z-order, and how one sample spreads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Scene, SceneObject } from '../../contracts/intent.js';
import { BACKGROUND_FLOOR, indexScene, normalCdf, rectMass, sigmaPx, Spread, spread, subtractBox, type Box, type SceneIndex } from './gaze-geometry.js';

/** Midpoint-rule integral of the isotropic Gaussian density over a rect. */
function bruteMass(cx: number, cy: number, sigma: number, x0: number, y0: number, x1: number, y1: number, steps = 400): number {
  const dx = (x1 - x0) / steps;
  const dy = (y1 - y0) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const x = x0 + (i + 0.5) * dx;
    for (let j = 0; j < steps; j++) {
      const y = y0 + (j + 0.5) * dy;
      sum += Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma));
    }
  }
  return (sum * dx * dy) / (2 * Math.PI * sigma * sigma);
}

const obj = (id: string, rect: [number, number, number, number], z?: number): SceneObject =>
  z === undefined ? { id, type: 'surface', label: id, rect } : { id, type: 'surface', label: id, rect, z };
const scene = (...objects: SceneObject[]): Scene => ({ screen: [1920, 1080], objects });

function shares(index: SceneIndex, x: number, y: number, sigma: number): { p: Map<string, number>; background: number } {
  const out = new Spread(index.ids.length);
  spread(index, x, y, sigma, out);
  const p = new Map<string, number>();
  for (let k = 0; k < out.count; k++) p.set(index.ids[out.touched[k]!]!, out.share[out.touched[k]!]!);
  return { p, background: out.background };
}

/** The topmost object containing a point, by brute force (higher z, then later in the list). */
function topmost(s: Scene, x: number, y: number): string | null {
  let best: { id: string; z: number; order: number } | null = null;
  s.objects.forEach((o, order) => {
    if (!o.rect) return;
    const [rx, ry, w, h] = o.rect;
    if (x < rx || y < ry || x >= rx + w || y >= ry + h) return;
    const z = o.z ?? 0;
    if (best === null || z > best.z || (z === best.z && order > best.order)) best = { id: o.id, z, order };
  });
  return best === null ? null : (best as { id: string }).id;
}

describe('gaze geometry', () => {
  test('the normal CDF has its known values', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1) - 0.8413447) < 1e-6);
    assert.ok(Math.abs(normalCdf(-1.96) - 0.0249979) < 1e-6);
    assert.ok(Math.abs(normalCdf(3) - 0.9986501) < 1e-6);
  });

  test('Gaussian mass over a rect matches brute-force integration', () => {
    const cases: [number, number, number, number, number, number, number][] = [
      [100, 100, 32, 60, 80, 150, 140], // centre inside
      [0, 0, 32, 20, 10, 60, 50], // centre outside, near a corner
      [500, 300, 10, 480, 290, 530, 320], // narrow sigma
      [200, 200, 80, 100, 250, 400, 260], // thin strip
      [50, 50, 20, 200, 200, 300, 300], // far away: ~0
    ];
    for (const [cx, cy, s, x0, y0, x1, y1] of cases) {
      const exact = rectMass(cx, cy, s, x0, y0, x1, y1);
      const brute = bruteMass(cx, cy, s, x0, y0, x1, y1);
      assert.ok(Math.abs(exact - brute) < 2e-4, `${[cx, cy, s, x0, y0, x1, y1].join(',')}: ${exact} vs ${brute}`);
    }
    assert.equal(rectMass(0, 0, 10, 5, 5, 5, 10), 0, 'an empty rect has no mass');
  });

  test('subtracting a box leaves disjoint pieces with the right area', () => {
    const area = (b: Box) => (b[2] - b[0]) * (b[3] - b[1]);
    const piece: Box = [0, 0, 100, 80];
    for (const cut of [[20, 10, 60, 50], [-10, -10, 30, 30], [50, -5, 150, 100], [200, 200, 300, 300], [-1, -1, 101, 81]] as Box[]) {
      const parts = subtractBox(piece, cut);
      const ix = Math.max(0, Math.min(100, cut[2]) - Math.max(0, cut[0])) * Math.max(0, Math.min(80, cut[3]) - Math.max(0, cut[1]));
      assert.equal(parts.reduce((s, p) => s + area(p), 0), area(piece) - ix);
      for (let i = 0; i < parts.length; i++) {
        for (let j = i + 1; j < parts.length; j++) {
          const a = parts[i]!;
          const b = parts[j]!;
          assert.ok(Math.min(a[2], b[2]) <= Math.max(a[0], b[0]) || Math.min(a[3], b[3]) <= Math.max(a[1], b[1]), 'pieces do not overlap');
        }
      }
    }
  });

  test('visible pieces follow z-order: every screen point lies in the piece of its topmost object, and in no other', () => {
    const s = scene(
      obj('desk', [0, 0, 1920, 1080], 0),
      obj('big', [100, 100, 800, 600], 1),
      obj('small', [700, 500, 400, 300], 3),
      obj('tie-a', [1200, 100, 300, 300], 2),
      obj('tie-b', [1300, 200, 300, 300], 2), // same z, later: on top of tie-a
      obj('offscreen-part', [1800, 900, 400, 400], 5),
      { id: 'no-rect', type: 'vm', label: 'no rect' },
    );
    const index = indexScene(s);
    assert.ok(!index.ids.includes('no-rect'), 'objects without a rect are not on screen');
    for (let x = 5; x < 1920; x += 37) {
      for (let y = 5; y < 1080; y += 41) {
        const owners: string[] = [];
        for (let p = 0; p < index.pieceCount; p++) {
          const b = p * 4;
          if (x >= index.boxes[b]! && y >= index.boxes[b + 1]! && x < index.boxes[b + 2]! && y < index.boxes[b + 3]!) owners.push(index.ids[index.owner[p]!]!);
        }
        const top = topmost(s, x, y);
        assert.deepEqual(owners, top === null ? [] : [top], `point ${x},${y}`);
      }
    }
  });

  test('a small window on top of a big one takes the mass where it covers it', () => {
    const index = indexScene(scene(obj('big', [100, 100, 800, 600], 1), obj('small', [400, 300, 200, 150], 2)));
    const sigma = 32;
    const onSmall = shares(index, 500, 375, sigma);
    assert.ok(onSmall.p.get('small')! > 0.9, `small ${onSmall.p.get('small')}`);
    assert.ok((onSmall.p.get('big') ?? 0) < 0.05, 'only the tails beyond its edges');
    const onBig = shares(index, 200, 200, sigma);
    assert.ok(onBig.p.get('big')! > 0.9);
    assert.equal(onBig.p.get('small'), undefined);
    // at the small window's edge the two share; the big one only gets the part outside the small one
    const edge = shares(index, 400, 375, sigma);
    const big = edge.p.get('big')!;
    const small = edge.p.get('small')!;
    assert.ok(Math.abs(big - small) < 0.05, `${big} vs ${small}`);
    // the same scene with the order swapped: the big window hides the small one entirely
    const hidden = indexScene(scene(obj('big', [100, 100, 800, 600], 3), obj('small', [400, 300, 200, 150], 2)));
    const under = shares(hidden, 500, 375, sigma);
    assert.equal(under.p.get('small'), undefined);
    assert.ok(under.p.get('big')! > 0.9);
  });

  test('the grid finds every piece a sample reaches: shares equal a plain pass over all pieces', () => {
    let seed = 9;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const objects: SceneObject[] = Array.from({ length: 60 }, (_, i) => {
      const w = 30 + Math.floor(rnd() * 700);
      const h = 30 + Math.floor(rnd() * 500);
      return obj(`o${i}`, [Math.floor(rnd() * 1900) - 100, Math.floor(rnd() * 1000) - 50, w, h], Math.floor(rnd() * 5));
    });
    const index = indexScene(scene(...objects));
    for (let k = 0; k < 200; k++) {
      const x = rnd() * 2000 - 40;
      const y = rnd() * 1160 - 40;
      const sigma = 10 + rnd() * 60;
      const { p, background } = shares(index, x, y, sigma);
      if (p.size === 0) continue;
      // the same shares from every piece, without the grid
      const raw = new Map<string, number>();
      for (let q = 0; q < index.pieceCount; q++) {
        const b = q * 4;
        const m = rectMass(x, y, sigma, index.boxes[b]!, index.boxes[b + 1]!, index.boxes[b + 2]!, index.boxes[b + 3]!);
        const id = index.ids[index.owner[q]!]!;
        raw.set(id, (raw.get(id) ?? 0) + m);
      }
      const weights = new Map([...raw].map(([id, m]) => [id, m * Math.max(1, (4 * sigma * sigma) / index.area[index.indexOf.get(id)!]!)]));
      const objectMass = [...raw.values()].reduce((a, b) => a + b, 0);
      const total = [...weights.values()].reduce((a, b) => a + b, 0) + 0.5 * Math.max(0, rectMass(x, y, sigma, 0, 0, 1920, 1080) - objectMass);
      for (const [id, w] of weights) {
        const expected = ((1 - BACKGROUND_FLOOR) * w) / total;
        assert.ok(Math.abs((p.get(id) ?? 0) - expected) < 2e-6, `${id} at ${x},${y}: ${p.get(id)} vs ${expected}`);
      }
      assert.ok(background >= BACKGROUND_FLOOR - 1e-12);
    }
  });

  test('shares and background add up to 1, with the floor always on the background', () => {
    const index = indexScene(scene(obj('a', [100, 100, 300, 200]), obj('b', [380, 150, 300, 200], 1), obj('icon', [1700, 980, 64, 64], 2)));
    for (const [x, y] of [[200, 200], [390, 200], [1732, 1012], [1000, 800], [5, 5], [1919, 1079]] as const) {
      const { p, background } = shares(index, x, y, 32);
      const sum = [...p.values()].reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum + background - 1) < 1e-9);
      assert.ok(background >= BACKGROUND_FLOOR - 1e-12);
    }
  });

  test('looking at nothing, or away from the screen, is background', () => {
    const index = indexScene(scene(obj('a', [100, 100, 300, 200])));
    const empty = shares(index, 1500, 800, 32);
    assert.ok(empty.background > 0.99);
    const away = shares(index, -500, 300, 32);
    assert.equal(away.p.size, 0);
    assert.equal(away.background, 1);
    // just past the edge (within the tracker's error) still counts for what is at the edge
    const edgeIndex = indexScene(scene(obj('edge', [0, 400, 100, 100])));
    assert.ok(shares(edgeIndex, -10, 450, 32).p.get('edge')! > 0.5);
  });

  test('a small target looked at squarely beats the empty screen around it', () => {
    const index = indexScene(scene(obj('terminal', [1700, 980, 64, 64], 2)));
    const { p, background } = shares(index, 1732, 1012, sigmaPx({ accuracyDeg: 1, pxPerDeg: 40 }));
    assert.ok(p.get('terminal')! > background, `terminal ${p.get('terminal')} vs background ${background}`);
  });

  test('two targets closer together than the tracker accuracy split a sample; far apart they do not', () => {
    const tracker = { accuracyDeg: 1, pxPerDeg: 40 }; // 40 px
    const sigma = sigmaPx(tracker);
    const close = indexScene(scene(obj('a', [500, 500, 20, 20]), obj('b', [530, 500, 20, 20]))); // centres 30 px apart
    const onA = shares(close, 510, 510, sigma);
    const a = onA.p.get('a')!;
    const b = onA.p.get('b')!;
    assert.ok(a > b, 'the one looked at leads');
    assert.ok(b / (a + b) > 0.3, `split ${a} / ${b}`);
    const between = shares(close, 525, 510, sigma);
    assert.ok(Math.abs(between.p.get('a')! - between.p.get('b')!) < 1e-9);
    const far = indexScene(scene(obj('a', [500, 500, 20, 20]), obj('b', [650, 500, 20, 20]))); // 150 px apart
    const onFarA = shares(far, 510, 510, sigma);
    assert.ok((onFarA.p.get('b') ?? 0) / onFarA.p.get('a')! < 0.01);
  });
});
