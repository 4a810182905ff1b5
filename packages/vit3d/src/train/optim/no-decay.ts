/**
 * Parameters AdamW does not decay (TransSeg / BEiT fine-tuning): biases (`*.bias`, `q_bias`,
 * `v_bias`), LayerNorm weights (`norm1`, `norm2`, `norm`, `fc_norm`), BatchNorm weights (a
 * `X.weight` whose `X.running_mean` exists), tokens and positions (`cls_token`, `pos_embed`,
 * `relative_position_bias_table`) and layer-scale gammas (`gamma_1`, `gamma_2`).
 */
export const NO_DECAY_PATTERNS: readonly RegExp[] = [
  /(\.|_)bias$/,
  /(^|\.)(norm\d*|fc_norm|[a-z_]*_norm)\.weight$/,
  /(^|\.)cls_token$/,
  /(^|\.)pos_embed$/,
  /(^|\.)relative_position_bias_table$/,
  /(^|\.)gamma_\d+$/,
];

/** Names (from `names`) that get no weight decay; `names` must include the BatchNorm buffers. */
export function noDecayNames(names: readonly string[], patterns: readonly RegExp[] = NO_DECAY_PATTERNS): Set<string> {
  const all = new Set(names);
  const out = new Set<string>();
  for (const n of names) {
    const batchNorm = n.endsWith(".weight") && all.has(`${n.slice(0, -".weight".length)}.running_mean`);
    if (batchNorm || patterns.some((re) => re.test(n))) out.add(n);
  }
  return out;
}
