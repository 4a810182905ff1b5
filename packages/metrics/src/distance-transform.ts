/**
 * Exact Euclidean distance transform in linear time, for any number of axes and anisotropic
 * spacing: a two-sweep 1D transform along axis 0, then Felzenszwalb–Huttenlocher lower
 * envelopes along each further axis. Squared distances accumulate in axis order, so the results
 * equal scipy's `distance_transform_edt(~features, sampling=spacing)` value for value.
 */
import { resolveGrid, type Grid } from "./grid.js";
import { envelopeScratch, lowerEnvelope } from "./lower-envelope.js";
import type { GridOptions, LabelArray } from "./types.js";

/**
 * First pass: squared distance (mm²) along axis 0 to the nearest nonzero voxel of `features`
 * in the same row; Infinity in rows without one.
 */
export function rowPass(features: LabelArray, grid: Grid): Float64Array {
  const { shape, spacing, size } = grid;
  const out = new Float64Array(size); // every value is written below (no fill pass)
  const X = shape[0]!;
  const h0 = spacing[0]!;
  for (let base = 0; base < size; base += X) {
    let last = -1;
    for (let x = 0; x < X; x++) {
      if (features[base + x] !== 0) {
        last = x;
        out[base + x] = 0;
      } else if (last >= 0) {
        const d = (x - last) * h0;
        out[base + x] = d * d;
      } else {
        out[base + x] = Number.POSITIVE_INFINITY;
      }
    }
    if (last < 0) continue; // no feature in this row
    last = -1;
    for (let x = X - 1; x >= 0; x--) {
      if (features[base + x] !== 0) last = x;
      else if (last >= 0) {
        const d = (last - x) * h0;
        const dd = d * d;
        if (dd < out[base + x]!) out[base + x] = dd;
      }
    }
  }
  return out;
}

/**
 * `rowPass` of the features at the flat indices `list` (ascending, as in memory order), value
 * for value the same: each row is written segment by segment between its features, without
 * reading a flag per voxel; rows without a feature are filled with Infinity. Written into
 * `into` (every value of its first `size`) when it is long enough.
 */
export function rowPassOfList(list: Int32Array, grid: Grid, into?: Float64Array): Float64Array {
  const { shape, spacing, size } = grid;
  const out = into !== undefined && into.length >= size ? into.subarray(0, size) : new Float64Array(size);
  const X = shape[0]!;
  const h0 = spacing[0]!;
  const n = list.length;
  let j = 0;
  for (let base = 0; base < size; base += X) {
    const end = base + X;
    if (j >= n || list[j]! >= end) {
      out.fill(Number.POSITIVE_INFINITY, base, end);
      continue;
    }
    let a = list[j++]! - base;
    for (let x = 0; x < a; x++) {
      const d = (a - x) * h0;
      out[base + x] = d * d;
    }
    out[base + a] = 0;
    while (j < n && list[j]! < end) {
      const b = list[j++]! - base;
      for (let x = a + 1; x < b; x++) {
        const df = (x - a) * h0;
        const db = (b - x) * h0;
        const f = df * df;
        const g = db * db;
        out[base + x] = g < f ? g : f;
      }
      out[base + b] = 0;
      a = b;
    }
    for (let x = a + 1; x < X; x++) {
      const d = (x - a) * h0;
      out[base + x] = d * d;
    }
  }
  return out;
}

/**
 * Further passes, in place: lower envelopes along axes 1.. of the output of `rowPass`.
 * `lastAxisLines`, when given, restricts the last pass to the lines (indexed by their offset
 * within the last axis' stride) whose flag is set; the other lines keep partial values.
 */
export function envelopePasses(out: Float64Array, grid: Grid, lastAxisLines?: Uint8Array): void {
  const { shape, spacing, strides, size } = grid;
  const nd = shape.length;
  let maxN = 0;
  for (const n of shape) maxN = Math.max(maxN, n);
  const scratch = envelopeScratch(maxN);
  for (let k = 1; k < nd; k++) {
    const n = shape[k]!;
    const s = strides[k]!;
    const h = spacing[k]!;
    const block = n * s;
    const only = k === nd - 1 ? lastAxisLines : undefined;
    for (let outer = 0; outer < size; outer += block) {
      for (let inner = 0; inner < s; inner++) {
        if (only !== undefined && only[inner] === 0) continue;
        lowerEnvelope(out, n, h, scratch, outer + inner, s);
      }
    }
  }
}

/** Squared Euclidean distances (mm²) from every voxel to the nearest nonzero voxel of `features`. */
export function squaredDistanceTransform(features: LabelArray, options: GridOptions): Float64Array {
  const grid = resolveGrid(options, features.length, "features");
  const out = rowPass(features, grid);
  envelopePasses(out, grid);
  return out;
}

/**
 * Euclidean distances (mm) from every voxel to the nearest nonzero voxel of `features`
 * (0 on features; Infinity everywhere when there is no feature).
 */
export function distanceTransform(features: LabelArray, options: GridOptions): Float64Array {
  const out = squaredDistanceTransform(features, options);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]!);
  return out;
}
