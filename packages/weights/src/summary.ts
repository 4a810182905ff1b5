/** Parameter counts and a JSON-friendly summary of a checkpoint (`transseg inspect --json`). */
import type { AdapterRegistry } from "./adapters/canonicalize.js";
import { builtinAdapters } from "./adapters/index.js";
import { inferSwinConfig, SWIN_LAYOUTS, type SwinShapeInfo } from "./adapters/swin-config.js";
import type { Checkpoint } from "./format.js";
import { numel, type DType, type TensorMap } from "./tensor.js";

const FLOATING: ReadonlySet<DType> = new Set<DType>(["F64", "F32", "F16", "BF16"]);

/** Sum of the element counts of the floating-point tensors (integer buffers are not parameters). */
export function countParameters(map: TensorMap): number {
  let n = 0;
  for (const t of map.values()) if (FLOATING.has(t.dtype)) n += numel(t.shape);
  return n;
}

export interface CheckpointSummary {
  format: string;
  /** The detected source layout, or null when none fits. */
  layout: string | null;
  parameters: number;
  tensors: { name: string; dtype: DType; shape: number[] }[];
  /** For a Swin layout: the architecture read from the shapes (`inferSwinConfig`). */
  encoder?: SwinShapeInfo;
  /** For a Swin layout whose shapes do not add up: why (one line). */
  encoder_problem?: string;
}

export interface SummarizeOptions {
  adapters?: AdapterRegistry;
}

/** Format, detected layout, parameter count and the tensors (in file order); reads no values. */
export function summarize(checkpoint: Checkpoint, options: SummarizeOptions = {}): CheckpointSummary {
  const keys = [...checkpoint.tensors.keys()];
  const adapter = Object.values(options.adapters ?? builtinAdapters).find((a) => a.detect(keys));
  const layout = adapter?.id ?? null;
  let swin: Pick<CheckpointSummary, "encoder" | "encoder_problem"> = {};
  if (adapter && SWIN_LAYOUTS.has(adapter.id)) {
    try {
      swin = { encoder: inferSwinConfig(adapter.toCanonical(checkpoint.tensors), adapter.id) };
    } catch (e) {
      swin = { encoder_problem: (e as Error).message };
    }
  }
  return {
    format: checkpoint.format,
    layout,
    parameters: countParameters(checkpoint.tensors),
    tensors: [...checkpoint.tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
    ...swin,
  };
}
