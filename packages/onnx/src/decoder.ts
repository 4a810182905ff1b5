import type { DecoderConfig, EncoderConfig, ModelEncoderConfig } from "@transseg/model";
import type { GraphBuilder } from "./graph-builder.js";
import type { TensorSource, TensorSpec } from "./tensors.js";

/** What a decoder sees while it is exported (`E`: ViT/BEiT heads see `EncoderConfig`, hierarchical heads a Swin's). */
export interface OnnxDecoderContext<E extends ModelEncoderConfig = EncoderConfig> {
  readonly g: GraphBuilder;
  readonly encoder: E;
  /** The decoder section, already passed through `normalize`. */
  readonly config: DecoderConfig;
  readonly classes: number;
  /** In-plane token grid `[Gh, Gw]`. */
  readonly grid: readonly [number, number];
  readonly tensors: TensorSource;
}

/**
 * A decoder that can be written as ONNX nodes: one file each under `onnx/decoders/`, collected
 * in `builtinOnnxDecoders`; pass your own map to `exportOnnx` to add one.
 */
export interface OnnxDecoder {
  readonly id: string;
  readonly description: string;
  /**
   * True for a head that needs the depth tokens (e.g. `unetr`): `build` then receives
   * `[B, dim, Gd, Gh, Gw]` feature maps instead of the mean over depth `[B, dim, Gh, Gw]`.
   */
  readonly volumetric?: boolean;
  /** True for a head on the four Swin stage maps (`upernet-swint`), which `build` receives as `[B, Cs, Hs, Ws]`. */
  readonly hierarchical?: boolean;
  /** Fills defaults and validates the decoder section; throws a one-line Error naming the field. */
  normalize(config: DecoderConfig, encoder: ModelEncoderConfig): DecoderConfig;
  /** Encoder blocks (Swin: stages) whose features it reads, in the order `build` receives them (`encoder` normalized). */
  layers(config: DecoderConfig, encoder: ModelEncoderConfig): readonly number[];
  /** Its tensors (with the `decoder.` prefix) and PyTorch shapes. */
  tensors(ctx: Omit<OnnxDecoderContext<ModelEncoderConfig>, "g" | "tensors">): TensorSpec[];
  /**
   * Adds the nodes from the `[B, dim, Gh, Gw]` feature maps (`[B, dim, Gd, Gh, Gw]` for a
   * `volumetric` head) to logits `[B, classes, H, W]`; returns the logits' name.
   */
  build(ctx: OnnxDecoderContext<ModelEncoderConfig>, features: readonly string[]): string;
}
