/** The canonical (timm / BEiT) tensor names of SPEC §3, as patterns. */

const PATTERNS: readonly RegExp[] = [
  /^(cls_token|dist_token|pos_embed)$/,
  /^patch_embed\.proj\.(weight|bias)$/,
  /^blocks\.\d+\.(norm1|norm2)\.(weight|bias)$/,
  /^blocks\.\d+\.attn\.(qkv\.weight|qkv\.bias|q_bias|v_bias|relative_position_bias_table|proj\.weight|proj\.bias)$/,
  /^blocks\.\d+\.mlp\.(fc1|fc2)\.(weight|bias)$/,
  /^blocks\.\d+\.gamma_[12]$/,
  /^(norm|fc_norm|head|head_dist)\.(weight|bias)$/,
  /^rel_pos_bias\.relative_position_bias_table$/,
];

/**
 * The canonical Swin / Video Swin names: those of TransSeg's `swin_transformer.py` (Microsoft's
 * numbering: `layers.N.downsample` is the patch merging at the END of stage N) and of Video Swin's
 * `swin_transformer_3d.py`. `norm0..norm3` are TransSeg's stage norms; `norm` / `head` the
 * classifier's. Buffers (`relative_position_index`, `attn_mask`) are never canonical.
 */
const SWIN_PATTERNS: readonly RegExp[] = [
  /^patch_embed\.(proj|norm)\.(weight|bias)$/,
  /^layers\.\d+\.blocks\.\d+\.(norm1|norm2|attn\.qkv|attn\.proj|mlp\.fc1|mlp\.fc2)\.(weight|bias)$/,
  /^layers\.\d+\.blocks\.\d+\.attn\.relative_position_bias_table$/,
  /^layers\.\d+\.downsample\.(reduction\.weight|norm\.weight|norm\.bias)$/,
  /^(norm\d*|head)\.(weight|bias)$/,
];

/** True for a canonical ViT / BEiT name (SPEC §3). */
export function isVitCanonicalName(name: string): boolean {
  return PATTERNS.some((p) => p.test(name));
}

/** True for a canonical Swin / Video Swin name. */
export function isSwinCanonicalName(name: string): boolean {
  return SWIN_PATTERNS.some((p) => p.test(name));
}

/** True for a name of a canonical layout (ViT / BEiT or Swin). */
export function isCanonicalName(name: string): boolean {
  return isVitCanonicalName(name) || isSwinCanonicalName(name);
}

/** Names only BEiT-style encoders have (relative position bias, q/v biases, layer scale). */
export function isBeitOnlyName(name: string): boolean {
  return /^blocks\.\d+\.(attn\.(q_bias|v_bias|relative_position_bias_table)|gamma_[12])$/.test(name) || name.startsWith("rel_pos_bias.");
}
