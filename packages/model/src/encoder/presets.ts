import type { EncoderConfigInput } from "../config.js";

/** An encoder size preset: the architecture fields of an encoder section (img / window are the user's). */
export interface EncoderPreset {
  readonly id: string;
  readonly description: string;
  readonly encoder: Pick<EncoderConfigInput, "kind" | "dim" | "depth" | "heads" | "mlp_ratio" | "patch">;
}

function preset(kind: "beit" | "vit", size: string, dim: number, depth: number, heads: number): EncoderPreset {
  return { id: `${kind}-${size}`, description: `${kind === "beit" ? "BEiT" : "ViT"}-${size} (dim ${dim}, depth ${depth}, heads ${heads}, patch 16)`, encoder: { kind, dim, depth, heads, mlp_ratio: 4, patch: 16 } };
}

/** Standard ViT/BEiT sizes. TransSeg uses `beit-base`. */
export const encoderPresets = Object.freeze({
  "beit-tiny": preset("beit", "tiny", 192, 12, 3),
  "beit-small": preset("beit", "small", 384, 12, 6),
  "beit-base": preset("beit", "base", 768, 12, 12),
  "beit-large": preset("beit", "large", 1024, 24, 16),
  "vit-tiny": preset("vit", "tiny", 192, 12, 3),
  "vit-small": preset("vit", "small", 384, 12, 6),
  "vit-base": preset("vit", "base", 768, 12, 12),
  "vit-large": preset("vit", "large", 1024, 24, 16),
}) satisfies Readonly<Record<string, EncoderPreset>>;
