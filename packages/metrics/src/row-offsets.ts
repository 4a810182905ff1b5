/**
 * The first pass of the distance transform in compact form: for each voxel, the distance in
 * voxels along axis 0 to the nearest feature of its row (2 bytes a voxel instead of the 8 of a
 * squared distance), and a table that turns such an offset into the squared distance in mm².
 * `squares[rowOffsets[i]]` equals `rowPassOfList(list, grid)[i]` value for value: both are
 * `(k · h0)²` of the same integer k (x ↦ (x·h)² is monotone in floating point, so the nearer
 * feature by offset is the nearer one by squared distance).
 */
import type { Grid } from "./grid.js";

/** Offsets fit in 16 bits: rows of up to this many voxels (the offset `X` means "no feature"). */
export const MAX_COMPACT_ROW = 0xffff;

/**
 * `squares[k] = (k · h)²` for k = 0 .. n − 1, and `squares[n] = Infinity` (the offset meaning "no
 * feature in this row", for rows of n voxels).
 */
export function squaresTable(n: number, h: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const t = k * h;
    out[k] = t * t;
  }
  out[n] = Number.POSITIVE_INFINITY;
  return out;
}

/**
 * Offsets along axis 0 to the nearest of the features at the flat indices `list` (ascending, as
 * in memory order), `X` in rows without one, written into the first `size` values of `into`
 * when it is long enough. Rows longer than `MAX_COMPACT_ROW` are refused (RangeError).
 */
export function rowOffsetsOfList(list: Int32Array, grid: Grid, into?: Uint16Array): Uint16Array {
  const { shape, size } = grid;
  const X = shape[0]!;
  if (X > MAX_COMPACT_ROW) throw new RangeError(`rowOffsetsOfList: rows of ${X} voxels do not fit 16-bit offsets (at most ${MAX_COMPACT_ROW})`);
  const out = into !== undefined && into.length >= size ? into.subarray(0, size) : new Uint16Array(size);
  const n = list.length;
  let j = 0;
  for (let base = 0; base < size; base += X) {
    const end = base + X;
    if (j >= n || list[j]! >= end) {
      out.fill(X, base, end);
      continue;
    }
    let a = list[j++]! - base;
    for (let x = 0; x < a; x++) out[base + x] = a - x;
    out[base + a] = 0;
    while (j < n && list[j]! < end) {
      const b = list[j++]! - base;
      for (let x = a + 1; x < b; x++) {
        const f = x - a;
        const g = b - x;
        out[base + x] = g < f ? g : f;
      }
      out[base + b] = 0;
      a = b;
    }
    for (let x = a + 1; x < X; x++) out[base + x] = x - a;
  }
  return out;
}
