// Owns spatial reference: "the left one", "the window at the top", "the bottom icon" — which on-screen object a position word picks out.
import type { ObjectType, SceneObject } from '../../contracts/intent.js';
import type { Token } from './registry-lexicon.js';
import { typeFits, type SceneIndex } from './referent-names.js';

type Side = 'left' | 'right' | 'top' | 'bottom' | 'middle';

const SIDES: Readonly<Record<string, Side | undefined>> = {
  left: 'left', leftmost: 'left', right: 'right', rightmost: 'right', top: 'top', upper: 'top', topmost: 'top', bottom: 'bottom', lower: 'bottom',
  bottommost: 'bottom', middle: 'middle', center: 'middle', centre: 'middle', central: 'middle',
};

export interface SpatialReading {
  /** Per on-screen object, how well it fits the position said (the best fit is 1). */
  readonly weights: ReadonlyMap<string, number>;
  readonly used: readonly number[];
  readonly said: string;
}

function center(o: SceneObject): [number, number] {
  const [x, y, w, h] = o.rect!;
  return [x + w / 2, y + h / 2];
}

/**
 * Reads position words that are not part of a command ("move it to the left" is a destination, taken by the lexicon
 * before this runs). Among the on-screen objects of the said type, the one furthest that way fits best; the others fit
 * less the further they are from it (in screen widths or heights), so two side by side icons are close rivals.
 */
export function readSpatial(tokens: readonly Token[], skip: ReadonlySet<number>, index: SceneIndex, types: readonly ObjectType[], screen: readonly [number, number]): SpatialReading | null {
  const at = tokens.flatMap((t, i) => (!skip.has(i) && SIDES[t.surface] !== undefined ? [i] : []));
  if (at.length === 0) return null;
  const onScreen = index.objects.filter((o) => o.rect !== undefined && (types.length === 0 || typeFits(o, types)));
  if (onScreen.length === 0) return null;
  const [sw, sh] = screen;
  const value = (o: SceneObject, side: Side): number => {
    const [cx, cy] = center(o);
    switch (side) {
      case 'left':
        return -cx / sw;
      case 'right':
        return cx / sw;
      case 'top':
        return -cy / sh;
      case 'bottom':
        return cy / sh;
      default:
        return -Math.hypot((cx - sw / 2) / sw, (cy - sh / 2) / sh);
    }
  };
  // "top left": each position word narrows it down. A tenth of the screen apart is about 3:1: clear for windows,
  // close for neighbouring icons.
  const weights = new Map(onScreen.map((o) => [o.id, 1] as [string, number]));
  for (const i of at) {
    const side = SIDES[tokens[i]!.surface]!;
    const best = Math.max(...onScreen.map((o) => value(o, side)));
    for (const o of onScreen) weights.set(o.id, weights.get(o.id)! * Math.exp(-12 * (best - value(o, side))));
  }
  return { weights, used: at, said: at.map((i) => tokens[i]!.surface).join(' ') };
}
