// Helpers for building the final3 scenario set: scene objects, a seeded gaze generator, geometry checks.
export function rngFrom(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function gauss(r) { const u = Math.max(r(), 1e-9), v = r(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); }

export const vm = (id, label, subsystem, power, more = {}) => ({ id, type: 'vm', label, subsystem, ...(more.rect ? { rect: more.rect, z: more.z ?? 1 } : {}), state: { power, presented: !!more.rect || !!more.presented, ...(more.network ? { network: more.network } : {}) } });
export const surf = (id, label, subsystem, rect, z = 1, more = {}) => ({ id, type: 'surface', label, subsystem, ...(rect ? { rect, z } : {}), state: { presented: !!rect, ...more } });
export const app = (id, label, subsystem, rect, z = 5) => ({ id, type: 'app', label, subsystem, ...(rect ? { rect, z } : {}) });
export const file = (id, label, subsystem, rect, z = 3) => ({ id, type: 'file', label, subsystem, ...(rect ? { rect, z } : {}) });
export const snap = (id, label, subsystem) => ({ id, type: 'snapshot', label, subsystem });

/**
 * Gaze samples. fix: list of {x, y, t0, t1} fixations (in order); hz; tracker {accuracyDeg, pxPerDeg};
 * options: gaps [[a,b]] with no samples, off (count of off-screen/blink samples), shuffle (swap some neighbours).
 * Noise: a per-trace systematic bias up to 0.35 of the accuracy radius plus jitter of sigma 0.2 radius.
 */
export function gaze(seed, tracker, hz, fix, opt = {}) {
  const r = rngFrom(seed); const R = tracker.accuracyDeg * tracker.pxPerDeg;
  const ang = r() * 2 * Math.PI, mag = r() * 0.35 * R; const bx = Math.cos(ang) * mag, by = Math.sin(ang) * mag;
  const dt = 1000 / hz; const out = [];
  for (const f of fix) {
    for (let t = f.t0; t <= f.t1; t += dt) {
      if ((opt.gaps || []).some(([a, b]) => t >= a && t < b)) continue;
      out.push([Math.round(t), Math.round(f.x + bx + gauss(r) * 0.2 * R), Math.round(f.y + by + gauss(r) * 0.2 * R)]);
    }
  }
  for (let i = 0; i < (opt.off || 0); i++) {
    const k = Math.floor(r() * out.length); const t = out[k][0] + 1;
    out.splice(k + 1, 0, r() < 0.5 ? [t, -1, -1] : [t, Math.round(-200 - r() * 300), Math.round(r() * 2000 - 400)]);
  }
  if (opt.shuffle) for (let i = 0; i < opt.shuffle; i++) { const k = 1 + Math.floor(r() * (out.length - 2)); [out[k], out[k + 1]] = [out[k + 1], out[k]]; }
  return out;
}

export function distToRect([x, y], [rx, ry, w, h]) {
  const dx = Math.max(rx - x, 0, x - (rx + w)); const dy = Math.max(ry - y, 0, y - (ry + h)); return Math.hypot(dx, dy);
}
export function inside([x, y], [rx, ry, w, h]) { return x >= rx && x <= rx + w && y >= ry && y <= ry + h; }
export function distToEdge([x, y], [rx, ry, w, h]) { return Math.min(x - rx, rx + w - x, y - ry, ry + h - y); }
