// Helpers for building the final2 scenario set: scene objects, a seeded gaze generator, and a gaze sanity check.

export const vm = (id, label, state = {}, extra = {}) => ({ id, type: 'vm', label, ...extra, state: { power: 'running', ...state } });
export const surf = (id, label, subsystem, rect, z, state = {}) => {
  const o = { id, type: 'surface', label, subsystem };
  if (rect) { o.rect = rect; o.z = z ?? 1; }
  o.state = { presented: !!rect, ...state };
  return o;
};
export const app = (id, label, subsystem, rect, z) => {
  const o = { id, type: 'app', label };
  if (subsystem) o.subsystem = subsystem;
  if (rect) { o.rect = rect; o.z = z ?? 3; }
  return o;
};
export const file = (id, label, subsystem, rect, z) => {
  const o = { id, type: 'file', label };
  if (subsystem) o.subsystem = subsystem;
  if (rect) { o.rect = rect; o.z = z ?? 2; }
  return o;
};
export const snap = (id, label, subsystem) => ({ id, type: 'snapshot', label, ...(subsystem ? { subsystem } : {}) });

// mulberry32
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r) => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

/**
 * Gaze samples.
 * spec: { hz, segs: [[x, y, fromMs, toMs], ...], sdFrac (noise sd as a share of accuracy px), bias: [fx, fy] (systematic
 * offset as a share of accuracy px), gaps: [[a, b]], off: n (samples replaced with off-screen points), swap: n (adjacent
 * pairs swapped), blink: [[a,b]] (samples reported off-screen during a blink) }
 */
export function genGaze(seed, tracker, screen, spec) {
  const r = rng(seed);
  const accPx = tracker.accuracyDeg * tracker.pxPerDeg;
  const hz = spec.hz ?? 60;
  const dt = 1000 / hz;
  const sd = accPx * (spec.sdFrac ?? 0.25);
  const bias = spec.bias ?? [0, 0];
  const out = [];
  for (const [x, y, from, to] of spec.segs) {
    for (let t = from; t < to; t += dt) {
      if ((spec.gaps ?? []).some(([a, b]) => t >= a && t < b)) continue;
      const tt = Math.round(t + (r() - 0.5) * 2);
      let gx = x + bias[0] * accPx + gauss(r) * sd;
      let gy = y + bias[1] * accPx + gauss(r) * sd;
      if ((spec.blink ?? []).some(([a, b]) => t >= a && t < b)) { gx = -1; gy = -1; }
      out.push([tt, Math.round(gx), Math.round(gy)]);
    }
  }
  for (let k = 0; k < (spec.off ?? 0); k++) {
    const i = Math.floor(r() * out.length);
    const choice = Math.floor(r() * 4);
    const pts = [[-300, out[i][2]], [screen[0] + 250, out[i][2]], [out[i][1], -180], [out[i][1], screen[1] + 400]];
    out[i] = [out[i][0], pts[choice][0], pts[choice][1]];
  }
  for (let k = 0; k < (spec.swap ?? 0); k++) {
    const i = 1 + Math.floor(r() * (out.length - 2));
    [out[i], out[i + 1]] = [out[i + 1], out[i]];
  }
  return out;
}

const inRect = (x, y, r) => x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3];
export function topAt(objects, x, y) {
  let best = null;
  for (const o of objects) if (o.rect && inRect(x, y, o.rect) && (best === null || (o.z ?? 0) > (best.z ?? 0))) best = o;
  return best;
}
/** The set of candidate ids that are top-most somewhere within radius R of (x, y). */
export function visibleWithin(objects, cands, x, y, R) {
  const seen = new Set();
  const step = Math.max(2, R / 20);
  for (let dx = -R; dx <= R; dx += step) for (let dy = -R; dy <= R; dy += step) {
    if (dx * dx + dy * dy > R * R) continue;
    const o = topAt(objects, x + dx, y + dy);
    if (o && cands.includes(o.id)) seen.add(o.id);
  }
  return seen;
}
