import type * as tf from "@tensorflow/tfjs";
import type { DecoderContext, DecoderSpec, ModelEncoderConfig } from "@transseg/model";
import type { ParamGetter } from "../params.js";

export type { DecoderContext } from "@transseg/model";

/**
 * Receives the batch statistics of a BatchNorm layer in a training forward: `layer` names it
 * (e.g. `fpn1.1`, `lateral_convs.0.bn`: its tensors are `<layer>.weight`, `<layer>.running_mean`,
 * …), `mean` and `variance` (biased, over N·H·W) are `[channels]` tensors valid during the call
 * only (inside the forward's tidy: read or assign them, do not keep them), `count` = N·H·W.
 */
export type BatchStatisticsCallback = (layer: string, mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;

export interface DecoderForwardOptions {
  /** Training mode: batch statistics in BatchNorm, dropout where the head has it. */
  readonly training: boolean;
  /**
   * Training mode: called once per BatchNorm layer and forward with its batch statistics (the
   * model does not update its running statistics itself; a trainer does, PyTorch's way).
   */
  readonly onBatchStatistics?: BatchStatisticsCallback;
  /**
   * Training mode: seed of this forward's random masks (dropout), so a step can be replayed
   * exactly; a head with several random layers derives one seed per layer from it. Omitted:
   * unseeded (TensorFlow.js's global generator).
   */
  readonly seed?: number;
}

/**
 * A segmentation head on TensorFlow.js: one file each under `decoders/`, registered in
 * `builtinDecoders`. Its engine-free half (`DecoderSpec` of `@transseg/model`: options,
 * `normalize`, `layers`, `params` — names relative to `decoder.`, PyTorch shapes and layouts,
 * fresh initialisation) is shared with the ONNX export; `forward` is differentiable.
 * A `volumetric` head's `forward` receives `[B, Gd·Gh, Gw, dim]` (depth folded into rows,
 * tokens in (d, h, w) order) instead of the mean over depth `[B, Gh, Gw, dim]`.
 */
export interface Decoder extends DecoderSpec {
  /**
   * `features[i]`: NHWC `[B, Gh, Gw, dim]` of block `layers(ctx)[i]` (`[B, Gd·Gh, Gw, dim]` for a
   * `volumetric` head). Returns NHWC logits
   * `[B, H, W, classes]` at the encoder's `img` size. Runs inside the caller's tidy.
   */
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext<ModelEncoderConfig>, options: DecoderForwardOptions): tf.Tensor4D;
}
