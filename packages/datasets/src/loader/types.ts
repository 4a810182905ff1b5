import type { AugmentationSpec } from "../transforms/transseg.js";

/** A labelled case: paths of a NIfTI image (3D, or 4D channels-last) and its label map. */
export interface LoaderCase {
  readonly image: string;
  readonly label: string;
  readonly id?: string;
}

/** What a worker needs to turn (case, seed) into a training sample. Plain data (structured-cloned). */
export interface SampleConfig {
  readonly cases: readonly LoaderCase[];
  readonly clip: readonly [number, number] | null;
  readonly channels: number;
  readonly window: number;
  readonly img: readonly [number, number];
  readonly foregroundProbability: number;
  /** null = no augmentation. */
  readonly augment: Partial<AugmentationSpec> | null;
  /** Bytes of decoded volumes each worker keeps (least recently used evicted; at least one case). */
  readonly cacheBytes: number;
}

export interface SampleTask {
  readonly caseIndex: number;
  readonly seed: number;
}

export interface SampleResult {
  /** [C, window, H, W] */
  readonly image: Float32Array;
  /** [H, W], the window's centre slice. */
  readonly label: Int32Array;
  /** The slice the window is centred on (before augmentation). */
  readonly z: number;
}

export interface WindowBatch {
  /** Running batch number from 0. */
  readonly index: number;
  /** [B, C, D, H, W] */
  readonly image: Float32Array;
  /** [B, H, W]: the label of each window's centre slice. */
  readonly label: Int32Array;
  readonly shape: readonly [number, number, number, number, number];
  /** Case index (into `cases`) and centre slice of each window. */
  readonly cases: readonly number[];
  readonly slices: readonly number[];
}
