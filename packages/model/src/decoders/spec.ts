import type { DecoderConfig, EncoderConfig, ModelEncoderConfig } from "../config.js";
import type { ParamSpec } from "../param-spec.js";

/**
 * What a decoder knows about the model it sits on. `E` is the encoder section the head takes:
 * ViT/BEiT heads see `EncoderConfig` (their `normalize` refuses a hierarchical encoder), Swin
 * heads `SwinEncoderConfig`.
 */
export interface DecoderContext<E extends ModelEncoderConfig = EncoderConfig> {
  readonly encoder: E;
  /** The decoder section of the config, already passed through `normalize`. */
  readonly config: DecoderConfig;
  readonly classes: number;
  /** In-plane token grid `[Gh, Gw]` (a Swin: the first stage's map). */
  readonly grid: readonly [number, number];
}

/**
 * The engine-free half of a segmentation head: its options, validation, the encoder blocks it
 * reads and its tensors. One file each under `decoders/`, collected in `builtinDecoderSpecs`;
 * the TensorFlow.js head (`@transseg/vit3d`) adds `forward`, the ONNX head (`@transseg/onnx`)
 * adds `build`, so both engines read the same tensors and refuse the same configurations.
 */
export interface DecoderSpec {
  readonly id: string;
  readonly description: string;
  /**
   * True for a head that needs the depth tokens (e.g. `unetr`): it then receives the feature
   * maps with depth kept instead of the mean over depth that 2D heads see. Same thing when Gd = 1.
   */
  readonly volumetric?: boolean;
  /**
   * The decoder-section keys the head reads besides `kind` (e.g. `["channels", "layer_idxs"]`), so
   * that front ends (the trainer, the CLI) refuse an option that does not apply to it before
   * anything runs; omitted = not declared (every option is passed through).
   */
  readonly options?: readonly string[];
  /** True for a head on the four Swin stage maps (`upernet-swint`); otherwise it takes ViT/BEiT token maps. */
  readonly hierarchical?: boolean;
  /** Fills defaults and validates the decoder section (a ViT head refuses a Swin encoder, and back); throws a one-line Error. */
  normalize(config: DecoderConfig, encoder: ModelEncoderConfig): DecoderConfig;
  /** Encoder blocks (Swin: stages) whose features the head consumes, in the order it receives them. */
  layers(ctx: DecoderContext<ModelEncoderConfig>): number[];
  /** Its tensors (names relative to `decoder.`, PyTorch shapes and layouts, fresh initialisation). */
  params(ctx: DecoderContext<ModelEncoderConfig>): ParamSpec[];
}
