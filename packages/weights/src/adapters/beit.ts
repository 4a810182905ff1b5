/**
 * BEiT as unilm / TransSeg (and timm's `beit_*`) save it: canonical names with `q_bias` /
 * `v_bias`, per-block `relative_position_bias_table` or a shared
 * `rel_pos_bias.relative_position_bias_table`, layer scale `gamma_1` / `gamma_2`.
 * Dropped: `relative_position_index` buffers (rebuilt from the grid, never stored canonically),
 * and the pre-training-only `mask_token` and `lm_head.*`.
 */
import type { SourceAdapter } from "../adapter.js";
import { isBeitOnlyName, isVitCanonicalName } from "./canonical.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";

const rule: RuleFn = (key) => {
  if (/(^|\.)relative_position_index$/.test(key) || key === "mask_token" || key.startsWith("lm_head.")) return { drop: true };
  return isVitCanonicalName(key) ? { to: key } : undefined;
};

export const beitAdapter = {
  id: "beit",
  description: "BEiT (unilm / TransSeg / timm beit): q_bias, v_bias, relative position tables, gamma_1/gamma_2",
  detect: (keys: readonly string[]) => fitsRules(keys, rule, (ks) => ks.some((k) => isBeitOnlyName(k) && !/gamma_[12]$/.test(k))),
  toCanonical: (map) => applyRules("beit", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
