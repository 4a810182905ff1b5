/**
 * Label statistics in as few passes over the volumes as possible. Rows (lines along axis 0)
 * that are entirely 0 are found word by word and skipped: organs fill a small part of a CT.
 */
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

/** A typed array's bits as 32-bit words, `perRow` words a row, when its rows are word-aligned. */
export interface RowWords {
  readonly words: Uint32Array;
  readonly perRow: number;
}

/** The word view of `a`'s rows of `rowLength` values, or null (plain array, unaligned rows). */
export function rowWords(a: LabelArray, rowLength: number): RowWords | null {
  if (!ArrayBuffer.isView(a)) return null;
  const rows = Math.floor(a.length / rowLength);
  const rowBytes = rowLength * (a as Uint8Array).BYTES_PER_ELEMENT;
  if (rowBytes % 4 !== 0 || a.byteOffset % 4 !== 0) return null;
  return { words: new Uint32Array(a.buffer, a.byteOffset, (rows * rowBytes) / 4), perRow: rowBytes / 4 };
}

/**
 * Flags (1/0) of the rows of `rowLength` voxels that hold a nonzero voxel. All-zero bits are
 * tested 32 at a time when the rows are word-aligned; otherwise value by value.
 */
export function nonzeroRows(a: LabelArray, rowLength: number): Uint8Array {
  const rows = Math.floor(a.length / rowLength);
  const out = new Uint8Array(rows);
  const view = rowWords(a, rowLength);
  if (view !== null) {
    const { words, perRow } = view;
    for (let r = 0, w = 0; r < rows; r++) {
      let any = 0;
      for (const end = w + perRow; w < end; w++) any |= words[w]!;
      if (any !== 0) out[r] = 1; // -0.0 has a set bit: such a row is scanned, which is only slower
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    for (let i = r * rowLength, end = i + rowLength; i < end; i++) {
      if (a[i] !== 0) {
        out[r] = 1;
        break;
      }
    }
  }
  return out;
}

/** The value range of 8-bit integer arrays, known without reading them (256 labels at most). */
export function byteRange(a: LabelArray): { min: number; max: number } | null {
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return { min: 0, max: 255 };
  if (a instanceof Int8Array) return { min: -128, max: 127 };
  return null;
}

/**
 * Smallest and largest label; throws when a value is not an integer (floats must be integral).
 * `rows` (from `nonzeroRows`) lets all-zero rows be skipped.
 */
export function labelRange(a: LabelArray, what = "volume", rowLength = a.length, rows?: Uint8Array): { min: number; max: number } {
  if (a.length === 0) return { min: 0, max: -1 };
  const check = !isIntegerTyped(a);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const nRows = Math.ceil(a.length / rowLength);
  for (let r = 0; r < nRows; r++) {
    if (rows !== undefined && rows[r] === 0) {
      if (min > 0) min = 0;
      if (max < 0) max = 0;
      continue;
    }
    for (let i = r * rowLength, end = Math.min(i + rowLength, a.length); i < end; i++) {
      const v = a[i]!;
      if (check && v !== Math.floor(v)) {
        throw new RangeError(`${what}: voxel ${i} holds ${v}, which is not an integer label`);
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
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
