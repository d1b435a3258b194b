// Owns the spatial half of perception: which part of each on-screen object is visible (z-order), and how one gaze sample spreads over those parts under the tracker's error.
//
// Model. A tracker reports the true point of regard plus an error that we take as an isotropic Gaussian of standard
// deviation sigma. Accuracy is usually quoted as the mean angular offset, and the mean radial error of a 2-D Gaussian is
// sigma·√(π/2) ≈ 1.25·sigma, so sigma_px = 0.8 · accuracyDeg · pxPerDeg (SIGMA_PER_ACCURACY).
//
// For a sample s, the mass of the Gaussian centred on s over a region R is the chance that the true point lies in R. An
// axis-aligned rectangle makes this exact and cheap: the product of two 1-D normal CDF differences. Each object's
// *visible* region (its rect clipped to the screen, minus every rect above it) is cut into disjoint rectangles once per
// scene (`indexScene`), so a point covered by a higher object counts for the higher one only, and the masses of all
// regions plus the uncovered screen add up to the screen's mass.
//
// Turning masses into "what is the person looking at" needs a prior; a flat one (mass alone) would say that someone
// staring at the centre of a 64 px icon with a 40 px tracker is probably looking at the empty desktop around it. So:
//   - people look at things more than at empty screen: uncovered screen pixels weigh BACKGROUND_PIXEL_PRIOR of an
//     object's pixels;
//   - an object smaller than the tracker's error disc is as likely a target as one the size of that disc: its weight is
//     multiplied by max(1, (2·sigma)² / area);
//   - the sample's weights are normalised over the screen (the true point is on screen: a sample just past the edge,
//     within OFFSCREEN_MARGIN_SIGMAS, still counts for what is near the edge); a sample further out is the person
//     looking away and goes wholly to the background;
//   - BACKGROUND_FLOOR of every sample stays on the background: "looking at nothing in particular" is always possible.
// Two objects closer together than the error disc therefore share a sample's weight (cognition should ask), and no
// amount of averaging makes that split certain, because sigma is the tracker's accuracy, not its noise.
import type { Scene, Tracker } from '../../contracts/intent.js';

export const SIGMA_PER_ACCURACY = 0.8;
export const BACKGROUND_PIXEL_PRIOR = 0.5;
export const BACKGROUND_FLOOR = 0.03;
export const OFFSCREEN_MARGIN_SIGMAS = 2;
/** Rects further than this from a sample get no mass (Φ(-5) ≈ 3e-7). */
const REACH_SIGMAS = 5;
/** Below this a sample's weight on an object is not recorded (keeps per-sample updates sparse). */
export const MIN_SHARE = 1e-6;

export const sigmaPx = (tracker: Tracker): number => SIGMA_PER_ACCURACY * tracker.accuracyDeg * tracker.pxPerDeg;

/** erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7): plenty for a sensor with degrees of error, and fast. */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}

/** The standard normal CDF. */
export const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/** Mass of an isotropic Gaussian (centre cx, cy; sigma) over the rect [x0, x1) × [y0, y1). */
export function rectMass(cx: number, cy: number, sigma: number, x0: number, y0: number, x1: number, y1: number): number {
  if (x1 <= x0 || y1 <= y0) return 0;
  const px = normalCdf((x1 - cx) / sigma) - normalCdf((x0 - cx) / sigma);
  const py = normalCdf((y1 - cy) / sigma) - normalCdf((y0 - cy) / sigma);
  return Math.max(0, px) * Math.max(0, py);
}

/** A rect as corners [x0, y0, x1, y1]. */
export type Box = readonly [number, number, number, number];

/** `piece` minus `cut`: up to four disjoint boxes (bands above and below, then left and right of the cut). */
export function subtractBox(piece: Box, cut: Box): Box[] {
  const [x0, y0, x1, y1] = piece;
  const cx0 = Math.max(x0, cut[0]);
  const cy0 = Math.max(y0, cut[1]);
  const cx1 = Math.min(x1, cut[2]);
  const cy1 = Math.min(y1, cut[3]);
  if (cx1 <= cx0 || cy1 <= cy0) return [piece];
  const out: Box[] = [];
  if (cy0 > y0) out.push([x0, y0, x1, cy0]);
  if (y1 > cy1) out.push([x0, cy1, x1, y1]);
  if (cx0 > x0) out.push([x0, cy0, cx0, cy1]);
  if (x1 > cx1) out.push([cx1, cy0, x1, cy1]);
  return out;
}

const overlaps = (a: Box, b: Box): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** A scene prepared for fast per-sample spreading. Objects without a rect are not on screen and are not in it. */
export interface SceneIndex {
  readonly width: number;
  readonly height: number;
  /** On-screen object ids (first occurrence of an id wins); index i is object i everywhere below. */
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Area of each object's rect clipped to the screen (for the small-target prior). */
  readonly area: Float64Array;
  /** Disjoint visible pieces: corners (x0, y0, x1, y1: 4 numbers each) and the object each belongs to. */
  readonly boxes: Float64Array;
  readonly owner: Int32Array;
  readonly pieceCount: number;
  /** A uniform grid over the screen (CSR lists of the pieces overlapping each cell), so a sample visits only nearby pieces. */
  readonly grid: PieceGrid;
}

export interface PieceGrid {
  readonly cell: number;
  readonly cols: number;
  readonly rows: number;
  /** Pieces of cell c: list[start[c] .. start[c + 1]). */
  readonly start: Int32Array;
  readonly list: Int32Array;
  /** Each piece's first column and row: a piece is handled only in the first cell where it meets the query (no duplicates). */
  readonly firstCol: Int32Array;
  readonly firstRow: Int32Array;
}

/** Cells are at least 128 px, and there are at most 32 per side. */
function buildGrid(width: number, height: number, boxes: Float64Array, count: number): PieceGrid {
  const cell = Math.max(128, Math.ceil(Math.max(width, height) / 32));
  const cols = Math.max(1, Math.ceil(width / cell));
  const rows = Math.max(1, Math.ceil(height / cell));
  const colOf = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor(x / cell)));
  const rowOf = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor(y / cell)));
  const firstCol = new Int32Array(count);
  const firstRow = new Int32Array(count);
  const lastCol = new Int32Array(count);
  const lastRow = new Int32Array(count);
  const start = new Int32Array(cols * rows + 1);
  for (let p = 0; p < count; p++) {
    firstCol[p] = colOf(boxes[p * 4]!);
    firstRow[p] = rowOf(boxes[p * 4 + 1]!);
    lastCol[p] = colOf(Math.max(boxes[p * 4]!, boxes[p * 4 + 2]! - 1e-9));
    lastRow[p] = rowOf(Math.max(boxes[p * 4 + 1]!, boxes[p * 4 + 3]! - 1e-9));
    for (let r = firstRow[p]!; r <= lastRow[p]!; r++) for (let c = firstCol[p]!; c <= lastCol[p]!; c++) start[r * cols + c + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1] = start[c + 1]! + start[c]!;
  const fill = start.slice(0, cols * rows);
  const list = new Int32Array(start[cols * rows]!);
  for (let p = 0; p < count; p++) {
    for (let r = firstRow[p]!; r <= lastRow[p]!; r++) for (let c = firstCol[p]!; c <= lastCol[p]!; c++) list[fill[r * cols + c]!++] = p;
  }
  return { cell, cols, rows, start, list, firstCol, firstRow };
}

/**
 * Prepares `scene`: stacking order is by `z` (missing = 0), ties broken by list order (later is on top, like painting),
 * rects clipped to the screen, each object's visible part cut into disjoint boxes.
 */
export function indexScene(scene: Scene): SceneIndex {
  const [width, height] = scene.screen;
  const seen = new Set<string>();
  const onScreen: { id: string; box: Box; z: number; order: number }[] = [];
  scene.objects.forEach((o, order) => {
    if (o.rect === undefined || seen.has(o.id)) return;
    seen.add(o.id);
    const [x, y, w, h] = o.rect;
    const box: Box = [Math.max(0, x), Math.max(0, y), Math.min(width, x + w), Math.min(height, y + h)];
    onScreen.push({ id: o.id, box, z: o.z ?? 0, order });
  });
  const ids = onScreen.map((o) => o.id);
  const area = new Float64Array(ids.length);
  onScreen.forEach((o, i) => {
    area[i] = Math.max(0, o.box[2] - o.box[0]) * Math.max(0, o.box[3] - o.box[1]);
  });
  const topFirst = onScreen.map((o, i) => ({ ...o, i })).sort((a, b) => b.z - a.z || b.order - a.order);
  const flat: number[] = [];
  const owners: number[] = [];
  const above: Box[] = [];
  for (const o of topFirst) {
    let parts: Box[] = o.box[2] > o.box[0] && o.box[3] > o.box[1] ? [o.box] : [];
    for (const cut of above) {
      if (parts.length === 0) break;
      if (!overlaps(o.box, cut)) continue;
      const next: Box[] = [];
      for (const p of parts) {
        if (overlaps(p, cut)) next.push(...subtractBox(p, cut));
        else next.push(p);
      }
      parts = next;
    }
    for (const p of parts) {
      flat.push(p[0], p[1], p[2], p[3]);
      owners.push(o.i);
    }
    above.push(o.box);
  }
  const boxes = Float64Array.from(flat);
  return {
    width,
    height,
    ids,
    indexOf: new Map(ids.map((id, i) => [id, i])),
    area,
    boxes,
    owner: Int32Array.from(owners),
    pieceCount: owners.length,
    grid: buildGrid(width, height, boxes, owners.length),
  };
}

/**
 * Scratch space for `spread`, reused across samples so the hot path allocates nothing. After a call, `touched[0..count)`
 * are the objects with a share, `share[i]` their shares, `background` the rest (shares + background = 1).
 */
export class Spread {
  share: Float64Array;
  touched: Int32Array;
  count = 0;
  background = 1;
  constructor(objects: number) {
    this.share = new Float64Array(objects);
    this.touched = new Int32Array(objects);
  }
  /** Clears the previous result (only the touched entries). */
  reset(): void {
    for (let k = 0; k < this.count; k++) this.share[this.touched[k]!] = 0;
    this.count = 0;
    this.background = 1;
  }
}

/** Spreads one sample at (x, y) with error sigma over the scene into `out` (see the header for the model). */
export function spread(index: SceneIndex, x: number, y: number, sigma: number, out: Spread): void {
  out.reset();
  const { width, height, boxes, owner, area, grid } = index;
  const margin = OFFSCREEN_MARGIN_SIGMAS * sigma;
  if (x < -margin || y < -margin || x > width + margin || y > height + margin) return; // looking away
  const screenMass = rectMass(x, y, sigma, 0, 0, width, height);
  const reach = REACH_SIGMAS * sigma;
  const { share, touched } = out;
  const { cell, cols, rows, start, list, firstCol, firstRow } = grid;
  const col0 = Math.min(cols - 1, Math.max(0, Math.floor((x - reach) / cell)));
  const col1 = Math.min(cols - 1, Math.max(0, Math.floor((x + reach) / cell)));
  const row0 = Math.min(rows - 1, Math.max(0, Math.floor((y - reach) / cell)));
  const row1 = Math.min(rows - 1, Math.max(0, Math.floor((y + reach) / cell)));
  let objectMass = 0;
  for (let r = row0; r <= row1; r++) {
    for (let c = col0; c <= col1; c++) {
      const cellIndex = r * cols + c;
      for (let k = start[cellIndex]!, end = start[cellIndex + 1]!; k < end; k++) {
        const p = list[k]!;
        // visit each piece once: in the first cell where its cells and the query's meet
        if (c !== Math.max(firstCol[p]!, col0) || r !== Math.max(firstRow[p]!, row0)) continue;
        const b = p * 4;
        const x0 = boxes[b]!;
        const y0 = boxes[b + 1]!;
        const x1 = boxes[b + 2]!;
        const y1 = boxes[b + 3]!;
        if (x1 < x - reach || x0 > x + reach || y1 < y - reach || y0 > y + reach) continue;
        const m = rectMass(x, y, sigma, x0, y0, x1, y1);
        if (m <= 0) continue;
        const i = owner[p]!;
        if (share[i] === 0) touched[out.count++] = i;
        share[i] = share[i]! + m;
        objectMass += m;
      }
    }
  }
  const discMin = 4 * sigma * sigma;
  let total = BACKGROUND_PIXEL_PRIOR * Math.max(0, screenMass - objectMass);
  for (let k = 0; k < out.count; k++) {
    const i = touched[k]!;
    const a = area[i]!;
    const w = share[i]! * (a < discMin ? discMin / a : 1);
    share[i] = w;
    total += w;
  }
  if (!(total > 1e-12)) {
    out.reset();
    return;
  }
  const scale = (1 - BACKGROUND_FLOOR) / total;
  let kept = 0;
  let sum = 0;
  for (let k = 0; k < out.count; k++) {
    const i = touched[k]!;
    const p = share[i]! * scale;
    if (p < MIN_SHARE) {
      share[i] = 0;
      continue;
    }
    share[i] = p;
    touched[kept++] = i;
    sum += p;
  }
  out.count = kept;
  out.background = Math.max(0, 1 - sum);
}
