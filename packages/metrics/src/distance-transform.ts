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
 * Squared distances (mm²) from every voxel to the nearest nonzero voxel of `features`
 * (Infinity everywhere when there is none). `lastAxisLines`, when given, restricts the last
 * pass to the lines (indexed by their offset in the last axis' stride) whose flag is set: the
 * other lines keep partial values. Used to evaluate only where distances are needed.
 */
export function squaredDistancesOnGrid(features: LabelArray, grid: Grid, lastAxisLines?: Uint8Array): Float64Array {
  const { shape, spacing, strides, size } = grid;
  const nd = shape.length;
  const out = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  // Axis 0: distance to the nearest feature in the same row, by two sweeps.
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
  // Axes 1..: lower envelopes along each line.
  let maxN = 0;
  for (const n of shape) maxN = Math.max(maxN, n);
  const scratch = envelopeScratch(maxN);
  const line = new Float64Array(maxN);
  const result = new Float64Array(maxN);
  for (let k = 1; k < nd; k++) {
    const n = shape[k]!;
    const s = strides[k]!;
    const h = spacing[k]!;
    const block = n * s;
    const only = k === nd - 1 ? lastAxisLines : undefined;
    for (let outer = 0; outer < size; outer += block) {
      for (let inner = 0; inner < s; inner++) {
        if (only !== undefined && only[inner] === 0) continue;
        const start = outer + inner;
        for (let i = 0, j = start; i < n; i++, j += s) line[i] = out[j]!;
        if (!lowerEnvelope(line, n, h, result, scratch)) continue;
        for (let i = 0, j = start; i < n; i++, j += s) out[j] = result[i]!;
      }
    }
  }
  return out;
}

/** Squared Euclidean distances (mm²) from every voxel to the nearest nonzero voxel of `features`. */
export function squaredDistanceTransform(features: LabelArray, options: GridOptions): Float64Array {
  return squaredDistancesOnGrid(features, resolveGrid(options, features.length, "features"));
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
