/**
 * Surface distances: for each surface voxel of one mask, the Euclidean distance (mm, between
 * voxel centres) to the nearest surface voxel of the other mask, in both directions. Work is
 * limited to the bounding box of both masks plus one voxel, which changes no value.
 */
import { boundingBox, cropAround, extractMask, unionBox, type Box } from "./crop.js";
import { squaredDistancesOnGrid } from "./distance-transform.js";
import { edgesOnGrid } from "./edges.js";
import { resolveGrid, type Grid } from "./grid.js";
import { percentileOfSorted } from "./percentile.js";
import type { GridOptions, LabelArray, SurfaceMetrics } from "./types.js";

/** Directed distances, each in the memory order (axis 0 fastest) of its surface voxels. */
export interface SurfaceDistances {
  /** For each surface voxel of pred: distance to the nearest surface voxel of gt. */
  readonly predToGt: Float64Array;
  /** For each surface voxel of gt: distance to the nearest surface voxel of pred. */
  readonly gtToPred: Float64Array;
}

/** Distances from the set voxels of `query` to the nearest set voxel of `features`. */
function directed(features: Uint8Array, query: Uint8Array, grid: Grid): Float64Array {
  let nq = 0;
  let nf = 0;
  for (let i = 0; i < grid.size; i++) {
    nq += query[i]!;
    nf += features[i]!;
  }
  const out = new Float64Array(nq);
  if (nq === 0) return out;
  if (nf === 0) return out.fill(Number.POSITIVE_INFINITY);
  const nd = grid.shape.length;
  let lines: Uint8Array | undefined;
  if (nd > 1) {
    const s = grid.strides[nd - 1]!;
    lines = new Uint8Array(s);
    for (let i = 0; i < grid.size; i++) if (query[i] !== 0) lines[i % s] = 1;
  }
  const sq = squaredDistancesOnGrid(features, grid, lines);
  let j = 0;
  for (let i = 0; i < grid.size; i++) if (query[i] !== 0) out[j++] = Math.sqrt(sq[i]!);
  return out;
}

/** Surface distances of the masks of `label` (nonzero voxels when undefined) inside `box`. */
export function surfaceDistancesInBox(pred: LabelArray, gt: LabelArray, grid: Grid, box: Box, label?: number): SurfaceDistances {
  const crop = cropAround(grid, box, 1);
  const p = extractMask(pred, grid, crop, label);
  const g = extractMask(gt, grid, crop, label);
  const ep = edgesOnGrid(p, crop.grid);
  const eg = edgesOnGrid(g, crop.grid);
  return { predToGt: directed(eg, ep, crop.grid), gtToPred: directed(ep, eg, crop.grid) };
}

/**
 * Surface distances between two masks: the voxels equal to `label`, or the nonzero voxels when
 * `label` is omitted. A direction whose target mask is empty gives Infinity for every voxel.
 */
export function surfaceDistances(
  pred: LabelArray,
  gt: LabelArray,
  options: GridOptions & { readonly label?: number },
): SurfaceDistances {
  const grid = resolveGrid(options, pred.length, "pred");
  resolveGrid(options, gt.length, "gt");
  const bp = boundingBox(pred, grid, options.label);
  const bg = boundingBox(gt, grid, options.label);
  if (bp === null && bg === null) return { predToGt: new Float64Array(0), gtToPred: new Float64Array(0) };
  return surfaceDistancesInBox(pred, gt, grid, unionBox(bp, bg), options.label);
}

/** Surface metrics when both masks are empty. */
export const UNDEFINED_SURFACE: SurfaceMetrics = { hd: Number.NaN, hd95: Number.NaN, hd95_pooled: Number.NaN, assd: Number.NaN };
/** Surface metrics when exactly one mask is empty. */
export const INFINITE_SURFACE: SurfaceMetrics = {
  hd: Number.POSITIVE_INFINITY,
  hd95: Number.POSITIVE_INFINITY,
  hd95_pooled: Number.POSITIVE_INFINITY,
  assd: Number.POSITIVE_INFINITY,
};

/** Merges two ascending arrays. */
function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/**
 * HD, HD95 (MONAI), HD95 pooled (medpy) and ASSD from surface distances. Both directions empty
 * (both masks empty) gives NaN; one direction empty (one mask empty) gives Infinity.
 */
export function surfaceMetrics(d: SurfaceDistances): SurfaceMetrics {
  const na = d.predToGt.length;
  const nb = d.gtToPred.length;
  if (na === 0 && nb === 0) return UNDEFINED_SURFACE;
  if (na === 0 || nb === 0) return INFINITE_SURFACE;
  const a = d.predToGt.slice().sort();
  const b = d.gtToPred.slice().sort();
  return {
    hd: Math.max(a[na - 1]!, b[nb - 1]!),
    hd95: Math.max(percentileOfSorted(a, 95), percentileOfSorted(b, 95)),
    hd95_pooled: percentileOfSorted(mergeSorted(a, b), 95),
    assd: (sum(a) + sum(b)) / (na + nb),
  };
}
