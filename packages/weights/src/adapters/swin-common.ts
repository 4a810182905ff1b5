/**
 * Key rules shared by the Swin layouts. The canonical names are Microsoft's (= TransSeg's
 * `swin_transformer.py`, Video Swin's `swin_transformer_3d.py`): `layers.N.blocks.M.*`, and
 * `layers.N.downsample.*` for the patch merging at the END of stage N.
 */
import type { KeyRule } from "./rules.js";

const BLOCK = /^layers\.(\d+)\.blocks\.(\d+)\.(.+)$/;
const BLOCK_PARAM = /^(norm1|norm2|attn\.qkv|attn\.proj|mlp\.fc1|mlp\.fc2)\.(weight|bias)$/;
const DOWNSAMPLE = /^layers\.(\d+)\.downsample\.(reduction\.weight|norm\.weight|norm\.bias)$/;
const TOP = /^(patch_embed\.(proj|norm)\.(weight|bias)|(norm\d*|head)\.(weight|bias))$/;

/** A block key in Microsoft naming (parameters kept, stored index / mask buffers dropped). */
function msBlockRule(key: string): KeyRule | undefined {
  const m = BLOCK.exec(key);
  if (!m) return undefined;
  const rest = m[3]!;
  if (BLOCK_PARAM.test(rest) || rest === "attn.relative_position_bias_table") return { to: key };
  if (rest === "attn.relative_position_index" || rest === "attn_mask") return { drop: true };
  return undefined;
}

/**
 * Microsoft / TransSeg / Video Swin (without `backbone.`) naming: the canonical names themselves,
 * with `relative_position_index` and `attn_mask` buffers dropped. `layers.N.downsample` belongs to
 * stage N; `shiftDownsample` = -1 reads timm >= 0.9's numbering (its `layers.N.downsample` starts
 * stage N, i.e. ends stage N-1).
 */
export function msSwinRule(key: string, shiftDownsample = 0): KeyRule | undefined {
  if (TOP.test(key)) return { to: key };
  const d = DOWNSAMPLE.exec(key);
  if (d) {
    const stage = Number(d[1]) + shiftDownsample;
    return stage >= 0 ? { to: `layers.${stage}.downsample.${d[2]}` } : undefined;
  }
  return msBlockRule(key);
}

/** The stage indices N of the `layers.N.downsample.*` keys, and the number of stages (max N of `layers.N.` + 1). */
export function downsampleStages(keys: readonly string[]): { readonly downsample: ReadonlySet<number>; readonly stages: number } {
  const downsample = new Set<number>();
  let stages = 0;
  for (const k of keys) {
    const l = /^layers\.(\d+)\./.exec(k);
    if (!l) continue;
    stages = Math.max(stages, Number(l[1]) + 1);
    if (/^layers\.\d+\.downsample\./.test(k)) downsample.add(Number(l[1]));
  }
  return { downsample, stages };
}

/**
 * Which numbering the `layers.N.downsample` keys use: "end" (Microsoft: stages 0 .. S-2), "start"
 * (timm >= 0.9: stages 1 .. S-1), "either" (no downsample keys, or only middle stages), or
 * "conflict" (both stage 0 and stage S-1 have one).
 */
export function downsampleNumbering(keys: readonly string[]): "end" | "start" | "either" | "conflict" {
  const { downsample, stages } = downsampleStages(keys);
  const first = downsample.has(0);
  const last = stages > 0 && downsample.has(stages - 1);
  if (first && last) return "conflict";
  if (first) return "end";
  if (last) return "start";
  return "either";
}

/** Some key shows a Microsoft-style Swin block (`layers.N.blocks.M.attn.qkv.weight`). */
export function hasSwinBlocks(keys: readonly string[]): boolean {
  return keys.some((k) => /^layers\.\d+\.blocks\.\d+\.attn\.qkv\.weight$/.test(k));
}
