/**
 * Surface distances: for each surface voxel of one mask, the Euclidean distance (mm, between
 * voxel centres) to the nearest surface voxel of the other mask, in both directions. Work is
 * limited to the bounding box of both masks plus one voxel, which changes no value.
 */
import { boundingBox, cropAround, extractMask, unionBox, type Box, type Crop } from "./crop.js";
import { envelopePasses, rowPassOfList } from "./distance-transform.js";
import { edgesOnGrid } from "./edges.js";
import { resolveGrid, type Grid } from "./grid.js";
import { percentileInPlace } from "./percentile.js";
import { MAX_COMPACT_ROW, rowOffsetsOfList, squaresTable } from "./row-offsets.js";
import { MAX_COMPACT_AXIS1, windowedSquaredDistances, windowedSquaredDistances3d } from "./windowed-search.js";
import type { GridOptions, LabelArray, SurfaceMetrics } from "./types.js";

/** Directed distances, each in the memory order (axis 0 fastest) of its surface voxels. */
export interface SurfaceDistances {
  /** For each surface voxel of pred: distance to the nearest surface voxel of gt. */
  readonly predToGt: Float64Array;
  /** For each surface voxel of gt: distance to the nearest surface voxel of pred. */
  readonly gtToPred: Float64Array;
}

/** Surface voxels of a mask on a grid: their flat indices in memory order. */
interface Surface {
  readonly list: Int32Array;
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i]!;
  return n;
}

function indicesOfOnes(flags: Uint8Array, n: number): Int32Array {
  const list = new Int32Array(n);
  for (let i = 0, j = 0; j < n; i++) if (flags[i] !== 0) list[j++] = i;
  return list;
}

// One loop per function: code optimised while a loop runs (on-stack replacement) then meets no
// statement it has not seen run, which would send it back to the interpreter on every call.
function surfaceOf(mask: Uint8Array, grid: Grid): Surface {
  const flags = edgesOnGrid(mask, grid);
  return { list: indicesOfOnes(flags, countOnes(flags)) };
}

/** Reused first-pass buffer of `directed` (the computation is synchronous; fully rewritten each time). */
let offsetScratch = new Uint16Array(0);

/** Reused list buffer of `surfaceOfLabel` (the computation is synchronous). */
let listScratch = new Int32Array(0);

/**
 * The surface of the voxels equal to `label` inside `crop` of a 3-axis `src`, read straight from
 * the labels (no mask in between), in one pass and without a buffer the size of the crop. The same voxels as
 * `surfaceOf(extractMask(src, grid, crop, label), crop.grid)`: a voxel on the crop's border is a
 * surface voxel (erosion sees background outside the crop), any other looks at its six
 * neighbours, which lie inside the crop.
 */
function surfaceOfLabel(src: LabelArray, grid: Grid, crop: Crop, label: number): Surface {
  const [X, Y, Z] = crop.grid.shape as [number, number, number];
  const [ox, oy, oz] = crop.origin as [number, number, number];
  const GX = grid.strides[1]!;
  const GXY = grid.strides[2]!;
  const size = crop.grid.size;
  if (listScratch.length < size) listScratch = new Int32Array(size);
  const list = listScratch;
  let n = 0;
  for (let z = 0; z < Z; z++) {
    const zBorder = z === 0 || z === Z - 1;
    for (let y = 0; y < Y; y++) {
      const border = zBorder || y === 0 || y === Y - 1;
      const base = X * (y + Y * z);
      const s0 = ox + GX * (oy + y) + GXY * (oz + z);
      for (let x = 0; x < X; x++) {
        const s = s0 + x;
        if (src[s] !== label) continue;
        if (
          border ||
          x === 0 ||
          x === X - 1 ||
          src[s - 1] !== label ||
          src[s + 1] !== label ||
          src[s - GX] !== label ||
          src[s + GX] !== label ||
          src[s - GXY] !== label ||
          src[s + GXY] !== label
        ) {
          list[n++] = base + x;
        }
      }
    }
  }
  return { list: list.slice(0, n) };
}

/**
 * Work allowed to the windowed search, per voxel of the grid, before it gives way to the full
 * transform (whose cost is about one envelope step per voxel and axis).
 */
export const WINDOWED_BUDGET_PER_VOXEL = 2;

/** Reused full-width first pass of `directed`'s other paths (fully rewritten each time). */
let f1Scratch = new Float64Array(0);

/** `rowPassOfList` into the reused buffer. */
function firstPass(features: Surface, grid: Grid): Float64Array {
  if (f1Scratch.length < grid.size) f1Scratch = new Float64Array(grid.size);
  return rowPassOfList(features.list, grid, f1Scratch);
}

/**
 * Distances from the surface voxels `query` to the nearest surface voxel of `features`: the
 * windowed search (on three axes from the compact first pass, `rowOffsetsOfList`: 4 bytes of
 * working memory a voxel of the crop instead of 16), or past its budget the full transform.
 */
function directed(features: Surface, query: Surface, grid: Grid, budgetPerVoxel: number): Float64Array {
  const nq = query.list.length;
  const out = new Float64Array(nq);
  if (nq === 0) return out;
  if (features.list.length === 0) return out.fill(Number.POSITIVE_INFINITY);
  const { shape } = grid;
  const budget = budgetPerVoxel * grid.size;
  let f1: Float64Array | null = null;
  let sq: Float64Array | null;
  if (shape.length === 3 && shape[0]! <= MAX_COMPACT_ROW && shape[1]! <= MAX_COMPACT_AXIS1) {
    if (offsetScratch.length < grid.size) offsetScratch = new Uint16Array(grid.size);
    const offsets = rowOffsetsOfList(features.list, grid, offsetScratch);
    sq = windowedSquaredDistances3d(offsets, squaresTable(shape[0]!, grid.spacing[0]!), grid, query.list, budget);
  } else {
    f1 = firstPass(features, grid);
    sq = windowedSquaredDistances(f1, grid, query.list, budget);
  }
  if (sq === null) {
    f1 ??= firstPass(features, grid);
    const nd = shape.length;
    const s = grid.strides[nd - 1]!;
    const lines = new Uint8Array(s);
    for (let i = 0; i < nq; i++) lines[query.list[i]! % s] = 1;
    envelopePasses(f1, grid, lines);
    sq = new Float64Array(nq);
    for (let i = 0; i < nq; i++) sq[i] = f1[query.list[i]!]!;
  }
  for (let i = 0; i < nq; i++) out[i] = Math.sqrt(sq[i]!);
  return out;
}

/** Surface distances of the masks of `label` (nonzero voxels when undefined) inside `box`. */
export function surfaceDistancesInBox(
  pred: LabelArray,
  gt: LabelArray,
  grid: Grid,
  box: Box,
  label?: number,
  budgetPerVoxel = WINDOWED_BUDGET_PER_VOXEL,
): SurfaceDistances {
  const crop = cropAround(grid, box, 1);
  const fused = label !== undefined && grid.shape.length === 3;
  const sp = fused ? surfaceOfLabel(pred, grid, crop, label) : surfaceOf(extractMask(pred, grid, crop, label), crop.grid);
  const sg = fused ? surfaceOfLabel(gt, grid, crop, label) : surfaceOf(extractMask(gt, grid, crop, label), crop.grid);
  return { predToGt: directed(sg, sp, crop.grid, budgetPerVoxel), gtToPred: directed(sp, sg, crop.grid, budgetPerVoxel) };
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

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function max(a: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
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
  const a = d.predToGt;
  const b = d.gtToPred;
  const pooled = new Float64Array(na + nb);
  pooled.set(a);
  pooled.set(b, na);
  return {
    hd: Math.max(max(a), max(b)),
    hd95: Math.max(percentileInPlace(a.slice(), 95), percentileInPlace(b.slice(), 95)),
    hd95_pooled: percentileInPlace(pooled, 95),
    assd: (sum(a) + sum(b)) / (na + nb),
  };
}
