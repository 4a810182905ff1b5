/**
 * Hugging Face transformers BeitModel / BeitForImageClassification / BeitForMaskedImageModeling
 * (with or without the `beit.` prefix): query/key/value weights fused into `qkv.weight`; the
 * query and value biases become `q_bias` / `v_bias` (BEiT's key has no bias); `lambda_1/2` ->
 * `gamma_1/2`; per-layer `relative_position_bias.relative_position_bias_table` ->
 * `blocks.N.attn.relative_position_bias_table`, a shared `encoder.relative_position_bias` ->
 * `rel_pos_bias`; `pooler.layernorm` -> `fc_norm`; the rest as for ViT.
 * Dropped: `relative_position_index` buffers, `embeddings.mask_token`, `lm_head.*`.
 */
import type { SourceAdapter } from "../adapter.js";
import { hasHfBeitSigns, hfCommonRule, looksLikeHfEncoder } from "./hf-common.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";

const PREFIX = /^beit\./;

const rule: RuleFn = (key) => {
  const k = key.replace(PREFIX, "");
  if (/(^|\.)relative_position_index$/.test(k) || k.startsWith("lm_head.")) return { drop: true };
  if (k === "encoder.relative_position_bias.relative_position_bias_table") return { to: "rel_pos_bias.relative_position_bias_table" };
  const pool = /^pooler\.layernorm\.(weight|bias)$/.exec(k);
  if (pool) return { to: `fc_norm.${pool[1]}` };
  const m = /^encoder\.layer\.(\d+)\.(.+)$/.exec(k);
  if (m) {
    const [, n, rest] = m as unknown as [string, string, string];
    if (rest === "attention.attention.query.bias") return { to: `blocks.${n}.attn.q_bias` };
    if (rest === "attention.attention.value.bias") return { to: `blocks.${n}.attn.v_bias` };
    if (rest === "attention.attention.relative_position_bias.relative_position_bias_table") return { to: `blocks.${n}.attn.relative_position_bias_table` };
    const ls = /^lambda_([12])$/.exec(rest);
    if (ls) return { to: `blocks.${n}.gamma_${ls[1]}` };
  }
  return hfCommonRule(k);
};

export const hfBeitAdapter = {
  id: "hf-beit",
  description: "Hugging Face transformers BeitModel / BeitForImageClassification (qkv fused, q_bias / v_bias, lambda -> gamma)",
  detect: (keys: readonly string[]) => fitsRules(keys, rule, (ks) => looksLikeHfEncoder(ks, PREFIX) && hasHfBeitSigns(ks)),
  toCanonical: (map) => applyRules("hf-beit", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
