/**
 * timm ViT / DeiT (incl. `dist_token`, `head_dist`): already the canonical names, so this is the
 * identity, except timm's LayerScale `blocks.N.ls1.gamma` / `ls2.gamma` -> `gamma_1` / `gamma_2`.
 */
import type { SourceAdapter } from "../adapter.js";
import { isBeitOnlyName, isVitCanonicalName } from "./canonical.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";

const rule: RuleFn = (key) => {
  const ls = /^blocks\.(\d+)\.ls([12])\.gamma$/.exec(key);
  if (ls) return { to: `blocks.${ls[1]}.gamma_${ls[2]}` };
  return isVitCanonicalName(key) && !isBeitOnlyName(key) ? { to: key } : undefined;
};

export const timmVitAdapter = {
  id: "timm-vit",
  description: "timm ViT / DeiT state dicts (canonical names; LayerScale ls1/ls2 -> gamma_1/gamma_2)",
  detect: (keys: readonly string[]) => fitsRules(keys, rule, (ks) => ks.some((k) => /^blocks\.\d+\.attn\.qkv\.weight$/.test(k))),
  toCanonical: (map) => applyRules("timm-vit", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
