import { resolveId } from "@transseg/model";
import { builtinLosses } from "./registry.js";
import type { LossRegistry, SegLoss } from "./types.js";

/** The loss `id` of `registry` (default `builtinLosses`); unknown ids fail with "did you mean …". */
export function resolveLoss(id: string, registry: LossRegistry = builtinLosses): SegLoss {
  return resolveId("loss", id, registry);
}
