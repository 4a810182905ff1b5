/**
 * Hugging Face transformers Swin (`SwinModel`, and `SwinForImageClassification` with its `swin.`
 * prefix and `classifier`): `embeddings.patch_embeddings.projection` / `embeddings.norm`, separate
 * `attention.self.query/key/value` fused into `attn.qkv` (q, k, v in that order), and the
 * `layernorm_before/after`, `attention.output.dense`, `intermediate.dense`, `output.dense` modules.
 * `encoder.layers.N.downsample` ends stage N, as Microsoft's. Index buffers and the mask token are dropped.
 */
import type { SourceAdapter } from "../adapter.js";
import { applyRules, fitsRules, unmapped, type KeyRule, type RuleFn } from "./rules.js";

const QKV = { query: 0, key: 1, value: 2 } as const;
const TOP: Record<string, string> = {
  "embeddings.patch_embeddings.projection.weight": "patch_embed.proj.weight",
  "embeddings.patch_embeddings.projection.bias": "patch_embed.proj.bias",
  "embeddings.norm.weight": "patch_embed.norm.weight",
  "embeddings.norm.bias": "patch_embed.norm.bias",
  "layernorm.weight": "norm.weight",
  "layernorm.bias": "norm.bias",
};
const BLOCK: Record<string, string> = {
  layernorm_before: "norm1",
  layernorm_after: "norm2",
  "attention.output.dense": "attn.proj",
  "intermediate.dense": "mlp.fc1",
  "output.dense": "mlp.fc2",
};

function encoderRule(k: string): KeyRule | undefined {
  if (Object.hasOwn(TOP, k)) return { to: TOP[k]! };
  if (k === "embeddings.mask_token") return { drop: true };
  const d = /^encoder\.layers\.(\d+)\.downsample\.(reduction\.weight|norm\.weight|norm\.bias)$/.exec(k);
  if (d) return { to: `layers.${d[1]}.downsample.${d[2]}` };
  const b = /^encoder\.layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(k);
  if (!b) return undefined;
  const at = `layers.${b[1]}.blocks.${b[2]}`;
  const rest = b[3]!;
  const qkv = /^attention\.self\.(query|key|value)\.(weight|bias)$/.exec(rest);
  if (qkv) return { fuse: `${at}.attn.qkv.${qkv[2]}`, part: QKV[qkv[1] as keyof typeof QKV], parts: 3 };
  if (rest === "attention.self.relative_position_bias_table") return { to: `${at}.attn.relative_position_bias_table` };
  if (rest === "attention.self.relative_position_index") return { drop: true };
  const p = /^(.+)\.(weight|bias)$/.exec(rest);
  if (p && Object.hasOwn(BLOCK, p[1]!)) return { to: `${at}.${BLOCK[p[1]!]}.${p[2]}` };
  return undefined;
}

const rule: RuleFn = (k) => {
  const c = /^classifier\.(weight|bias)$/.exec(k);
  if (c) return { to: `head.${c[1]}` };
  return encoderRule(k.startsWith("swin.") ? k.slice(5) : k);
};

export const hfSwinAdapter = {
  id: "hf-swin",
  description: "Hugging Face transformers Swin (SwinModel; swin. prefix + classifier; query/key/value fused into qkv)",
  detect: (keys: readonly string[]) =>
    fitsRules(keys, rule, (ks) => ks.some((k) => /^(swin\.)?encoder\.layers\.\d+\.blocks\.\d+\.attention\.self\.query\.weight$/.test(k))) &&
    // one naming throughout: all keys prefixed with swin. (but the classifier), or none
    new Set(keys.filter((k) => !k.startsWith("classifier.")).map((k) => k.startsWith("swin."))).size === 1,
  toCanonical: (map) => applyRules("hf-swin", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
