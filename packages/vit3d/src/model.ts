import * as tf from "@tensorflow/tfjs";
import { writeSafetensors, type TensorMap } from "@transseg/weights";
import { encoderGrid, type EncoderKind, relativePositionIndex, type SegConfig } from "@transseg/model";
import type { BatchStatisticsCallback, Decoder, DecoderContext, DecoderForwardOptions } from "./decoders/decoder.js";
import { biasTensors, encoderForward, type EncoderRuntime } from "./encoder/encoder.js";
import type { ParamStore } from "./params.js";

export interface ForwardOptions {
  /** Training mode (BatchNorm batch statistics, dropout). Default false. */
  readonly training?: boolean;
  /**
   * Training mode: each BatchNorm layer's batch statistics, once per forward, with the layer's
   * full name (e.g. `decoder.fpn1.1`); see `BatchStatisticsCallback`. The model never updates
   * its running statistics itself (`updateRunningStatistics` in `train/` does).
   */
  readonly onBatchStatistics?: BatchStatisticsCallback;
  /** Training mode: seed of the forward's dropout masks (same seed, same masks); omitted = unseeded. */
  readonly seed?: number;
}

export interface ForwardResult {
  /** `[B, classes, H, W]`. */
  readonly logits: tf.Tensor4D;
  /** Token features `[B, T, dim]` (cls removed) of the blocks in `layers`, same order. */
  readonly features: tf.Tensor3D[];
  readonly layers: readonly number[];
}

/**
 * A segmentation model: encoder (`encoder.*`) + decoder (`decoder.*`) parameters held as
 * tf.Variables (BatchNorm running statistics as non-trainable variables). Build it with
 * `loadSegmentationModel` or `createSegmentationModel`; call `dispose()` when done.
 */
export class SegmentationModel {
  readonly #rt: EncoderRuntime;
  readonly #ctx: DecoderContext;

  constructor(
    readonly config: SegConfig,
    readonly encoderKind: EncoderKind,
    readonly decoder: Decoder,
    readonly params: ParamStore,
  ) {
    const grid = encoderGrid(config.encoder);
    const relativeIndex = encoderKind.relativePosition ? tf.tensor1d(relativePositionIndex(grid), "int32") : null;
    this.#rt = { config: config.encoder, kind: encoderKind, relativeIndex, biasCache: new Map() };
    this.#ctx = { encoder: config.encoder, config: config.decoder, classes: config.classes, grid: [grid[1], grid[2]] };
  }

  /** Token grid `[Gd, Gh, Gw]`. */
  get grid(): [number, number, number] {
    return encoderGrid(this.config.encoder);
  }

  #check(x: tf.Tensor): void {
    const e = this.config.encoder;
    const want = `[B, ${e.in_channels}, ${e.force_2d ? `${e.window} or 1` : e.window}, ${e.img[0]}, ${e.img[1]}]`;
    const [, c, d, h, w] = x.shape;
    const depthOk = e.force_2d ? d === e.window || d === 1 : d === e.window;
    if (x.rank !== 5 || c !== e.in_channels || !depthOk || h !== e.img[0] || w !== e.img[1]) {
      throw new Error(`model input has shape [${x.shape.join(", ")}], expected ${want}`);
    }
  }

  /** Encoder token features `[B, T, dim]` (cls removed) of `layers` (default: every block). */
  encode(x: tf.Tensor5D, layers?: readonly number[]): tf.Tensor3D[] {
    this.#check(x);
    const keep = layers ?? Array.from({ length: this.config.encoder.depth }, (_, i) => i);
    return tf.tidy(() => encoderForward(x, this.params.getter("encoder."), this.#rt, keep));
  }

  /** Logits `[B, classes, H, W]` for the centre slice of each window. */
  forward(x: tf.Tensor5D, options: ForwardOptions = {}): tf.Tensor4D {
    this.#check(x);
    const layers = this.decoder.layers(this.#ctx);
    return tf.tidy(() => {
      const feats = encoderForward(x, this.params.getter("encoder."), this.#rt, layers);
      return tf.transpose(this.decodeTokens(feats, options), [0, 3, 1, 2]) as tf.Tensor4D;
    });
  }

  /** Logits plus the features the decoder consumed (the caller disposes all of them). */
  forwardWithFeatures(x: tf.Tensor5D, options: ForwardOptions = {}): ForwardResult {
    this.#check(x);
    const layers = this.decoder.layers(this.#ctx);
    const { logits, features } = tf.tidy(() => {
      const feats = encoderForward(x, this.params.getter("encoder."), this.#rt, layers);
      return { logits: tf.transpose(this.decodeTokens(feats, options), [0, 3, 1, 2]) as tf.Tensor4D, features: feats };
    });
    return { logits, features, layers };
  }

  /**
   * Decoder on encoder token features `[B, Gd·Gh·Gw, dim]` → NHWC logits `[B, H, W, classes]`
   * (for losses that want channels last). With several depth tokens (Gd > 1) the 2D heads see
   * the mean over depth; `volumetric` heads get the depth tokens folded into rows,
   * `[B, Gd·Gh, Gw, dim]`. Runs inside the caller's tidy.
   */
  decodeTokens(features: readonly tf.Tensor3D[], options: ForwardOptions = {}): tf.Tensor4D {
    const [gd, gh, gw] = this.grid;
    const dim = this.config.encoder.dim;
    const maps = features.map((f) => {
      const b = f.shape[0];
      if (gd === 1 || this.decoder.volumetric) return f.reshape([b, gd * gh, gw, dim]) as tf.Tensor4D;
      return tf.mean(f.reshape([b, gd, gh, gw, dim]), 1) as tf.Tensor4D;
    });
    const report = options.onBatchStatistics;
    const mode: DecoderForwardOptions = {
      training: options.training ?? false,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(report ? { onBatchStatistics: (layer, mean, variance, count) => report(`decoder.${layer}`, mean, variance, count) } : {}),
    };
    return this.decoder.forward(maps, this.params.getter("decoder."), this.#ctx, mode);
  }

  /** Trainable variables (BatchNorm running statistics excluded). */
  trainableVariables(): tf.Variable[] {
    return this.params.trainableVariables();
  }

  /** All tensors in PyTorch layouts under `transseg-seg/1` names. */
  toTensorMap(): TensorMap {
    return this.params.toTensorMap();
  }

  /** The `__metadata__` of a `transseg-seg/1` file. */
  metadata(): Record<string, string> {
    return { transseg: JSON.stringify(this.config) };
  }

  /** Writes a `transseg-seg/1` safetensors file atomically. */
  saveCheckpoint(path: string): void {
    writeSafetensors(path, this.toTensorMap(), { metadata: this.metadata() });
  }

  dispose(): void {
    this.#rt.relativeIndex?.dispose();
    for (const c of this.#rt.biasCache.values()) tf.dispose(biasTensors(c.bias));
    this.#rt.biasCache.clear();
    this.params.dispose();
  }
}
