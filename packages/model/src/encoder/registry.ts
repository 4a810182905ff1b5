import type { EncoderKind } from "./encoder-kind.js";
import { beitEncoder } from "./kinds/beit.js";
import { vitEncoder } from "./kinds/vit.js";

/** Built-in encoder kinds; pass your own map (spread this one) to add kinds. */
export const builtinEncoders = Object.freeze({
  beit: beitEncoder,
  vit: vitEncoder,
}) satisfies Readonly<Record<string, EncoderKind>>;
