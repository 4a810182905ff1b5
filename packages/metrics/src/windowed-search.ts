/**
 * Exact squared distances at a few query voxels, without transforming the whole grid: the same
 * per-axis minimisation as the separable transform, f_k(q) = min over p on q's axis-k line of
 * f_{k-1}(p) + ((q - p) h_k)^2, evaluated on demand and memoised, scanning outwards from q only
 * while (d h_k)^2 is below the best value so far (no farther p can win: f >= 0). Cheap when the
 * queries lie near features (surfaces of two similar masks); a work budget bounds the worst case.
 */
import type { Grid } from "./grid.js";

/**
 * Squared distances at `queries` (flat indices) from the first-pass output `f1` (see
 * `rowPass`), or null when more than `budget` candidate evaluations would be needed.
 */
export function windowedSquaredDistances(f1: Float64Array, grid: Grid, queries: Int32Array, budget: number): Float64Array | null {
  const { shape, spacing, strides, size } = grid;
  const nd = shape.length;
  if (nd === 3) return windowed3d(f1, grid, queries, budget);
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

/**
 * f2 at `idx` (row `y`): the minimum over the voxel's axis-1 line of f1 + (d h1)², memoised
 * (-1 = not computed yet). A plain function rather than a closure per search, so that optimised
 * code is reused from one search to the next (a fresh closure is a new call target each time).
 */
function f2At(f1: Float64Array, memo: Float64Array, idx: number, y: number, X: number, Y: number, h1: number): number {
  const m = memo[idx]!;
  if (m >= 0) return m;
  let best = f1[idx]!;
  for (let d = 1; ; d++) {
    const t = d * h1;
    const tt = t * t;
    if (tt >= best) break;
    const down = y - d >= 0;
    const up = y + d < Y;
    if (!down && !up) break;
    if (down) {
      const v = f1[idx - d * X]! + tt;
      if (v < best) best = v;
    }
    if (up) {
      const v = f1[idx + d * X]! + tt;
      if (v < best) best = v;
    }
    work3++;
  }
  memo[idx] = best;
  return best;
}

/** Memo buffer of `windowed3d`, reused from one search to the next. */
let memoScratch = new Float64Array(0);

/** The same search, written out for three axes (the common case) without recursion. */
function windowed3d(f1: Float64Array, grid: Grid, queries: Int32Array, budget: number): Float64Array | null {
  const [X, Y, Z] = grid.shape as [number, number, number];
  const h1 = grid.spacing[1]!;
  const h2 = grid.spacing[2]!;
  const XY = X * Y;
  if (memoScratch.length < grid.size) memoScratch = new Float64Array(grid.size);
  const memo = memoScratch.fill(-1, 0, grid.size); // f2; -1 = not computed yet (reused: the search is synchronous)
  const out = new Float64Array(queries.length);
  work3 = 0;
  for (let i = 0; i < queries.length; i++) {
    const idx = queries[i]!;
    const z = Math.floor(idx / XY);
    const y = Math.floor((idx - z * XY) / X);
    let best = f2At(f1, memo, idx, y, X, Y, h1);
    for (let d = 1; ; d++) {
      const t = d * h2;
      const tt = t * t;
      if (tt >= best) break;
      const down = z - d >= 0;
      const up = z + d < Z;
      if (!down && !up) break;
      if (down) {
        const v = f2At(f1, memo, idx - d * XY, y, X, Y, h1) + tt;
        if (v < best) best = v;
      }
      if (up) {
        const v = f2At(f1, memo, idx + d * XY, y, X, Y, h1) + tt;
        if (v < best) best = v;
      }
      work3++;
    }
    if (work3 > budget) return null;
    out[i] = best;
  }
  return out;
}
