import { convtransDecoder } from "./convtrans.js";
import type { Decoder } from "./decoder.js";
import { setrPupDecoder } from "./setr-pup.js";
import { unetrDecoder } from "./unetr.js";
import { upernetDecoder } from "./upernet.js";
import { upernetSwintDecoder } from "./upernet-swint.js";

/** Built-in segmentation heads; pass your own map (spread this one) to add heads. */
export const builtinDecoders = Object.freeze({
  upernet: upernetDecoder,
  "setr-pup": setrPupDecoder,
  convtrans: convtransDecoder,
  unetr: unetrDecoder,
  "upernet-swint": upernetSwintDecoder,
}) satisfies Readonly<Record<string, Decoder>>;
