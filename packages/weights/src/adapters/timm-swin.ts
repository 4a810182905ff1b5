/**
 * timm >= 0.9 Swin (`timm.models.swin_transformer`): the patch merging `layers.N.downsample` STARTS
 * stage N, so it is Microsoft's `layers.{N-1}.downsample`; the classifier is `head.fc`. Block names
 * (`attn.qkv`, `attn.proj`, `mlp.fc1/fc2`, `norm1/norm2`) and the final `norm` are Microsoft's.
 */
import type { SourceAdapter } from "../adapter.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";
import { downsampleNumbering, hasSwinBlocks, msSwinRule } from "./swin-common.js";

const rule: RuleFn = (key) => {
  const head = /^head\.fc\.(weight|bias)$/.exec(key);
  if (head) return { to: `head.${head[1]}` };
  if (/^head\.(weight|bias)$/.test(key)) return undefined;
  return msSwinRule(key, -1);
};

export const timmSwinAdapter = {
  id: "timm-swin",
  description: "timm >= 0.9 Swin (layers.N.downsample starts stage N -> Microsoft's layers.{N-1}.downsample; head.fc -> head)",
  detect: (keys: readonly string[]) => {
    const numbering = downsampleNumbering(keys);
    const marker = (ks: readonly string[]) => hasSwinBlocks(ks) && (numbering === "start" || (numbering === "either" && ks.some((k) => k.startsWith("head.fc."))));
    return fitsRules(keys, rule, marker);
  },
  toCanonical: (map) => applyRules("timm-swin", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
