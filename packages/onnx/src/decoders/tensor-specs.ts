import type { Decoder, DecoderContext } from "../../decoders/decoder.js";
import type { TensorSpec } from "../tensors.js";

/**
 * The checkpoint tensors of a head, with the `decoder.` prefix and PyTorch shapes, read off the
 * TensorFlow.js head's `params` (one list for both engines: the export reads what training writes).
 */
export function decoderTensorSpecs(decoder: Decoder, ctx: DecoderContext): TensorSpec[] {
  return decoder.params(ctx).map((s) => ({ name: `decoder.${s.name}`, shape: [...s.shape] }));
}
