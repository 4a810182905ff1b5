import { readNifti, type Volume } from "@transseg/datasets";
import { computeCaseMetrics, labelsPresent, type CaseMetrics } from "@transseg/metrics";
import { UsageError } from "../errors.js";

/** One prediction / ground-truth pair of `transseg eval`. */
export interface EvalPair {
  readonly pred: string;
  readonly gt: string;
}

export interface EvalPairOptions {
  readonly maxVoxels: number;
  /** Classes to score; undefined = every label present in either volume except 0. */
  readonly classes?: readonly number[];
}

export interface EvaluatedPair {
  /** The classes scored for this pair. */
  readonly classes: number[];
  readonly metrics: CaseMetrics;
}

export function checkSameGrid(p: Volume, g: Volume, pred: string, gt: string): void {
  if (p.shape.join("x") !== g.shape.join("x")) throw new UsageError(`${pred}: shape ${p.shape.join("x")} differs from ${gt} (${g.shape.join("x")})`);
  const worst = Math.max(...p.affine.flatMap((row, i) => row.map((v, j) => Math.abs(v - g.affine[i]![j]!))));
  if (worst > 1e-3) throw new UsageError(`${pred}: affine differs from ${gt}'s (by up to ${worst.toPrecision(3)})`);
}

/** Both volumes of a pair, read concurrently (gzip inflates on libuv's thread pool). */
export function readPair(pair: EvalPair, maxVoxels: number): Promise<[Volume, Volume]> {
  return Promise.all([readNifti(pair.pred, { maxVoxels }), readNifti(pair.gt, { maxVoxels })]);
}

/** The metrics of one pair (SPEC §5) on volumes already read. */
export function scorePair(pair: EvalPair, [p, g]: [Volume, Volume], options: EvalPairOptions): EvaluatedPair {
  checkSameGrid(p, g, pair.pred, pair.gt);
  const classes = options.classes ? [...options.classes] : [...new Set([...labelsPresent(p.data, pair.pred), ...labelsPresent(g.data, pair.gt)])].filter((c) => c !== 0).sort((a, b) => a - b);
  return { classes, metrics: computeCaseMetrics(p.data, g.data, { shape: g.shape.slice(0, 3), spacing: g.spacing, classes }) };
}
