/** All metrics of one case, per class, from two label volumes. */
import { unionBox, type Box } from "./crop.js";
import { resolveGrid } from "./grid.js";
import { byteRange, labelRange, MAX_LABEL_RANGE, nonzeroRows } from "./labels.js";
import { pairStatistics, type LabelTable } from "./pair-statistics.js";
import { diceFromCounts, iouFromCounts } from "./overlap.js";
import { INFINITE_SURFACE, surfaceDistancesInBox, surfaceMetrics, UNDEFINED_SURFACE } from "./surface.js";
import type { CaseMetrics, ClassMetrics, GridOptions, LabelArray } from "./types.js";

export interface CaseMetricsOptions extends GridOptions {
  /** Labels to evaluate; default: every label present in either volume except 0. */
  readonly classes?: readonly number[];
}

function boxOf(t: LabelTable, label: number, nd: number): Box | null {
  const l = label - t.offset;
  if (l < 0 || l >= t.range || t.count[l] === 0) return null;
  const b = l * nd;
  return { lo: Array.from(t.lo.subarray(b, b + nd)), hi: Array.from(t.hi.subarray(b, b + nd)) };
}

function countOf(a: Float64Array, t: LabelTable, label: number): number {
  const l = label - t.offset;
  return l < 0 || l >= t.range ? 0 : a[l]!;
}

/**
 * Dice, IoU, HD, HD95, HD95 pooled and ASSD of every class, plus the voxel counts pooled Dice
 * needs. Undefined values (class absent from both volumes) are NaN; surface metrics are
 * Infinity when the class is absent from exactly one volume. Keys are the labels as strings.
 */
export function computeCaseMetrics(pred: LabelArray, gt: LabelArray, options: CaseMetricsOptions): CaseMetrics {
  const grid = resolveGrid(options, pred.length, "pred");
  resolveGrid(options, gt.length, "gt");
  const nd = grid.shape.length;
  const X = grid.shape[0]!;
  // 8-bit volumes: tables for the type's whole range, no pass needed to find it, and the zero rows
  // are found by pairStatistics as it goes; other types need the row flags for their range first
  const bp8 = byteRange(pred);
  const bg8 = byteRange(gt);
  const rowsP = bp8 && bg8 ? undefined : nonzeroRows(pred, X);
  const rowsG = bp8 && bg8 ? undefined : nonzeroRows(gt, X);
  const rp = bp8 ?? labelRange(pred, "pred", X, rowsP);
  const rg = bg8 ?? labelRange(gt, "gt", X, rowsG);
  const min = Math.min(rp.min, rg.min);
  const max = Math.max(rp.max, rg.max);
  const range = max - min + 1;
  if (range > MAX_LABEL_RANGE) {
    throw new RangeError(`pred/gt: labels span ${min}..${max}, more than ${MAX_LABEL_RANGE} values`);
  }
  const countZero = options.classes?.includes(0) ?? false;
  const stats = pairStatistics(pred, gt, grid, min, range, countZero, rowsP, rowsG);
  const tp = stats.pred;
  const tg = stats.gt;
  const overlap = stats.overlap;
  let classes = options.classes;
  if (classes === undefined) {
    const present: number[] = [];
    for (let l = 0; l < range; l++) if (l + min !== 0 && (tp.count[l]! > 0 || tg.count[l]! > 0)) present.push(l + min);
    classes = present;
  }
  const out: Record<string, ClassMetrics> = {};
  for (const c of classes) {
    if (!Number.isInteger(c)) throw new RangeError(`classes: ${c} is not an integer label`);
    const np = countOf(tp.count, tp, c);
    const ng = countOf(tg.count, tg, c);
    const both = countOf(overlap, tp, c);
    const bp = boxOf(tp, c, nd);
    const bg = boxOf(tg, c, nd);
    const surface =
      bp === null && bg === null
        ? UNDEFINED_SURFACE
        : bp === null || bg === null
          ? INFINITE_SURFACE
          : surfaceMetrics(surfaceDistancesInBox(pred, gt, grid, unionBox(bp, bg), c));
    out[String(c)] = {
      dice: diceFromCounts(both, np, ng),
      iou: iouFromCounts(both, np, ng),
      ...surface,
      pred_voxels: np,
      gt_voxels: ng,
      overlap_voxels: both,
    };
  }
  return out;
}
