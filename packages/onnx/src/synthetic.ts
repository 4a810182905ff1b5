import { numel, type Checkpoint, type TensorEntry } from "@transseg/weights";
import { hashSeed, mulberry32, normalSamples, type SegConfigInput } from "@transseg/model";
import { planOnnxModel, type ExportOnnxOptions } from "./export.js";
import type { TensorSpec } from "./tensors.js";

/**
 * Deterministic non-trivial values for one tensor (the PyTorch reference's `randomize_` rules):
 * BatchNorm variance 0.5 + U(0, 1), mean 0.1·N(0, 1); norm / BatchNorm / layer-scale weights
 * 1 + 0.1·N(0, 1); everything else N(0, 1) / √fan_in.
 */
function syntheticValues(spec: TensorSpec, seed: number): Float32Array {
  const rand = mulberry32(hashSeed(seed, spec.name));
  const n = numel(spec.shape);
  const { name, shape } = spec;
  if (name.endsWith("running_var")) return Float32Array.from({ length: n }, () => 0.5 + rand());
  const z = normalSamples(n, rand);
  if (name.endsWith("running_mean")) return z.map((v) => 0.1 * v);
  const unitScale = /gamma_[12]$/.test(name) || (shape.length === 1 && (/norm/.test(name) || /\.bn\./.test(name) || /\.1\.weight$/.test(name)));
  if (unitScale) return z.map((v) => 1 + 0.1 * v);
  const fan = shape.length > 1 ? n / shape[0]! : n;
  const s = 1 / Math.sqrt(Math.max(fan, 1));
  return z.map((v) => v * s);
}

/**
 * A random `transseg-seg/1` checkpoint for any config (every tensor the model reads, PyTorch
 * shapes, config in `metadata.transseg`), the same for the same seed. Entries are lazy: values
 * are generated when read, so a BEiT-base model costs no memory until it is exported.
 */
export function syntheticCheckpoint(config: SegConfigInput, seed = 0, options: Pick<ExportOnnxOptions, "encoders" | "decoders"> = {}): Checkpoint {
  const plan = planOnnxModel(config, options);
  const tensors = new Map<string, TensorEntry>();
  for (const spec of plan.tensors) {
    const shape = Object.freeze([...spec.shape]);
    tensors.set(spec.name, { dtype: "F32", shape, read: () => syntheticValues(spec, seed) });
  }
  return { format: "synthetic", tensors, metadata: { transseg: JSON.stringify(plan.config) } };
}
