import { effectivePatchDepth, encoderGrid, mlpHidden, type EncoderConfig } from "../config.js";
import { spec, type ParamSpec } from "../param-spec.js";
import type { EncoderKind } from "./encoder-kind.js";
import { relativePositionTableRows } from "./relative-position.js";

const ZEROS = { kind: "zeros" } as const;
const ONES = { kind: "ones" } as const;
const TRUNC = { kind: "trunc-normal", std: 0.02 } as const;

/**
 * The encoder's tensors (names without the `encoder.` prefix, PyTorch shapes) and their fresh
 * initialisation: timm/BEiT's truncated normal 0.02 for linears and tokens, PyTorch's default
 * uniform for the patch convolution, layer scale 1 (TransSeg's `init_values=1`).
 */
export function encoderParams(e: EncoderConfig, kind: EncoderKind): ParamSpec[] {
  const { dim, heads, in_channels: c, patch } = e;
  const kd = effectivePatchDepth(e);
  const grid = encoderGrid(e);
  const tokens = grid[0] * grid[1] * grid[2];
  const hidden = mlpHidden(e);
  const fanIn = c * kd * patch * patch;
  const out: ParamSpec[] = [
    spec("cls_token", [1, 1, dim], "plain", TRUNC),
    spec("patch_embed.proj.weight", [dim, c, kd, patch, patch], "patch", { kind: "uniform", bound: 1 / Math.sqrt(fanIn) }),
    spec("patch_embed.proj.bias", [dim], "plain", { kind: "uniform", bound: 1 / Math.sqrt(fanIn) }),
  ];
  if (kind.absolutePosition) out.push(spec("pos_embed", [1, tokens + 1, dim], "plain", TRUNC));
  for (let i = 0; i < e.depth; i++) {
    const b = `blocks.${i}.`;
    out.push(spec(`${b}norm1.weight`, [dim], "plain", ONES), spec(`${b}norm1.bias`, [dim], "plain", ZEROS));
    out.push(spec(`${b}attn.qkv.weight`, [3 * dim, dim], "linear", TRUNC));
    if (kind.qkvBias === "full") out.push(spec(`${b}attn.qkv.bias`, [3 * dim], "plain", ZEROS));
    else out.push(spec(`${b}attn.q_bias`, [dim], "plain", ZEROS), spec(`${b}attn.v_bias`, [dim], "plain", ZEROS));
    if (kind.relativePosition) out.push(spec(`${b}attn.relative_position_bias_table`, [relativePositionTableRows(grid), heads], "plain", TRUNC));
    out.push(spec(`${b}attn.proj.weight`, [dim, dim], "linear", TRUNC), spec(`${b}attn.proj.bias`, [dim], "plain", ZEROS));
    out.push(spec(`${b}norm2.weight`, [dim], "plain", ONES), spec(`${b}norm2.bias`, [dim], "plain", ZEROS));
    out.push(spec(`${b}mlp.fc1.weight`, [hidden, dim], "linear", TRUNC), spec(`${b}mlp.fc1.bias`, [hidden], "plain", ZEROS));
    out.push(spec(`${b}mlp.fc2.weight`, [dim, hidden], "linear", TRUNC), spec(`${b}mlp.fc2.bias`, [dim], "plain", ZEROS));
    if (kind.layerScale) out.push(spec(`${b}gamma_1`, [dim], "plain", ONES), spec(`${b}gamma_2`, [dim], "plain", ONES));
  }
  return out;
}
