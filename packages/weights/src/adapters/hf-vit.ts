/**
 * Hugging Face transformers ViTModel / ViTForImageClassification (with or without the `vit.`
 * prefix): separate query/key/value Linear layers are fused into `qkv.weight` / `qkv.bias` in
 * q, k, v order; `attention.output.dense` -> `attn.proj`, `intermediate.dense` -> `mlp.fc1`,
 * `output.dense` -> `mlp.fc2`, `layernorm_before/after` -> `norm1/norm2`, `layernorm` -> `norm`,
 * `classifier` -> `head`. Dropped: ViTModel's `pooler.dense` (a tanh pooler the canonical
 * layout has no place for) and `embeddings.mask_token` (masked image modelling only).
 */
import type { SourceAdapter } from "../adapter.js";
import { hasHfBeitSigns, hfCommonRule, looksLikeHfEncoder } from "./hf-common.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";

const PREFIX = /^vit\./;
const QKV = { query: 0, key: 1, value: 2 } as const;

const rule: RuleFn = (key) => {
  const k = key.replace(PREFIX, "");
  if (k.startsWith("pooler.dense.")) return { drop: true };
  const bias = /^encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)\.bias$/.exec(k);
  if (bias) return { fuse: `blocks.${bias[1]}.attn.qkv.bias`, part: QKV[bias[2] as keyof typeof QKV], parts: 3 };
  return hfCommonRule(k);
};

export const hfVitAdapter = {
  id: "hf-vit",
  description: "Hugging Face transformers ViTModel / ViTForImageClassification (q, k, v fused into qkv)",
  detect: (keys: readonly string[]) => fitsRules(keys, rule, (ks) => looksLikeHfEncoder(ks, PREFIX) && !hasHfBeitSigns(ks)),
  toCanonical: (map) => applyRules("hf-vit", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
