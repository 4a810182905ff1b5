/**
 * Facebook DINO ViT state dicts: timm names, possibly under `module.` and/or `backbone.`
 * (the MultiCropWrapper of the training checkpoints), next to the DINO projection head.
 * Kept: everything of the canonical ViT layout. Dropped: the self-supervision head
 * `head.mlp.*` and `head.last_layer.*` (`weight_g`, `weight_v`), which is a projection to the
 * DINO prototypes, not a classifier. (The released backbone-only weights have plain timm names
 * and are detected as `timm-vit`.)
 */
import type { SourceAdapter } from "../adapter.js";
import { isBeitOnlyName, isVitCanonicalName } from "./canonical.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";

const strip = (key: string) => key.replace(/^(module\.)+/, "").replace(/^backbone\./, "");

const rule: RuleFn = (key) => {
  const k = strip(key);
  if (/^head\.(mlp|last_layer)\./.test(k)) return { drop: true };
  return isVitCanonicalName(k) && !isBeitOnlyName(k) ? { to: k } : undefined;
};

export const dinoAdapter = {
  id: "dino",
  description: "facebook DINO ViT (module./backbone. prefixes; the head.mlp / head.last_layer projection head is dropped)",
  detect: (keys: readonly string[]) =>
    fitsRules(keys, rule, (ks) => ks.some((k) => /^(module\.)*(backbone\.|head\.(mlp|last_layer)\.)/.test(k)) && ks.some((k) => /^blocks\.\d+\.attn\.qkv\.weight$/.test(strip(k)))),
  toCanonical: (map) => applyRules("dino", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
