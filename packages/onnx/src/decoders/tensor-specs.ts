import type { DecoderContext, DecoderSpec } from "@transseg/model";
import type { TensorSpec } from "../tensors.js";

/**
 * The checkpoint tensors of a head, with the `decoder.` prefix and PyTorch shapes, read off the
 * head's `DecoderSpec.params` in `@transseg/model` (one list for both engines: the export reads what training writes).
 */
export function decoderTensorSpecs(decoder: DecoderSpec, ctx: DecoderContext): TensorSpec[] {
  return decoder.params(ctx).map((s) => ({ name: `decoder.${s.name}`, shape: [...s.shape] }));
}
