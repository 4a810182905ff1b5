import type { OnnxDecoder } from "../decoder.js";
import { convtransOnnxDecoder } from "./convtrans.js";
import { setrPupOnnxDecoder } from "./setr-pup.js";
import { unetrOnnxDecoder } from "./unetr.js";
import { upernetOnnxDecoder } from "./upernet.js";
import { upernetSwintOnnxDecoder } from "./upernet-swint.js";

/** Decoders the ONNX export knows; pass your own map (spread this one) to add more. */
export const builtinOnnxDecoders = Object.freeze({
  upernet: upernetOnnxDecoder,
  "setr-pup": setrPupOnnxDecoder,
  convtrans: convtransOnnxDecoder,
  unetr: unetrOnnxDecoder,
  "upernet-swint": upernetSwintOnnxDecoder,
}) satisfies Readonly<Record<string, OnnxDecoder>>;
