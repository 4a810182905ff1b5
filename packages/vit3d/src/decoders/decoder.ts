import type * as tf from "@tensorflow/tfjs";
import type { DecoderConfig, EncoderConfig } from "../config.js";
import type { ParamGetter, ParamSpec } from "../params.js";

/** What a decoder knows about the model it sits on. */
export interface DecoderContext {
  readonly encoder: EncoderConfig;
  /** The decoder section of the config, already passed through `normalize`. */
  readonly config: DecoderConfig;
  readonly classes: number;
  /** In-plane token grid `[Gh, Gw]`. */
  readonly grid: readonly [number, number];
}

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
 * A segmentation head: one file each under `decoders/`, registered in `builtinDecoders`.
 * The same object serves inference and training: `params` lists the tensors (names relative to
 * `decoder.`, PyTorch shapes and layouts, fresh initialisation), `forward` is differentiable.
 */
export interface Decoder {
  readonly id: string;
  readonly description: string;
  /**
   * True for a head that needs the depth tokens (e.g. `unetr`): `forward` then receives
   * `[B, Gd·Gh, Gw, dim]` (depth folded into rows, tokens in (d, h, w) order) instead of the
   * mean over depth `[B, Gh, Gw, dim]` that 2D heads see. Same thing when Gd = 1.
   */
  readonly volumetric?: boolean;
  /**
   * The decoder-section keys the head reads besides `kind` (e.g. `["channels", "layer_idxs"]`), so
   * that front ends (the trainer, the CLI) refuse an option that does not apply to it before
   * anything runs; omitted = not declared (every option is passed through).
   */
  readonly options?: readonly string[];
  /** Fills defaults and validates the decoder section; throws a one-line Error. */
  normalize(config: DecoderConfig, encoder: EncoderConfig): DecoderConfig;
  /** Encoder blocks whose features the head consumes, in the order `forward` receives them. */
  layers(ctx: DecoderContext): number[];
  params(ctx: DecoderContext): ParamSpec[];
  /**
   * `features[i]`: NHWC `[B, Gh, Gw, dim]` of block `layers(ctx)[i]` (`[B, Gd·Gh, Gw, dim]` for a
   * `volumetric` head). Returns NHWC logits
   * `[B, H, W, classes]` at the encoder's `img` size. Runs inside the caller's tidy.
   */
  forward(features: readonly tf.Tensor4D[], p: ParamGetter, ctx: DecoderContext, options: DecoderForwardOptions): tf.Tensor4D;
}
