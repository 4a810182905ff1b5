/**
 * Counts, bounding boxes and overlap of every label of two volumes, in one pass by runs along
 * axis 0, skipping rows that are 0 in both (see `nonzeroRows`).
 */
import type { Grid } from "./grid.js";
import { nonzeroRows, rowWords, type RowWords } from "./labels.js";
import type { LabelArray } from "./types.js";

/**
 * Per-label tables of one volume: voxel counts and bounding boxes, indexed by `label - offset`.
 * Box axis k of label l spans `lo[l * ndim + k] .. hi[l * ndim + k]` (inclusive).
 */
export interface LabelTable {
  readonly offset: number;
  readonly range: number;
  readonly count: Float64Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/** Counts, boxes and overlap of two label volumes on one grid. */
export interface PairStatistics {
  readonly pred: LabelTable;
  readonly gt: LabelTable;
  /** Voxels where both volumes hold the label, indexed by `label - offset`. */
  readonly overlap: Float64Array;
  /** Whether label 0 was counted (else its entries are 0). */
  readonly zeroCounted: boolean;
}

/**
 * Records a run of label index `l` over x = a0..a1 of the row at `coord` (axes 1..): its count and
 * box. A plain function, so that optimised code is reused across calls (see windowed-search.ts).
 */
function closeRun(t: LabelTable, l: number, a0: number, a1: number, coord: Int32Array, nd: number): void {
  t.count[l] = t.count[l]! + (a1 - a0 + 1);
  const b = l * nd;
  if (a0 < t.lo[b]!) t.lo[b] = a0;
  if (a1 > t.hi[b]!) t.hi[b] = a1;
  for (let k = 1; k < nd; k++) {
    const c = coord[k]!;
    if (c < t.lo[b + k]!) t.lo[b + k] = c;
    if (c > t.hi[b + k]!) t.hi[b + k] = c;
  }
}

function newTable(offset: number, range: number, nd: number): LabelTable {
  return {
    offset,
    range,
    count: new Float64Array(range),
    lo: new Int32Array(range * nd).fill(0x7fffffff),
    hi: new Int32Array(range * nd).fill(-1),
  };
}

/**
 * Whether row `r` is 0 in both volumes: from the row flags when given (`nonzeroRows`), else from
 * the word views (each row read once, just before it is scanned); false when neither is there.
 */
function bothZero(r: number, rowsPred: Uint8Array | undefined, rowsGt: Uint8Array | undefined, wp: RowWords | null, wg: RowWords | null): boolean {
  if (rowsPred !== undefined && rowsGt !== undefined) return rowsPred[r] === 0 && rowsGt[r] === 0;
  if (wp === null || wg === null) return false;
  const a = wp.words;
  const b = wg.words;
  let any = 0;
  for (let i = r * wp.perRow, end = i + wp.perRow; i < end; i++) any |= a[i]!;
  for (let i = r * wg.perRow, end = i + wg.perRow; i < end; i++) any |= b[i]!;
  return any === 0;
}

/**
 * One pass over both volumes, by runs along axis 0: counts and boxes of every label of each, and
 * their overlap. With `countZero` false, label 0 is ignored and rows that are 0 in both volumes
 * are skipped: by `rowsPred` / `rowsGt` (from `nonzeroRows`) when given, else by testing each
 * row's words as it comes (one read of each row instead of two; rows that are not word-aligned
 * are flagged with `nonzeroRows` first).
 */
export function pairStatistics(
  pred: LabelArray,
  gt: LabelArray,
  grid: Grid,
  offset: number,
  range: number,
  countZero: boolean,
  rowsPred?: Uint8Array,
  rowsGt?: Uint8Array,
): PairStatistics {
  const nd = grid.shape.length;
  const tp = newTable(offset, range, nd);
  const tg = newTable(offset, range, nd);
  const overlap = new Float64Array(range);
  const X = grid.shape[0]!;
  const rows = grid.size / X;
  const coord = new Int32Array(nd);
  const ignore = countZero ? Number.NaN : 0; // NaN equals nothing: no label is ignored
  let wp: RowWords | null = null;
  let wg: RowWords | null = null;
  if (!countZero && (rowsPred === undefined || rowsGt === undefined)) {
    wp = rowWords(pred, X);
    wg = rowWords(gt, X);
    if (wp === null || wg === null) {
      rowsPred = nonzeroRows(pred, X);
      rowsGt = nonzeroRows(gt, X);
    }
  }
  for (let r = 0; r < rows; r++) {
    if (countZero || !bothZero(r, rowsPred, rowsGt, wp, wg)) {
      const base = r * X;
      let pPrev = pred[base]!;
      let gPrev = gt[base]!;
      let pStart = 0;
      let gStart = 0;
      if (pPrev === gPrev && pPrev !== ignore) overlap[pPrev - offset] = overlap[pPrev - offset]! + 1;
      for (let x = 1; x < X; x++) {
        const p = pred[base + x]!;
        const g = gt[base + x]!;
        if (p !== pPrev) {
          if (pPrev !== ignore) closeRun(tp, pPrev - offset, pStart, x - 1, coord, nd);
          pPrev = p;
          pStart = x;
        }
        if (g !== gPrev) {
          if (gPrev !== ignore) closeRun(tg, gPrev - offset, gStart, x - 1, coord, nd);
          gPrev = g;
          gStart = x;
        }
        if (p === g && p !== ignore) overlap[p - offset] = overlap[p - offset]! + 1;
      }
      if (pPrev !== ignore) closeRun(tp, pPrev - offset, pStart, X - 1, coord, nd);
      if (gPrev !== ignore) closeRun(tg, gPrev - offset, gStart, X - 1, coord, nd);
    }
    for (let k = 1; k < nd; k++) {
      if (++coord[k]! < grid.shape[k]!) break;
      coord[k] = 0;
    }
  }
  return { pred: tp, gt: tg, overlap, zeroCounted: countZero };
}
