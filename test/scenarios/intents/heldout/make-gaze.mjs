// Helpers for writing the held-out intent scenarios: a seeded PRNG, gaze traces and scene objects.
// Node ESM, no dependencies; the same seed gives the same traces, so build.mjs output is reproducible.

/** mulberry32: a small seeded PRNG with a Gaussian helper. */
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => {
    let u = 0;
    while (u === 0) u = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, gauss, range: (lo, hi) => lo + (hi - lo) * next(), int: (lo, hi) => Math.floor(lo + (hi - lo + 1) * next()) };
}

/** A constant tracker offset of `frac` × the tracker's accuracy (in px), in a random direction. */
export function bias(r, tracker, frac = 0.3) {
  const px = (tracker?.accuracyDeg ?? 1) * (tracker?.pxPerDeg ?? 40) * frac;
  const a = r.range(0, 2 * Math.PI);
  return [px * Math.cos(a), px * Math.sin(a)];
}

/**
 * A gaze trace: fixations in order, the last one ending at `end` (ms, the utterance's clock).
 * fix: [[x, y, ms, sd?], ...]; samples at `hz` with a little timing jitter, Gaussian spatial noise
 * (sd px, default 5) and a constant bias [bx, by]. Saccades are instantaneous (one sample between).
 */
export function trace(r, { end, fix, hz = 30, sd = 5, off = [0, 0] }) {
  const total = fix.reduce((s, f) => s + f[2], 0);
  const dt = 1000 / hz;
  const out = [];
  let start = end - total;
  let t = start;
  for (let i = 0; i < fix.length; i++) {
    const [x, y, ms, fsd = sd] = fix[i];
    const stop = start + ms;
    for (; t < stop - 1e-6; t += dt) {
      const jt = t + r.range(-2, 2);
      out.push([Math.round(jt), Math.round(x + off[0] + r.gauss() * fsd), Math.round(y + off[1] + r.gauss() * fsd)]);
    }
    start = stop;
  }
  // keep samples strictly increasing after jitter
  for (let i = 1; i < out.length; i++) if (out[i][0] <= out[i - 1][0]) out[i][0] = out[i - 1][0] + 1;
  return out;
}

/** Drop the samples in [t0, t1) (a blink or lost tracking). */
export function gap(samples, t0, t1) {
  return samples.filter(([t]) => t < t0 || t >= t1);
}

/** Replace k samples (not among the last `keepLast`) by off-screen points (tracker glitches). */
export function offscreen(r, samples, k, screen = [1920, 1080], keepLast = 6) {
  const s = samples.map((p) => [...p]);
  const n = Math.max(1, s.length - keepLast);
  const spots = [
    () => [-r.int(20, 300), r.int(0, screen[1])],
    () => [screen[0] + r.int(20, 300), r.int(0, screen[1])],
    () => [r.int(0, screen[0]), -r.int(20, 300)],
    () => [r.int(0, screen[0]), screen[1] + r.int(20, 300)],
  ];
  for (let i = 0; i < k; i++) {
    const j = r.int(0, n - 1);
    const [x, y] = spots[r.int(0, 3)]();
    s[j] = [s[j][0], x, y];
  }
  return s;
}

/** Swap k random neighbouring pairs (samples delivered out of order). */
export function disorder(r, samples, k) {
  const s = samples.map((p) => [...p]);
  for (let i = 0; i < k; i++) {
    const j = r.int(0, s.length - 2);
    [s[j], s[j + 1]] = [s[j + 1], s[j]];
  }
  return s;
}

/** Add k wild single-sample spikes anywhere on screen (noise), not among the last `keepLast`. */
export function spikes(r, samples, k, screen = [1920, 1080], keepLast = 8) {
  const s = samples.map((p) => [...p]);
  const n = Math.max(1, s.length - keepLast);
  for (let i = 0; i < k; i++) {
    const j = r.int(0, n - 1);
    s[j] = [s[j][0], r.int(0, screen[0] - 1), r.int(0, screen[1] - 1)];
  }
  return s;
}

// ---- geometry ----

/** The point at fractions (fx, fy) of a rect [x, y, w, h]. */
export const at = (rect, fx = 0.5, fy = 0.5) => [rect[0] + rect[2] * fx, rect[1] + rect[3] * fy];

// ---- scene objects ----

const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const vm = (id, label, subsystem, state, rect, z) => clean({ id, type: 'vm', label, subsystem, rect, z, state });
export const surface = (id, label, subsystem, rect, z, state) =>
  clean({ id, type: 'surface', label, subsystem, rect, z, state: state ?? { presented: rect !== undefined } });
export const app = (id, label, subsystem, rect, z) => clean({ id, type: 'app', label, subsystem, rect, z });
export const file = (id, label, subsystem, rect, z) => clean({ id, type: 'file', label, subsystem, rect, z });
export const snapshot = (id, label, subsystem) => clean({ id, type: 'snapshot', label, subsystem });

export const scene = (objects, screen = [1920, 1080]) => ({ screen, objects });

// ---- expectations ----

export const X = (action, target, slots) => clean({ decision: 'execute', action, target, slots });
export const C = (...options) => (options.length ? { decision: 'clarify', options } : { decision: 'clarify' });
export const INFORM = { decision: 'inform' };
export const OOS = { decision: 'out_of_scope' };
