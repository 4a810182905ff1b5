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

/** True for a name of the canonical layout. */
export function isCanonicalName(name: string): boolean {
  return PATTERNS.some((p) => p.test(name));
}

/** Names only BEiT-style encoders have (relative position bias, q/v biases, layer scale). */
export function isBeitOnlyName(name: string): boolean {
  return /^blocks\.\d+\.(attn\.(q_bias|v_bias|relative_position_bias_table)|gamma_[12])$/.test(name) || name.startsWith("rel_pos_bias.");
}
