import type * as tf from "@tensorflow/tfjs";

/**
 * A segmentation loss: one file each under `train/losses/`, registered in `builtinLosses`.
 * `compute` takes channels-last logits `[B, H, W, K]` (what `SegmentationModel.decodeTokens`
 * returns; no transpose needed) and int32 class labels `[B, H, W]`, and returns a scalar. It runs
 * inside the caller's tidy and must be differentiable with respect to the logits.
 */
export interface SegLoss {
  readonly id: string;
  readonly description: string;
  compute(logits: tf.Tensor4D, target: tf.Tensor3D): tf.Scalar;
}

/** Plain immutable map of losses by id. */
export type LossRegistry = Readonly<Record<string, SegLoss>>;
