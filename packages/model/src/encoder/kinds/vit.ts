import type { EncoderKind } from "../encoder-kind.js";

export const vitEncoder = {
  id: "vit",
  description: "ViT / DeiT / DINO (timm): cls token, absolute pos_embed, qkv bias, no layer scale",
  absolutePosition: true,
  relativePosition: false,
  qkvBias: "full",
  layerScale: false,
} as const satisfies EncoderKind;
