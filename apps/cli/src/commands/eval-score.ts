/** The computing half of `transseg eval`, with nothing but `@transseg/metrics` (what a worker thread loads). */
import type { VolumeData } from "@transseg/datasets";
import { computeCaseMetrics, labelsPresent, type CaseMetrics } from "@transseg/metrics";

/** Two label volumes already read and checked to share their grid. */
export interface ScoreTask {
  readonly pred: VolumeData;
  readonly gt: VolumeData;
  /** `[X, Y, Z]` and voxel size in mm. */
  readonly shape: readonly number[];
  readonly spacing: readonly number[];
  /** Classes to score; undefined = every label present in either volume except 0. */
  readonly classes?: readonly number[];
  /** File names, for error messages. */
  readonly names: readonly [string, string];
}

export interface EvaluatedPair {
  /** The classes scored for this pair. */
  readonly classes: number[];
  readonly metrics: CaseMetrics;
}

/** The metrics of one pair (SPEC §5). */
export function scoreVolumes(t: ScoreTask): EvaluatedPair {
  const classes = t.classes ? [...t.classes] : [...new Set([...labelsPresent(t.pred, t.names[0]), ...labelsPresent(t.gt, t.names[1])])].filter((c) => c !== 0).sort((a, b) => a - b);
  return { classes, metrics: computeCaseMetrics(t.pred, t.gt, { shape: t.shape.slice(0, 3), spacing: [...t.spacing], classes }) };
}
