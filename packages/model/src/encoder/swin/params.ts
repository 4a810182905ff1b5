import { spec, type ParamSpec } from "../../param-spec.js";
import { swinMlpHidden, swinPatch, swinStageDims, type SwinEncoderConfig } from "./config.js";

const ZEROS = { kind: "zeros" } as const;
const ONES = { kind: "ones" } as const;
const TRUNC = { kind: "trunc-normal", std: 0.02 } as const;

/** Rows of a stage's relative position bias table: `∏ (2·w − 1)` over the window axes. */
export function swinTableRows(windowSize: readonly number[]): number {
  return windowSize.reduce((a, w) => a * (2 * w - 1), 1);
}

function layerNormParams(name: string, dim: number): ParamSpec[] {
  return [spec(`${name}.weight`, [dim], "plain", ONES), spec(`${name}.bias`, [dim], "plain", ZEROS)];
}

/**
 * The tensors of a Swin / Video Swin encoder (names without the `encoder.` prefix, as TransSeg's
 * `swin_transformer.py` / `swin_transformer_3d.py` name them; PyTorch shapes) and their fresh
 * initialisation (truncated normal 0.02 for linears and bias tables, LayerNorm 1/0, PyTorch's
 * uniform for the patch convolution). `swin` has the stage norms `norm0..norm3`, `swin3d` has
 * none (Video Swin's final `norm` is unused by TransSeg's forward and not stored here).
 * `relative_position_index` buffers are derived, never stored.
 */
export function swinEncoderParams(e: SwinEncoderConfig): ParamSpec[] {
  const [kd, p] = swinPatch(e);
  const c = e.in_channels;
  const fanIn = c * kd * p * p;
  const dims = swinStageDims(e);
  const rows = swinTableRows(e.window_size);
  const out: ParamSpec[] = [
    spec("patch_embed.proj.weight", [e.embed_dim, c, kd, p, p], "patch", { kind: "uniform", bound: 1 / Math.sqrt(fanIn) }),
    spec("patch_embed.proj.bias", [e.embed_dim], "plain", { kind: "uniform", bound: 1 / Math.sqrt(fanIn) }),
    ...layerNormParams("patch_embed.norm", e.embed_dim),
  ];
  dims.forEach((dim, s) => {
    const hidden = swinMlpHidden(e, dim);
    for (let j = 0; j < e.depths[s]!; j++) {
      const b = `layers.${s}.blocks.${j}.`;
      out.push(
        ...layerNormParams(`${b}norm1`, dim),
        spec(`${b}attn.relative_position_bias_table`, [rows, e.heads[s]!], "plain", TRUNC),
        spec(`${b}attn.qkv.weight`, [3 * dim, dim], "linear", TRUNC),
        spec(`${b}attn.qkv.bias`, [3 * dim], "plain", ZEROS),
        spec(`${b}attn.proj.weight`, [dim, dim], "linear", TRUNC),
        spec(`${b}attn.proj.bias`, [dim], "plain", ZEROS),
        ...layerNormParams(`${b}norm2`, dim),
        spec(`${b}mlp.fc1.weight`, [hidden, dim], "linear", TRUNC),
        spec(`${b}mlp.fc1.bias`, [hidden], "plain", ZEROS),
        spec(`${b}mlp.fc2.weight`, [dim, hidden], "linear", TRUNC),
        spec(`${b}mlp.fc2.bias`, [dim], "plain", ZEROS),
      );
    }
    if (s < dims.length - 1) out.push(...layerNormParams(`layers.${s}.downsample.norm`, 4 * dim), spec(`layers.${s}.downsample.reduction.weight`, [2 * dim, 4 * dim], "linear", TRUNC));
  });
  if (e.kind === "swin") dims.forEach((dim, s) => out.push(...layerNormParams(`norm${s}`, dim)));
  return out;
}
