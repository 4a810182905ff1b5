/**
 * Exact squared distances at a few query voxels, without transforming the whole grid: the same
 * per-axis minimisation as the separable transform, f_k(q) = min over p on q's axis-k line of
 * f_{k-1}(p) + ((q - p) h_k)^2, evaluated on demand and memoised, scanning outwards from q only
 * while (d h_k)^2 is below the best value so far (no farther p can win: f >= 0). Cheap when the
 * queries lie near features (surfaces of two similar masks); a work budget bounds the worst case.
 */
import type { Grid } from "./grid.js";
import { squaresTable } from "./row-offsets.js";

/**
 * Squared distances at `queries` (flat indices) from the first-pass output `f1` (see
 * `rowPass`), or null when more than `budget` candidate evaluations would be needed.
 */
export function windowedSquaredDistances(f1: Float64Array, grid: Grid, queries: Int32Array, budget: number): Float64Array | null {
  const { shape, spacing, strides, size } = grid;
  const nd = shape.length;
  const out = new Float64Array(queries.length);
  if (nd === 1) {
    for (let i = 0; i < queries.length; i++) out[i] = f1[queries[i]!]!;
    return out;
  }
  // memo[k] holds f_k for 1 <= k < nd - 1; -1 = not computed yet (values are >= 0 or Infinity)
  const memo: Float64Array[] = [];
  for (let k = 1; k < nd - 1; k++) memo[k] = new Float64Array(size).fill(-1);
  let work = 0;
  const level = (k: number, idx: number): number => {
    if (k === 0) return f1[idx]!;
    const m = k < nd - 1 ? memo[k]! : undefined;
    if (m !== undefined && m[idx]! >= 0) return m[idx]!;
    const s = strides[k]!;
    const n = shape[k]!;
    const h = spacing[k]!;
    const c = Math.floor(idx / s) % n;
    let best = level(k - 1, idx);
    for (let d = 1; ; d++) {
      const t = d * h;
      const tt = t * t;
      if (tt >= best) break;
      const down = c - d >= 0;
      const up = c + d < n;
      if (!down && !up) break;
      if (down) {
        const v = level(k - 1, idx - d * s) + tt;
        if (v < best) best = v;
      }
      if (up) {
        const v = level(k - 1, idx + d * s) + tt;
        if (v < best) best = v;
      }
      if (++work > budget) return best; // abandoned: the caller sees work > budget
    }
    if (m !== undefined) m[idx] = best;
    return best;
  };
  for (let i = 0; i < queries.length; i++) {
    out[i] = level(nd - 1, queries[i]!);
    if (work > budget) return null;
  }
  return out;
}

/** Candidate evaluations of the running three-axis search (module state: the search is synchronous). */
let work3 = 0;

/** "Not computed yet" in the memo of `windowedSquaredDistances3d` (any other value is an offset). */
const NOT_YET = -0x8000;

/** Largest extent of axis 1 whose signed offsets fit the Int16 memo. */
export const MAX_COMPACT_AXIS1 = 0x8000;

/**
 * f2 at `idx` (row `y`): the minimum over the voxel's axis-1 line of f1 + (d h1)², where
 * f1 = `sq0[offsets[·]]`. The memo keeps the winning signed offset d (the value is recomputed
 * from it, identically), 2 bytes a voxel. A plain function rather than a closure per search,
 * so that optimised code is reused from one search to the next.
 */
function f2At(offsets: Uint16Array, sq0: Float64Array, sq1: Float64Array, memo: Int16Array, idx: number, y: number, X: number, Y: number): number {
  const m = memo[idx]!;
  if (m !== NOT_YET) return sq0[offsets[idx + m * X]!]! + sq1[m < 0 ? -m : m]!;
  let best = sq0[offsets[idx]!]!;
  let arg = 0;
  for (let d = 1; ; d++) {
    const tt = sq1[d]!; // sq1[Y] = Infinity: the search ends before it leaves the line
    if (tt >= best) break;
    const down = y - d >= 0;
    const up = y + d < Y;
    if (!down && !up) break;
    if (down) {
      const v = sq0[offsets[idx - d * X]!]! + tt;
      if (v < best) {
        best = v;
        arg = -d;
      }
    }
    if (up) {
      const v = sq0[offsets[idx + d * X]!]! + tt;
      if (v < best) {
        best = v;
        arg = d;
      }
    }
    work3++;
  }
  memo[idx] = arg;
  return best;
}

/** Memo buffer of `windowedSquaredDistances3d`, reused from one search to the next. */
let memoScratch = new Int16Array(0);

/**
 * The search on three axes from the compact first pass (`rowOffsetsOfList` and
 * `sq0 = squaresTable(X, h0)`): the same values as `windowedSquaredDistances` of the equivalent
 * squared distances, with 4 bytes of working memory a voxel instead of 16. Null past `budget`.
 * Needs `shape[1] <= MAX_COMPACT_AXIS1` (RangeError otherwise).
 */
export function windowedSquaredDistances3d(offsets: Uint16Array, sq0: Float64Array, grid: Grid, queries: Int32Array, budget: number): Float64Array | null {
  const [X, Y, Z] = grid.shape as [number, number, number];
  if (Y > MAX_COMPACT_AXIS1) throw new RangeError(`windowedSquaredDistances3d: axis 1 of ${Y} voxels does not fit 16-bit offsets (at most ${MAX_COMPACT_AXIS1})`);
  const sq1 = squaresTable(Y, grid.spacing[1]!);
  const h2 = grid.spacing[2]!;
  const XY = X * Y;
  if (memoScratch.length < grid.size) memoScratch = new Int16Array(grid.size);
  const memo = memoScratch.fill(NOT_YET, 0, grid.size); // reused: the search is synchronous
  const out = new Float64Array(queries.length);
  work3 = 0;
  for (let i = 0; i < queries.length; i++) {
    const idx = queries[i]!;
    const z = Math.floor(idx / XY);
    const y = Math.floor((idx - z * XY) / X);
    let best = f2At(offsets, sq0, sq1, memo, idx, y, X, Y);
    for (let d = 1; ; d++) {
      const t = d * h2;
      const tt = t * t;
      if (tt >= best) break;
      const down = z - d >= 0;
      const up = z + d < Z;
      if (!down && !up) break;
      if (down) {
        const v = f2At(offsets, sq0, sq1, memo, idx - d * XY, y, X, Y) + tt;
        if (v < best) best = v;
      }
      if (up) {
        const v = f2At(offsets, sq0, sq1, memo, idx + d * XY, y, X, Y) + tt;
        if (v < best) best = v;
      }
      work3++;
    }
    if (work3 > budget) return null;
    out[i] = best;
  }
  return out;
}
