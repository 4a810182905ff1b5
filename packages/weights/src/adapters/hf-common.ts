/** Key rules shared by the Hugging Face transformers ViT and BEiT adapters. */
import type { KeyRule } from "./rules.js";

const QKV = { query: 0, key: 1, value: 2 } as const;

/** Embeddings, the per-layer dense / layernorm modules and the classifier, common to ViTModel and BeitModel. */
export function hfCommonRule(k: string): KeyRule | undefined {
  const simple: Record<string, string> = {
    "embeddings.cls_token": "cls_token",
    "embeddings.distillation_token": "dist_token",
    "embeddings.position_embeddings": "pos_embed",
    "embeddings.patch_embeddings.projection.weight": "patch_embed.proj.weight",
    "embeddings.patch_embeddings.projection.bias": "patch_embed.proj.bias",
    "layernorm.weight": "norm.weight",
    "layernorm.bias": "norm.bias",
    "classifier.weight": "head.weight",
    "classifier.bias": "head.bias",
  };
  if (Object.hasOwn(simple, k)) return { to: simple[k]! };
  if (k === "embeddings.mask_token") return { drop: true };
  const m = /^encoder\.layer\.(\d+)\.(.+)$/.exec(k);
  if (!m) return undefined;
  const [, n, rest] = m as unknown as [string, string, string];
  const qkvWeight = /^attention\.attention\.(query|key|value)\.weight$/.exec(rest);
  if (qkvWeight) return { fuse: `blocks.${n}.attn.qkv.weight`, part: QKV[qkvWeight[1] as keyof typeof QKV], parts: 3 };
  const layer: Record<string, string> = {
    "attention.output.dense": "attn.proj",
    "intermediate.dense": "mlp.fc1",
    "output.dense": "mlp.fc2",
    layernorm_before: "norm1",
    layernorm_after: "norm2",
  };
  const lm = /^(.+)\.(weight|bias)$/.exec(rest);
  if (lm && Object.hasOwn(layer, lm[1]!)) return { to: `blocks.${n}.${layer[lm[1]!]}.${lm[2]}` };
  return undefined;
}

/** The HF encoder's signature keys (the patch projection and layer-0 query). */
export function looksLikeHfEncoder(keys: readonly string[], prefix: RegExp): boolean {
  const stripped = keys.map((k) => k.replace(prefix, ""));
  return stripped.includes("embeddings.patch_embeddings.projection.weight") && stripped.some((k) => /^encoder\.layer\.\d+\.attention\.attention\.query\.weight$/.test(k));
}

/** BEiT-only signs in an HF checkpoint: the `beit.` prefix, layer scale, relative position bias, or a query bias without a key bias. */
export function hasHfBeitSigns(keys: readonly string[]): boolean {
  if (keys.some((k) => k.startsWith("beit.") || /\.lambda_[12]$/.test(k) || /(^|\.)relative_position_bias\./.test(k))) return true;
  const hasKeyBias = keys.some((k) => /attention\.attention\.key\.bias$/.test(k));
  const hasQueryBias = keys.some((k) => /attention\.attention\.query\.bias$/.test(k));
  return hasQueryBias && !hasKeyBias;
}
