import type { LabelArray } from "./types.js";

/** Dice from voxel counts: 2|P∩G| / (|P| + |G|); NaN when both are empty. */
export function diceFromCounts(overlap: number, predVoxels: number, gtVoxels: number): number {
  const s = predVoxels + gtVoxels;
  return s === 0 ? Number.NaN : (2 * overlap) / s;
}

/** IoU (Jaccard) from voxel counts: |P∩G| / |P∪G|; NaN when both are empty. */
export function iouFromCounts(overlap: number, predVoxels: number, gtVoxels: number): number {
  const u = predVoxels + gtVoxels - overlap;
  return u === 0 ? Number.NaN : overlap / u;
}

/** |P|, |G| and |P∩G| for `label`, or for nonzero voxels when `label` is omitted (binary masks). */
export function overlapOf(pred: LabelArray, gt: LabelArray, label?: number): { pred: number; gt: number; overlap: number } {
  if (pred.length !== gt.length) {
    throw new RangeError(`pred has ${pred.length} voxels but gt has ${gt.length}`);
  }
  let np = 0;
  let ng = 0;
  let both = 0;
  const n = pred.length;
  if (label === undefined) {
    for (let i = 0; i < n; i++) {
      const p = pred[i] !== 0;
      const g = gt[i] !== 0;
      if (p) np++;
      if (g) ng++;
      if (p && g) both++;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = pred[i] === label;
      const g = gt[i] === label;
      if (p) np++;
      if (g) ng++;
      if (p && g) both++;
    }
  }
  return { pred: np, gt: ng, overlap: both };
}

/** Dice of one label (or of nonzero voxels, for binary masks); NaN when both are empty. */
export function dice(pred: LabelArray, gt: LabelArray, label?: number): number {
  const c = overlapOf(pred, gt, label);
  return diceFromCounts(c.overlap, c.pred, c.gt);
}

/** IoU of one label (or of nonzero voxels, for binary masks); NaN when both are empty. */
export function iou(pred: LabelArray, gt: LabelArray, label?: number): number {
  const c = overlapOf(pred, gt, label);
  return iouFromCounts(c.overlap, c.pred, c.gt);
}
