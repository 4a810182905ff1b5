/**
 * Microsoft's official Swin (`github.com/microsoft/Swin-Transformer`, checkpoints `{"model": ...}`),
 * and the same names as TransSeg's `swin_transformer.py` / Video Swin without `backbone.`: already
 * canonical; the stored `relative_position_index` and `attn_mask` buffers are dropped.
 * `layers.N.downsample` ends stage N (never on the last stage).
 */
import type { SourceAdapter } from "../adapter.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";
import { downsampleNumbering, hasSwinBlocks, msSwinRule } from "./swin-common.js";

const rule: RuleFn = (key) => msSwinRule(key);

export const msSwinAdapter = {
  id: "ms-swin",
  description: "Microsoft Swin / TransSeg swin_transformer.py / Video Swin without backbone. (canonical names; index and mask buffers dropped)",
  detect: (keys: readonly string[]) =>
    fitsRules(keys, rule, (ks) => hasSwinBlocks(ks) && !ks.some((k) => k.startsWith("head.fc.")) && ["end", "either"].includes(downsampleNumbering(ks))),
  toCanonical: (map) => applyRules("ms-swin", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
