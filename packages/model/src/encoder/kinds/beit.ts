import type { EncoderKind } from "../encoder-kind.js";

export const beitEncoder = {
  id: "beit",
  description: "BEiT (unilm): cls token, per-block relative position bias, q/v biases, layer scale",
  absolutePosition: false,
  relativePosition: true,
  qkvBias: "qv",
  layerScale: true,
} as const satisfies EncoderKind;
