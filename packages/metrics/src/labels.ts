import type { Grid } from "./grid.js";
import type { LabelArray } from "./types.js";

/** Dense per-label tables cover at most this many distinct label values (max - min + 1). */
export const MAX_LABEL_RANGE = 1 << 20;

function isIntegerTyped(a: LabelArray): boolean {
  return (
    a instanceof Uint8Array ||
    a instanceof Uint8ClampedArray ||
    a instanceof Int8Array ||
    a instanceof Uint16Array ||
    a instanceof Int16Array ||
    a instanceof Uint32Array ||
    a instanceof Int32Array
  );
}

/** Smallest and largest label; throws when a value is not an integer (floats must be integral). */
export function labelRange(a: LabelArray, what = "volume"): { min: number; max: number } {
  const n = a.length;
  if (n === 0) return { min: 0, max: -1 };
  let min = a[0]!;
  let max = min;
  const check = !isIntegerTyped(a);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (check && v !== Math.floor(v)) {
      throw new RangeError(`${what}: voxel ${i} holds ${v}, which is not an integer label`);
    }
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return { min, max };
}

/** The distinct labels of a volume, ascending (background 0 included when present). */
export function labelsPresent(a: LabelArray, what = "volume"): number[] {
  const { min, max } = labelRange(a, what);
  if (max < min) return [];
  const range = max - min + 1;
  if (range > MAX_LABEL_RANGE) {
    const seen = new Set<number>();
    for (let i = 0; i < a.length; i++) seen.add(a[i]!);
    return [...seen].sort((x, y) => x - y);
  }
  const seen = new Uint8Array(range);
  for (let i = 0; i < a.length; i++) seen[a[i]! - min] = 1;
  const out: number[] = [];
  for (let k = 0; k < range; k++) if (seen[k]) out.push(k + min);
  return out;
}

/**
 * Per-label tables of one volume: voxel counts and bounding boxes, indexed by `label - offset`.
 * Box k of label l spans `lo[l * ndim + k] .. hi[l * ndim + k]` (inclusive); hi < lo when absent.
 */
export interface LabelTable {
  readonly offset: number;
  readonly range: number;
  readonly count: Float64Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/** Counts and bounding boxes of every label in [offset, offset + range), in one pass by runs. */
export function labelTable(a: LabelArray, grid: Grid, offset: number, range: number): LabelTable {
  const nd = grid.shape.length;
  const count = new Float64Array(range);
  const lo = new Int32Array(range * nd).fill(0x7fffffff);
  const hi = new Int32Array(range * nd).fill(-1);
  const X = grid.shape[0]!;
  const rows = grid.size / X;
  const coord = new Int32Array(nd); // coordinates of the current row (axes >= 1)
  const close = (label: number, a0: number, a1: number): void => {
    const l = label - offset;
    count[l] += a1 - a0 + 1;
    const b = l * nd;
    if (a0 < lo[b]!) lo[b] = a0;
    if (a1 > hi[b]!) hi[b] = a1;
    for (let k = 1; k < nd; k++) {
      const c = coord[k]!;
      if (c < lo[b + k]!) lo[b + k] = c;
      if (c > hi[b + k]!) hi[b + k] = c;
    }
  };
  for (let r = 0; r < rows; r++) {
    const base = r * X;
    let prev = a[base]!;
    let start = 0;
    for (let x = 1; x < X; x++) {
      const v = a[base + x]!;
      if (v !== prev) {
        close(prev, start, x - 1);
        prev = v;
        start = x;
      }
    }
    close(prev, start, X - 1);
    for (let k = 1; k < nd; k++) {
      if (++coord[k]! < grid.shape[k]!) break;
      coord[k] = 0;
    }
  }
  return { offset, range, count, lo, hi };
}

/** Voxels where both volumes hold the same label, per label (indexed by `label - offset`). */
export function overlapCounts(pred: LabelArray, gt: LabelArray, offset: number, range: number): Float64Array {
  const out = new Float64Array(range);
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i]!;
    if (p === gt[i]!) out[p - offset]++;
  }
  return out;
}
