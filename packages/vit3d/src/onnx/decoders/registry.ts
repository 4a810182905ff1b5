import type { OnnxDecoder } from "../decoder.js";
import { upernetOnnxDecoder } from "./upernet.js";

/** Decoders the ONNX export knows; pass your own map (spread this one) to add more. */
export const builtinOnnxDecoders = Object.freeze({
  upernet: upernetOnnxDecoder,
}) satisfies Readonly<Record<string, OnnxDecoder>>;
