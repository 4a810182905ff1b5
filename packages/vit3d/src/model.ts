import * as tf from "@tensorflow/tfjs";
import { writeSafetensors, type TensorMap } from "@transseg/weights";
import { encoderGrid, type EncoderConfig, type EncoderKind, isSwinConfig, type ModelEncoderConfig, relativePositionIndex, type SegConfig, type SwinEncoderConfig, swinStageDims, swinStageGrids, swinTokenGrid } from "@transseg/model";
import type { BatchStatisticsCallback, Decoder, DecoderContext, DecoderForwardOptions } from "./decoders/decoder.js";
import { biasTensors, encoderForward, type EncoderRuntime } from "./encoder/encoder.js";
import { swinForward } from "./encoder/swin/forward.js";
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
  /** Token features `[B, T, dim]` (cls removed) of the blocks in `layers`, same order (Swin: stage maps `[B, Hs·Ws, Cs]` of the stages in `layers`). */
  readonly features: tf.Tensor3D[];
  readonly layers: readonly number[];
}

/**
 * A segmentation model: encoder (`encoder.*`) + decoder (`decoder.*`) parameters held as
 * tf.Variables (BatchNorm running statistics as non-trainable variables). Build it with
 * `loadSegmentationModel` or `createSegmentationModel`; call `dispose()` when done.
 */
export class SegmentationModel {
  /** The ViT/BEiT encoder's runtime (null for a Swin). */
  readonly #rt: EncoderRuntime | null;
  /** The Swin / Video Swin encoder section (null for a ViT/BEiT). */
  readonly #swin: SwinEncoderConfig | null;
  readonly #ctx: DecoderContext<ModelEncoderConfig>;

  /** `encoderKind`: the ViT/BEiT kind; null for the hierarchical Swin kinds, which the config's `encoder.kind` names. */
  constructor(
    readonly config: SegConfig,
    readonly encoderKind: EncoderKind | null,
    readonly decoder: Decoder,
    readonly params: ParamStore,
  ) {
    const e = config.encoder;
    if (isSwinConfig(e)) {
      this.#swin = e;
      this.#rt = null;
    } else {
      if (!encoderKind) throw new Error(`encoder kind "${e.kind}" needs its EncoderKind`);
      const relativeIndex = encoderKind.relativePosition ? tf.tensor1d(relativePositionIndex(encoderGrid(e)), "int32") : null;
      this.#swin = null;
      this.#rt = { config: e, kind: encoderKind, relativeIndex, biasCache: new Map() };
    }
    const grid = this.grid;
    this.#ctx = { encoder: e, config: config.decoder, classes: config.classes, grid: [grid[1], grid[2]] };
  }

  /** Token grid `[Gd, Gh, Gw]` (a Swin: the patch embedding's map, before the stages). */
  get grid(): [number, number, number] {
    const e = this.config.encoder;
    return isSwinConfig(e) ? swinTokenGrid(e) : encoderGrid(e);
  }

  /** True for a hierarchical (Swin / Video Swin) encoder, whose features are four stage maps. */
  get hierarchical(): boolean {
    return this.#swin !== null;
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

  /**
   * Encoder token features `[B, T, dim]` (cls removed) of `layers` (default: every block). A Swin
   * gives its stage outputs (stage norms applied; `swin3d` at the centre depth) as `[B, Hs·Ws, Cs]`
   * of the stages in `layers` (default: all four); `options.training` / `seed` drive its drop path.
   */
  encode(x: tf.Tensor5D, layers?: readonly number[], options: ForwardOptions = {}): tf.Tensor3D[] {
    this.#check(x);
    return tf.tidy(() => this.#encode(x, layers, options));
  }

  #encode(x: tf.Tensor5D, layers: readonly number[] | undefined, options: ForwardOptions): tf.Tensor3D[] {
    if (this.#swin) {
      const stages = swinForward(x, this.params.getter("encoder."), this.#swin, { training: options.training ?? false, ...(options.seed === undefined ? {} : { seed: options.seed }) });
      const keep = layers ?? stages.map((_, i) => i);
      return keep.map((i) => {
        const m = stages[i]!;
        return m.reshape([m.shape[0], m.shape[1] * m.shape[2], m.shape[3]]) as tf.Tensor3D;
      });
    }
    const rt = this.#rt!;
    const keep = layers ?? Array.from({ length: rt.config.depth }, (_, i) => i);
    return encoderForward(x, this.params.getter("encoder."), rt, keep);
  }

  /** Logits `[B, classes, H, W]` for the centre slice of each window. */
  forward(x: tf.Tensor5D, options: ForwardOptions = {}): tf.Tensor4D {
    this.#check(x);
    const layers = this.decoder.layers(this.#ctx);
    return tf.tidy(() => {
      const feats = this.#encode(x, layers, options);
      return tf.transpose(this.decodeTokens(feats, options), [0, 3, 1, 2]) as tf.Tensor4D;
    });
  }

  /** Logits plus the features the decoder consumed (the caller disposes all of them). */
  forwardWithFeatures(x: tf.Tensor5D, options: ForwardOptions = {}): ForwardResult {
    this.#check(x);
    const layers = this.decoder.layers(this.#ctx);
    const { logits, features } = tf.tidy(() => {
      const feats = this.#encode(x, layers, options);
      return { logits: tf.transpose(this.decodeTokens(feats, options), [0, 3, 1, 2]) as tf.Tensor4D, features: feats };
    });
    return { logits, features, layers };
  }

  /**
   * Decoder on encoder token features `[B, Gd·Gh·Gw, dim]` → NHWC logits `[B, H, W, classes]`
   * (for losses that want channels last). With several depth tokens (Gd > 1) the 2D heads see
   * the mean over depth; `volumetric` heads get the depth tokens folded into rows,
   * `[B, Gd·Gh, Gw, dim]`. A Swin's features are its stage maps `[B, Hs·Ws, Cs]` (of the stages
   * the decoder's `layers` lists), reshaped to `[B, Hs, Ws, Cs]`. Runs inside the caller's tidy.
   */
  decodeTokens(features: readonly tf.Tensor3D[], options: ForwardOptions = {}): tf.Tensor4D {
    const maps = this.#swin ? this.#swinMaps(features, this.#swin) : this.#tokenMaps(features, this.config.encoder as EncoderConfig);
    const report = options.onBatchStatistics;
    const mode: DecoderForwardOptions = {
      training: options.training ?? false,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(report ? { onBatchStatistics: (layer, mean, variance, count) => report(`decoder.${layer}`, mean, variance, count) } : {}),
    };
    return this.decoder.forward(maps, this.params.getter("decoder."), this.#ctx, mode);
  }

  #tokenMaps(features: readonly tf.Tensor3D[], e: EncoderConfig): tf.Tensor4D[] {
    const [gd, gh, gw] = this.grid;
    return features.map((f) => {
      const b = f.shape[0];
      if (gd === 1 || this.decoder.volumetric) return f.reshape([b, gd * gh, gw, e.dim]) as tf.Tensor4D;
      return tf.mean(f.reshape([b, gd, gh, gw, e.dim]), 1) as tf.Tensor4D;
    });
  }

  #swinMaps(features: readonly tf.Tensor3D[], e: SwinEncoderConfig): tf.Tensor4D[] {
    const grids = swinStageGrids(e);
    const dims = swinStageDims(e);
    const stages = this.decoder.layers(this.#ctx);
    return features.map((f, i) => {
      const s = stages[i]!;
      return f.reshape([f.shape[0], grids[s]![0], grids[s]![1], dims[s]!]) as tf.Tensor4D;
    });
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
    if (this.#rt) {
      this.#rt.relativeIndex?.dispose();
      for (const c of this.#rt.biasCache.values()) tf.dispose(biasTensors(c.bias));
      this.#rt.biasCache.clear();
    }
    this.params.dispose();
  }
}
