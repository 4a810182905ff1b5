/**
 * Video Swin (`github.com/SwinTransformer/Video-Swin-Transformer`, mmaction2 checkpoints
 * `{"state_dict": ...}`): the backbone under `backbone.` with Microsoft's names (Conv3d
 * `patch_embed.proj`, 3D relative-position tables `[(2Wd-1)(2Wh-1)(2Ww-1), heads]`), the classifier
 * `cls_head.fc_cls` (-> `head`). The stored `relative_position_index` buffers are dropped.
 */
import type { SourceAdapter } from "../adapter.js";
import { applyRules, fitsRules, unmapped, type RuleFn } from "./rules.js";
import { hasSwinBlocks, msSwinRule } from "./swin-common.js";

const rule: RuleFn = (k) => {
  const head = /^cls_head\.fc_cls\.(weight|bias)$/.exec(k);
  if (head) return { to: `head.${head[1]}` };
  if (!k.startsWith("backbone.")) return undefined;
  const rest = k.slice("backbone.".length);
  return /^head\./.test(rest) ? undefined : msSwinRule(rest);
};

export const videoSwinAdapter = {
  id: "video-swin",
  description: "Video Swin (mmaction2): backbone. + Microsoft names with 3D patches and bias tables; cls_head.fc_cls -> head",
  detect: (keys: readonly string[]) => fitsRules(keys, rule, (ks) => hasSwinBlocks(ks.filter((k) => k.startsWith("backbone.")).map((k) => k.slice(9)))),
  toCanonical: (map) => applyRules("video-swin", map, rule),
  unmappedKeys: (keys) => unmapped(keys, rule),
} as const satisfies SourceAdapter;
