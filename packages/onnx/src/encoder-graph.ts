/**
 * The ViT-family encoder (BEiT / ViT kinds, any token grid) as ONNX nodes. Weights are folded
 * where that is exact algebra: the attention scale 1/√head_dim into the q rows of the qkv
 * projection, layer scale `gamma_1/gamma_2` into `attn.proj` / `mlp.fc2`. BEiT's relative
 * position bias is gathered at export time into one `[heads, N, N]` initializer per block.
 */
import { effectivePatchDepth, type EncoderConfig, encoderGrid, type EncoderKind, mlpHidden, relativePositionIndex, relativePositionTableRows } from "@transseg/model";
import type { GraphBuilder } from "./graph-builder.js";
import { batchShape, gelu, layerNorm, linear, reshapeBatch } from "./ops.js";
import type { TensorSource, TensorSpec } from "./tensors.js";

const LN_EPS = 1e-6;

/** The encoder tensors of a `transseg-seg/1` checkpoint (with the `encoder.` prefix) and their PyTorch shapes. */
export function encoderTensorSpecs(e: EncoderConfig, kind: EncoderKind): TensorSpec[] {
  const { dim, in_channels: c, patch } = e;
  const grid = encoderGrid(e);
  const hidden = mlpHidden(e);
  const s = (name: string, shape: number[]): TensorSpec => ({ name: `encoder.${name}`, shape });
  const out = [s("cls_token", [1, 1, dim]), s("patch_embed.proj.weight", [dim, c, effectivePatchDepth(e), patch, patch]), s("patch_embed.proj.bias", [dim])];
  if (kind.absolutePosition) out.push(s("pos_embed", [1, grid[0] * grid[1] * grid[2] + 1, dim]));
  for (let i = 0; i < e.depth; i++) {
    const b = `blocks.${i}.`;
    out.push(s(`${b}norm1.weight`, [dim]), s(`${b}norm1.bias`, [dim]), s(`${b}attn.qkv.weight`, [3 * dim, dim]));
    if (kind.qkvBias === "full") out.push(s(`${b}attn.qkv.bias`, [3 * dim]));
    else out.push(s(`${b}attn.q_bias`, [dim]), s(`${b}attn.v_bias`, [dim]));
    if (kind.relativePosition) out.push(s(`${b}attn.relative_position_bias_table`, [relativePositionTableRows(grid), e.heads]));
    out.push(s(`${b}attn.proj.weight`, [dim, dim]), s(`${b}attn.proj.bias`, [dim]), s(`${b}norm2.weight`, [dim]), s(`${b}norm2.bias`, [dim]));
    out.push(s(`${b}mlp.fc1.weight`, [hidden, dim]), s(`${b}mlp.fc1.bias`, [hidden]), s(`${b}mlp.fc2.weight`, [dim, hidden]), s(`${b}mlp.fc2.bias`, [dim]));
    if (kind.layerScale) out.push(s(`${b}gamma_1`, [dim]), s(`${b}gamma_2`, [dim]));
  }
  return out;
}

/** Gathers a `[rows, heads]` relative position table into the `[heads, N, N]` bias of a grid. */
export function gatherRelativeBias(table: Float32Array, heads: number, grid: readonly [number, number, number]): Float32Array {
  const index = relativePositionIndex(grid);
  const nn = index.length;
  const out = new Float32Array(heads * nn);
  for (let h = 0; h < heads; h++) for (let p = 0; p < nn; p++) out[h * nn + p] = table[index[p]! * heads + h]!;
  return out;
}

/** Scales rows `[from, to)` of a row-major `[rows, cols]` matrix in place (rows scaled by `s[r - from]` or a constant). */
function scaleRows(w: Float32Array, cols: number, from: number, to: number, s: number | Float32Array): void {
  for (let r = from; r < to; r++) {
    const f = typeof s === "number" ? s : s[r - from]!;
    for (let c = 0; c < cols; c++) w[r * cols + c]! *= f;
  }
}

function scaleVec(v: Float32Array, from: number, to: number, s: number | Float32Array): void {
  for (let i = from; i < to; i++) v[i]! *= typeof s === "number" ? s : s[i - from]!;
}

/**
 * How BEiT's relative position bias goes into the graph: `precomputed` gathers it at export time
 * into one `[heads, N, N]` initializer per block (no work at load time, but N² floats per head
 * per block: 600 MB for BEiT-base at 512²); `gather` stores the tables and one shared index and
 * lets ONNX Runtime's constant folding gather them when the session is created (a file half the
 * size, the same speed; needed when the precomputed biases would pass protobuf's 2 GB limit).
 */
export type RelativeBiasMode = "precomputed" | "gather";

export interface EncoderGraphContext {
  readonly g: GraphBuilder;
  readonly encoder: EncoderConfig;
  readonly kind: EncoderKind;
  readonly tensors: TensorSource;
  readonly relativeBias?: RelativeBiasMode;
  /** Feature maps with the depth tokens, `[B, dim, Gd, Gh, Gw]` (for volumetric heads), instead of their mean. */
  readonly volumetric?: boolean;
}

/**
 * Adds the encoder to the graph, from the `[B, C, window, H, W]` input to the feature maps
 * `[B, dim, Gh, Gw]` of the blocks listed in `layers` (cls removed; with Gd > 1 the mean over the
 * depth tokens, as the TensorFlow.js model feeds its 2D decoders; `[B, dim, Gd, Gh, Gw]` with
 * `volumetric`). Blocks after the last listed
 * one do not influence the output and are not exported.
 */
export function buildEncoder(ctx: EncoderGraphContext, input: string, layers: readonly number[]): string[] {
  const { g, encoder: e, kind, tensors } = ctx;
  const w = (name: string, shape: number[]) => tensors.get({ name: `encoder.${name}`, shape });
  const { dim, heads, in_channels: c, patch: p } = e;
  const [gd, gh, gw] = encoderGrid(e);
  const pd = effectivePatchDepth(e);
  const t = gd * gh * gw;
  const n = t + 1;
  const hd = dim / heads;
  const hidden = mlpHidden(e);

  // force_2d: the centre slice only
  let x = input;
  if (e.force_2d) {
    const mid = Math.floor(e.window / 2);
    x = g.op("Slice", [x, g.ints([mid]), g.ints([mid + 1]), g.ints([2])], {}, "centre_slice");
  }
  // patch embedding (kernel = stride) as reshape + transpose + MatMul: tokens in (d, h, w) order
  const k = c * pd * p * p;
  x = reshapeBatch(g, x, [c, gd, pd, gh, p, gw, p], "patches_split");
  x = g.op("Transpose", [x], { perm: [0, 2, 4, 6, 1, 3, 5, 7] }, "patches_perm");
  x = reshapeBatch(g, x, [t, k], "patches");
  x = linear(g, x, w("patch_embed.proj.weight", [dim, c, pd, p, p]), w("patch_embed.proj.bias", [dim]), dim, "patch_embed");
  const cls = g.op("Expand", [g.weight("cls_token", [1, 1, dim], w("cls_token", [1, 1, dim])), batchShape(g, input, [1, dim], "cls_shape")], {}, "cls");
  x = g.op("Concat", [cls, x], { axis: 1 }, "tokens");
  if (kind.absolutePosition) x = g.op("Add", [x, g.weight("pos_embed", [1, n, dim], w("pos_embed", [1, n, dim]))], {}, "tokens_pos");

  const last = Math.max(...layers);
  let relIndex: string | undefined;
  const relativeBias = (table: Float32Array, hint: string): string => {
    if (ctx.relativeBias !== "gather") return g.weight(`${hint}.rel_pos_bias`, [heads, n, n], gatherRelativeBias(table, heads, [gd, gh, gw]));
    relIndex ??= g.int32("relative_position_index", [n * n], relativePositionIndex([gd, gh, gw]));
    const rows = table.length / heads;
    const gathered = g.op("Gather", [g.weight(`${hint}.relative_position_bias_table`, [rows, heads], table), relIndex], { axis: 0 }, `${hint}.rel_pos_gathered`);
    return g.op("Transpose", [reshapeBatch(g, gathered, [n, heads], `${hint}.rel_pos_nnh`)], { perm: [2, 0, 1] }, `${hint}.rel_pos_bias`);
  };
  const feats = new Map<number, string>();
  for (let i = 0; i <= last; i++) {
    const b = `blocks.${i}.`;
    const hint = `block${i}`;
    // attention
    let h = layerNorm(g, x, w(`${b}norm1.weight`, [dim]), w(`${b}norm1.bias`, [dim]), LN_EPS, `${hint}.norm1`);
    const qkvW = w(`${b}attn.qkv.weight`, [3 * dim, dim]);
    let qkvB: Float32Array;
    if (kind.qkvBias === "full") qkvB = w(`${b}attn.qkv.bias`, [3 * dim]);
    else {
      qkvB = new Float32Array(3 * dim);
      qkvB.set(w(`${b}attn.q_bias`, [dim]), 0);
      qkvB.set(w(`${b}attn.v_bias`, [dim]), 2 * dim);
    }
    const scale = hd ** -0.5;
    scaleRows(qkvW, dim, 0, dim, scale);
    scaleVec(qkvB, 0, dim, scale);
    const qkv = linear(g, h, qkvW, qkvB, 3 * dim, `${hint}.qkv`);
    const [q, kk, v] = g.opN("Split", [qkv, g.ints([dim, dim, dim])], 3, { axis: 2 }, `${hint}.split`) as [string, string, string];
    const headsOf = (y: string, perm: number[], name: string) => g.op("Transpose", [reshapeBatch(g, y, [n, heads, hd], `${name}_heads`)], { perm }, name);
    let a = g.op("MatMul", [headsOf(q, [0, 2, 1, 3], `${hint}.q`), headsOf(kk, [0, 2, 3, 1], `${hint}.kT`)], {}, `${hint}.scores`);
    if (kind.relativePosition) {
      const table = w(`${b}attn.relative_position_bias_table`, [relativePositionTableRows([gd, gh, gw]), heads]);
      a = g.op("Add", [a, relativeBias(table, hint)], {}, `${hint}.scores_biased`);
    }
    a = g.op("Softmax", [a], { axis: -1 }, `${hint}.attn`);
    let o = g.op("MatMul", [a, headsOf(v, [0, 2, 1, 3], `${hint}.v`)], {}, `${hint}.ctx`);
    o = reshapeBatch(g, g.op("Transpose", [o], { perm: [0, 2, 1, 3] }, `${hint}.ctx_t`), [n, dim], `${hint}.ctx_merged`);
    const projW = w(`${b}attn.proj.weight`, [dim, dim]);
    const projB = w(`${b}attn.proj.bias`, [dim]);
    const fc2W = w(`${b}mlp.fc2.weight`, [dim, hidden]);
    const fc2B = w(`${b}mlp.fc2.bias`, [dim]);
    if (kind.layerScale) {
      const g1 = w(`${b}gamma_1`, [dim]);
      const g2 = w(`${b}gamma_2`, [dim]);
      scaleRows(projW, dim, 0, dim, g1);
      scaleVec(projB, 0, dim, g1);
      scaleRows(fc2W, hidden, 0, dim, g2);
      scaleVec(fc2B, 0, dim, g2);
    }
    x = g.op("Add", [x, linear(g, o, projW, projB, dim, `${hint}.proj`)], {}, `${hint}.res1`);
    // MLP
    h = layerNorm(g, x, w(`${b}norm2.weight`, [dim]), w(`${b}norm2.bias`, [dim]), LN_EPS, `${hint}.norm2`);
    h = gelu(g, linear(g, h, w(`${b}mlp.fc1.weight`, [hidden, dim]), w(`${b}mlp.fc1.bias`, [hidden]), hidden, `${hint}.fc1`), `${hint}.gelu`);
    x = g.op("Add", [x, linear(g, h, fc2W, fc2B, dim, `${hint}.fc2`)], {}, `${hint}.out`);
    if (layers.includes(i)) feats.set(i, featureMap(g, x, [gd, gh, gw], dim, `features${i}`, ctx.volumetric ?? false));
  }
  return layers.map((i) => feats.get(i)!);
}

/**
 * Tokens `[B, 1 + Gd·Gh·Gw, dim]` → `[B, dim, Gh, Gw]` (cls dropped, mean over depth tokens when
 * Gd > 1), or `[B, dim, Gd, Gh, Gw]` when `volumetric`.
 */
function featureMap(g: GraphBuilder, x: string, grid: readonly [number, number, number], dim: number, hint: string, volumetric: boolean): string {
  const [gd, gh, gw] = grid;
  let f = g.op("Slice", [x, g.ints([1]), g.ints([1 + gd * gh * gw]), g.ints([1])], {}, `${hint}_tokens`);
  if (volumetric) return g.op("Transpose", [reshapeBatch(g, f, [gd, gh, gw, dim], `${hint}_volume`)], { perm: [0, 4, 1, 2, 3] }, hint);
  if (gd > 1) {
    f = g.op("ReduceMean", [reshapeBatch(g, f, [gd, gh * gw, dim], `${hint}_depth`)], { axes: [1], keepdims: 0 }, `${hint}_depth_mean`);
  }
  return g.op("Transpose", [reshapeBatch(g, f, [gh, gw, dim], `${hint}_grid`)], { perm: [0, 3, 1, 2] }, hint);
}
