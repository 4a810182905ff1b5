/**
 * Brute-force oracles, quadratic in the number of voxels: slow, obviously correct, and written
 * independently of the fast code (coordinates instead of strides, pairwise distances instead of
 * transforms). For tests of this package and of anything that claims the same conventions.
 */
import type { LabelArray } from "../types.js";

/** Coordinates (axis 0 fastest) of flat index `i` on `shape`. */
export function coordinatesOf(i: number, shape: readonly number[]): number[] {
  const c: number[] = [];
  for (const d of shape) {
    c.push(i % d);
    i = Math.floor(i / d);
  }
  return c;
}

function indexOf(c: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let k = shape.length - 1; k >= 0; k--) i = i * shape[k]! + c[k]!;
  return i;
}

/** Euclidean distance between voxel centres, the per-axis terms summed in axis order. */
export function voxelDistance(a: readonly number[], b: readonly number[], spacing: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const d = (a[k]! - b[k]!) * spacing[k]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Distance from every voxel to the nearest nonzero voxel of `features`, by trying them all. */
export function bruteForceDistanceTransform(features: LabelArray, shape: readonly number[], spacing: readonly number[]): Float64Array {
  const sites: number[][] = [];
  for (let i = 0; i < features.length; i++) if (features[i] !== 0) sites.push(coordinatesOf(i, shape));
  const out = new Float64Array(features.length);
  for (let i = 0; i < out.length; i++) {
    const c = coordinatesOf(i, shape);
    let best = Number.POSITIVE_INFINITY;
    for (const s of sites) best = Math.min(best, voxelDistance(c, s, spacing));
    out[i] = best;
  }
  return out;
}

/** Mask voxels with at least one of their 2 * ndim axis neighbours outside the mask or the array. */
export function bruteForceEdges(mask: LabelArray, shape: readonly number[]): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const c = coordinatesOf(i, shape);
    for (let k = 0; k < shape.length && out[i] === 0; k++) {
      for (const step of [-1, 1]) {
        const n = [...c];
        n[k] = n[k]! + step;
        if (n[k]! < 0 || n[k]! >= shape[k]! || mask[indexOf(n, shape)] === 0) out[i] = 1;
      }
    }
  }
  return out;
}

/** Directed surface distances both ways, pairwise between surface voxels (edge voxel order). */
export function bruteForceSurfaceDistances(
  pred: LabelArray,
  gt: LabelArray,
  shape: readonly number[],
  spacing: readonly number[],
): { predToGt: number[]; gtToPred: number[] } {
  const list = (m: LabelArray): number[][] => {
    const e = bruteForceEdges(m, shape);
    const out: number[][] = [];
    for (let i = 0; i < e.length; i++) if (e[i] === 1) out.push(coordinatesOf(i, shape));
    return out;
  };
  const ep = list(pred);
  const eg = list(gt);
  const dir = (from: number[][], to: number[][]): number[] =>
    from.map((a) => to.reduce((best, b) => Math.min(best, voxelDistance(a, b, spacing)), Number.POSITIVE_INFINITY));
  return { predToGt: dir(ep, eg), gtToPred: dir(eg, ep) };
}
