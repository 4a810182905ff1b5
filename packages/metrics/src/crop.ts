/** Bounding boxes and cropped binary masks, so that surface work scales with the objects. */
import type { Grid } from "./grid.js";
import type { LabelArray } from "./types.js";

/** A box in voxel coordinates, inclusive on both ends. */
export interface Box {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

/** A sub-grid of a grid: its own grid (same spacing) and its origin in the parent. */
export interface Crop {
  readonly grid: Grid;
  readonly origin: readonly number[];
}

/** The bounding box of the voxels equal to `label` (nonzero voxels when undefined), or null. */
export function boundingBox(src: LabelArray, grid: Grid, label?: number): Box | null {
  const nd = grid.shape.length;
  const X = grid.shape[0]!;
  const lo = new Array<number>(nd).fill(Number.POSITIVE_INFINITY);
  const hi = new Array<number>(nd).fill(-1);
  const coord = new Array<number>(nd).fill(0);
  for (let base = 0; base < grid.size; base += X) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < X; x++) {
      const v = src[base + x]!;
      if (label === undefined ? v !== 0 : v === label) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) {
      lo[0] = Math.min(lo[0]!, first);
      hi[0] = Math.max(hi[0]!, last);
      for (let k = 1; k < nd; k++) {
        lo[k] = Math.min(lo[k]!, coord[k]!);
        hi[k] = Math.max(hi[k]!, coord[k]!);
      }
    }
    for (let k = 1; k < nd; k++) {
      if (++coord[k]! < grid.shape[k]!) break;
      coord[k] = 0;
    }
  }
  return hi[0]! < 0 ? null : { lo, hi };
}

/** The union of two boxes (either may be null; not both). */
export function unionBox(a: Box | null, b: Box | null): Box {
  if (a === null) return b!;
  if (b === null) return a;
  return { lo: a.lo.map((v, k) => Math.min(v, b.lo[k]!)), hi: a.hi.map((v, k) => Math.max(v, b.hi[k]!)) };
}

/** `box` grown by `margin` voxels on each side, clipped to the grid. */
export function cropAround(grid: Grid, box: Box, margin: number): Crop {
  const origin = box.lo.map((v) => Math.max(v - margin, 0));
  const shape = box.hi.map((v, k) => Math.min(v + margin, grid.shape[k]! - 1) - origin[k]! + 1);
  const strides: number[] = [];
  let size = 1;
  for (const d of shape) {
    strides.push(size);
    size *= d;
  }
  return { grid: { shape, spacing: grid.spacing, strides, size }, origin };
}

/** The 0/1 mask of `label` (nonzero voxels when undefined) inside `crop` of `src` on `grid`. */
export function extractMask(src: LabelArray, grid: Grid, crop: Crop, label?: number): Uint8Array {
  const { shape, size } = crop.grid;
  const nd = shape.length;
  const X = shape[0]!;
  const out = new Uint8Array(size);
  const coord = new Array<number>(nd).fill(0);
  for (let dst = 0; dst < size; dst += X) {
    let src0 = crop.origin[0]!;
    for (let k = 1; k < nd; k++) src0 += (crop.origin[k]! + coord[k]!) * grid.strides[k]!;
    if (label === undefined) {
      for (let x = 0; x < X; x++) out[dst + x] = src[src0 + x] !== 0 ? 1 : 0;
    } else {
      for (let x = 0; x < X; x++) out[dst + x] = src[src0 + x] === label ? 1 : 0;
    }
    for (let k = 1; k < nd; k++) {
      if (++coord[k]! < shape[k]!) break;
      coord[k] = 0;
    }
  }
  return out;
}
