/**
 * An encoder kind: which of the ViT family's options a checkpoint uses. One file per kind
 * under `encoder/kinds/`; registries are plain maps (`builtinEncoders`).
 */
export interface EncoderKind {
  readonly id: string;
  readonly description: string;
  /** Absolute `pos_embed` added after the cls token is prepended. */
  readonly absolutePosition: boolean;
  /** Per-block `attn.relative_position_bias_table` (BEiT). */
  readonly relativePosition: boolean;
  /** `full`: `attn.qkv.bias`; `qv`: `attn.q_bias` + `attn.v_bias` (k bias zero, BEiT). */
  readonly qkvBias: "full" | "qv";
  /** `gamma_1` / `gamma_2` layer scale. */
  readonly layerScale: boolean;
}
