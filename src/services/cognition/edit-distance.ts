// Owns the bounded edit distance (optimal string alignment: insert, delete, substitute, swap neighbours) the typo corrector uses.

/** Words longer than this are not typo-corrected; the rows below are sized for it, so distance needs no allocation. */
export const MAX_CORRECTABLE_LENGTH = 40;
const ROW = MAX_CORRECTABLE_LENGTH + 1;
let twoBack = new Int32Array(ROW);
let prev = new Int32Array(ROW);
let cur = new Int32Array(ROW);

/** Distance between a and b, or max + 1 as soon as it is known to exceed max (keeps correction cheap on long vocabularies). */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  if (a.length > MAX_CORRECTABLE_LENGTH || b.length > MAX_CORRECTABLE_LENGTH) return max + 1;
  const n = b.length;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      // Swapped neighbours are one edit ("windwos" → "windows"): that needs the row two back.
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, twoBack[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const spare = twoBack;
    twoBack = prev;
    prev = cur;
    cur = spare;
  }
  return prev[n]!;
}
