import { startReadNifti, type Volume } from "@transseg/datasets/nifti"; // the NIfTI part only: eval starts sooner
import { UsageError } from "../errors.js";
import type { ScoreTask } from "./eval-score.js";

/** One prediction / ground-truth pair of `transseg eval`. */
export interface EvalPair {
  readonly pred: string;
  readonly gt: string;
}

export function checkSameGrid(p: Volume, g: Volume, pred: string, gt: string): void {
  if (p.shape.join("x") !== g.shape.join("x")) throw new UsageError(`${pred}: shape ${p.shape.join("x")} differs from ${gt} (${g.shape.join("x")})`);
  const worst = Math.max(...p.affine.flatMap((row, i) => row.map((v, j) => Math.abs(v - g.affine[i]![j]!))));
  if (worst > 1e-3) throw new UsageError(`${pred}: affine differs from ${gt}'s (by up to ${worst.toPrecision(3)})`);
}

/**
 * Reads both volumes of a pair, checks that they share their grid, and returns what scoring
 * needs. The files are read before this returns and their gzip inflation runs on libuv's thread
 * pool (`startReadNifti`), so that it proceeds while this thread scores another pair.
 */
export async function readPair(pair: EvalPair, options: { maxVoxels: number; classes?: readonly number[] }): Promise<ScoreTask> {
  const [p, g] = await Promise.all([startReadNifti(pair.pred, { maxVoxels: options.maxVoxels }), startReadNifti(pair.gt, { maxVoxels: options.maxVoxels })]);
  checkSameGrid(p, g, pair.pred, pair.gt);
  return { pred: p.data, gt: g.data, shape: g.shape, spacing: g.spacing, names: [pair.pred, pair.gt], ...(options.classes ? { classes: options.classes } : {}) };
}
