// Reproducible synthetic gaze traces for the final intent-eval set.
//
// makeGaze(seed, spec) returns [[tMs, x, y], ...] (integers). A trace is a list of fixations joined by short
// saccades, sampled at `hz` with timestamp jitter, plus the imperfections a real tracker shows: Gaussian jitter
// (`noisePx`), a constant calibration offset (`biasPx`, random direction), dropped stretches (`gaps`), stray samples
// anywhere on screen (`outliers`), samples off the screen (`offscreen`), and out-of-order delivery (`shuffle`).
// The same seed and spec always give the same trace.

/** mulberry32: small, fast, seedable. */
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

function gauss(r) {
  let u = 0;
  let v = 0;
  while (u === 0) u = r();
  while (v === 0) v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * spec:
 *   fixations: [[x, y, fromMs, toMs], ...] in time order; between two fixations the eye travels in a straight line
 *   hz: sampling rate (default 60)
 *   noisePx: standard deviation of per-sample jitter (default 6)
 *   biasPx: magnitude of a constant calibration offset in a seeded direction (default 0)
 *   gaps: [[fromMs, toMs], ...] stretches with no samples (blinks, tracker loss)
 *   outliers: share of samples replaced by a random on-screen point (default 0)
 *   offscreen: share of samples replaced by a point off the screen (default 0)
 *   offscreenSpans: [[fromMs, toMs], ...] stretches where every sample is off the screen
 *   shuffle: share of samples swapped with a neighbour a few places away (default 0); 1 = fully shuffled
 *   screen: [w, h] (default [1920, 1080])
 */
export function makeGaze(seed, spec) {
  const r = rng(seed);
  const hz = spec.hz ?? 60;
  const noise = spec.noisePx ?? 6;
  const [W, H] = spec.screen ?? [1920, 1080];
  const fx = spec.fixations;
  const ang = r() * 2 * Math.PI;
  const bias = [Math.cos(ang) * (spec.biasPx ?? 0), Math.sin(ang) * (spec.biasPx ?? 0)];
  const t0 = fx[0][2];
  const t1 = fx[fx.length - 1][3];
  const step = 1000 / hz;
  const out = [];
  for (let k = 0; ; k++) {
    const tt = t0 + k * step + (r() - 0.5) * step * 0.2;
    if (tt > t1) break;
    const t = Math.round(tt);
    if ((spec.gaps ?? []).some(([a, b]) => t >= a && t <= b)) continue;
    let x;
    let y;
    const i = fx.findIndex(([, , a, b]) => t >= a && t <= b);
    if (i >= 0) {
      [x, y] = fx[i];
    } else {
      const j = fx.findIndex(([, , a]) => a > t);
      if (j <= 0) {
        [x, y] = fx[j === 0 ? 0 : fx.length - 1];
      } else {
        const p = fx[j - 1];
        const q = fx[j];
        const f = (t - p[3]) / (q[2] - p[3]);
        x = p[0] + (q[0] - p[0]) * f;
        y = p[1] + (q[1] - p[1]) * f;
      }
    }
    x += bias[0] + gauss(r) * noise;
    y += bias[1] + gauss(r) * noise;
    const u = r();
    const inSpan = (spec.offscreenSpans ?? []).some(([a, b]) => t >= a && t <= b);
    if (inSpan || u < (spec.offscreen ?? 0)) {
      const side = Math.floor(r() * 4);
      if (side === 0) [x, y] = [-40 - r() * 300, r() * H];
      else if (side === 1) [x, y] = [W + 40 + r() * 300, r() * H];
      else if (side === 2) [x, y] = [r() * W, H + 40 + r() * 300];
      else [x, y] = [-1, -1];
    } else if (u < (spec.offscreen ?? 0) + (spec.outliers ?? 0)) {
      [x, y] = [r() * W, r() * H];
    }
    out.push([t, Math.round(x), Math.round(y)]);
  }
  const sh = spec.shuffle ?? 0;
  if (sh >= 1) {
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
  } else if (sh > 0) {
    for (let i = 0; i < out.length; i++) {
      if (r() < sh) {
        const j = Math.min(out.length - 1, i + 1 + Math.floor(r() * 4));
        [out[i], out[j]] = [out[j], out[i]];
      }
    }
  }
  return out;
}
