/**
 * torchvision Swin (`torchvision.models.swin_t/s/b`, v1): `features.0.0` is the patch Conv2d and
 * `features.0.2` its LayerNorm (`features.0.1` a Permute); odd `features.K` (K = 2s + 1) are the
 * blocks of stage s, even `features.K` (K = 2s + 2 >= 2) the PatchMerging after stage s; the block
 * MLP is `mlp.0` / `mlp.3`. torchvision's PatchMerging concatenates x0 = (0::2, 0::2),
 * x1 = (1::2, 0::2), x2 = (0::2, 1::2), x3 = (1::2, 1::2), Microsoft's order, so `reduction` and
 * `norm` are copied as they are. The flat `relative_position_index` buffers are dropped.
 * Swin V2 (`cpb_mlp`, `logit_scale`) is not this layout.
 */
import type { SourceAdapter } from "../adapter.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";

const BLOCK: Record<string, string> = {
  "norm1.weight": "norm1.weight",
  "norm1.bias": "norm1.bias",
  "norm2.weight": "norm2.weight",
  "norm2.bias": "norm2.bias",
  "attn.qkv.weight": "attn.qkv.weight",
  "attn.qkv.bias": "attn.qkv.bias",
  "attn.proj.weight": "attn.proj.weight",
  "attn.proj.bias": "attn.proj.bias",
  "attn.relative_position_bias_table": "attn.relative_position_bias_table",
  "mlp.0.weight": "mlp.fc1.weight",
  "mlp.0.bias": "mlp.fc1.bias",
  "mlp.3.weight": "mlp.fc2.weight",
  "mlp.3.bias": "mlp.fc2.bias",
};
const STEM: Record<string, string> = {
  "features.0.0.weight": "patch_embed.proj.weight",
  "features.0.0.bias": "patch_embed.proj.bias",
  "features.0.2.weight": "patch_embed.norm.weight",
  "features.0.2.bias": "patch_embed.norm.bias",
};

const rule: RuleFn = (k) => {
  if (Object.hasOwn(STEM, k)) return { to: STEM[k]! };
  if (/^(norm|head)\.(weight|bias)$/.test(k)) return { to: k };
  const merge = /^features\.(\d+)\.(reduction\.weight|norm\.weight|norm\.bias)$/.exec(k);
  if (merge) {
    const f = Number(merge[1]);
    return f >= 2 && f % 2 === 0 ? { to: `layers.${f / 2 - 1}.downsample.${merge[2]}` } : undefined;
  }
  const b = /^features\.(\d+)\.(\d+)\.(.+)$/.exec(k);
  if (!b || Number(b[1]) % 2 !== 1) return undefined;
  const stage = (Number(b[1]) - 1) / 2;
  if (b[3] === "attn.relative_position_index") return { drop: true };
  const to = Object.hasOwn(BLOCK, b[3]!) ? BLOCK[b[3]!] : undefined;
  return to ? { to: `layers.${stage}.blocks.${b[2]}.${to}` } : undefined;
};

export const torchvisionSwinAdapter = {
  id: "torchvision-swin",
  description: "torchvision Swin v1 (features.K.M: stem, odd K stages, even K patch merging; mlp.0/mlp.3)",
  detect: (keys: readonly string[]) => fitsRules(keys, rule, (ks) => ks.includes("features.0.0.weight") && ks.some((k) => /^features\.1\.0\.attn\.qkv\.weight$/.test(k))),
  toCanonical: (map) => applyRules("torchvision-swin", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
