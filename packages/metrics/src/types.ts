/**
 * Shared types. Volumes are flat arrays in NIfTI order: axis 0 varies fastest, so a 3D voxel
 * (x, y, z) of a volume with shape [X, Y, Z] sits at index x + X * (y + Y * z).
 */

/** A label volume (or a binary mask): any numeric typed array or array of integral values. */
export type LabelArray =
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | readonly number[];

/** Where the voxels sit: extents (axis 0 fastest) and voxel size per axis in mm (default 1). */
export interface GridOptions {
  readonly shape: readonly number[];
  readonly spacing?: readonly number[];
}

/** The per-class metric names, in the order reports print them. */
export const METRIC_NAMES = ["dice", "iou", "hd", "hd95", "hd95_pooled", "assd"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Surface-distance metrics (mm). NaN = undefined (both masks empty), Infinity = one mask empty. */
export interface SurfaceMetrics {
  /** Hausdorff distance: the largest distance of either direction. */
  readonly hd: number;
  /** MONAI: max over the two directions of each direction's 95th percentile (linear interpolation). */
  readonly hd95: number;
  /** medpy / nnU-Net v1: 95th percentile of both directions' distances pooled. */
  readonly hd95_pooled: number;
  /** Mean of all distances of both directions pooled together (MONAI's symmetric ASSD). */
  readonly assd: number;
}

/** One class of one case: the metrics plus the voxel counts that pooled Dice needs. */
export interface ClassMetrics extends SurfaceMetrics {
  readonly dice: number;
  readonly iou: number;
  readonly pred_voxels: number;
  readonly gt_voxels: number;
  readonly overlap_voxels: number;
}

/** One case: class label (as a string key, like JSON) -> metrics. */
export type CaseMetrics = Readonly<Record<string, ClassMetrics>>;

export type MetricCounts = Readonly<Record<MetricName, number>>;

/** Means over cases of one class: each metric averaged over the cases where it is finite. */
export interface MeanMetrics extends Readonly<Record<MetricName, number>> {
  /** Per metric: how many cases had a finite value (the mean's denominator). */
  readonly n: MetricCounts;
  /** Per metric: how many cases had an infinite value (left out of the mean). */
  readonly n_inf: MetricCounts;
}

export interface AggregateResult {
  /** Number of cases aggregated. */
  readonly cases: number;
  /** Per class: means over cases, skipping undefined (NaN) and infinite values. */
  readonly mean: Readonly<Record<string, MeanMetrics>>;
  /** Per class: Dice over all voxels of all cases, 2 Σ|P∩G| / (Σ|P| + Σ|G|) (TransSeg). */
  readonly pooled_dice: Readonly<Record<string, number>>;
}
