/**
 * The Swin / Video Swin encoders (`swin`, `swin3d`) as ONNX nodes, every shape static but the
 * batch: the map is kept channels-last `[B, D, H, W, C]`; windows are cut by Reshape + Transpose,
 * the cyclic shift is Slice + Concat, padding is Pad. Weights folded where exact: the attention
 * scale into the q rows of qkv. Each block's relative position bias is gathered at export time
 * into a `[heads, N, N]` initializer; the shifted-window mask is one `[nW, 1, N, N]` initializer
 * per stage.
 */
import { shiftedWindowMask, shrunkRelativeIndex, stageWindow, swinEncoderParams, swinPatch, swinStageDims, swinTableRows, windowRelativeIndex, type StageWindow, type SwinEncoderConfig } from "@transseg/model";
import type { GraphBuilder } from "./graph-builder.js";
import { gelu, layerNorm, linear, reshapeBatch, transpose2d } from "./ops.js";
import type { TensorSource, TensorSpec } from "./tensors.js";

const LN_EPS = 1e-5;

/** The encoder tensors of a Swin `transseg-seg/1` checkpoint (with the `encoder.` prefix) and their PyTorch shapes. */
export function swinEncoderTensorSpecs(e: SwinEncoderConfig): TensorSpec[] {
  return swinEncoderParams(e).map((s) => ({ name: `encoder.${s.name}`, shape: [...s.shape] }));
}

export interface SwinEncoderGraphContext {
  readonly g: GraphBuilder;
  readonly encoder: SwinEncoderConfig;
  readonly tensors: TensorSource;
}

/** Cyclic shift of a channels-last map along `axis` by `shift` (torch.roll): Slice + Concat. */
function roll(g: GraphBuilder, x: string, size: number, shift: number, axis: number, hint: string): string {
  const s = ((shift % size) + size) % size;
  if (s === 0) return x;
  const head = g.op("Slice", [x, g.ints([0]), g.ints([size - s]), g.ints([axis])], {}, `${hint}_head`);
  const tail = g.op("Slice", [x, g.ints([size - s]), g.ints([size]), g.ints([axis])], {}, `${hint}_tail`);
  return g.op("Concat", [tail, head], { axis }, hint);
}

/** Zero padding at the end of axes 1..3 of `[B, D, H, W, C]`. */
function padEnd(g: GraphBuilder, x: string, pads: readonly [number, number, number], hint: string): string {
  if (pads.every((p) => p === 0)) return x;
  return g.op("Pad", [x, g.ints([0, 0, 0, 0, 0, 0, pads[0], pads[1], pads[2], 0])], { mode: "constant" }, hint);
}

/** The `[heads, N, N]` relative position bias of a (possibly shrunk) window, gathered from the table. */
function gatherBias(table: Float32Array, heads: number, full: readonly number[], used: readonly number[]): Float32Array {
  const index = used.every((u, i) => u === full[i]) ? windowRelativeIndex(full) : shrunkRelativeIndex(full, used);
  const nn = index.length;
  const out = new Float32Array(heads * nn);
  for (let h = 0; h < heads; h++) for (let p = 0; p < nn; p++) out[h * nn + p] = table[index[p]! * heads + h]!;
  return out;
}

interface BlockArgs {
  readonly x: string;
  readonly map: readonly [number, number, number];
  readonly dim: number;
  readonly heads: number;
  readonly win: StageWindow;
  readonly shifted: boolean;
  readonly mask: string | null;
  readonly full: readonly number[];
  readonly pre: string;
  readonly hint: string;
}

function block(ctx: SwinEncoderGraphContext, a: BlockArgs): string {
  const { g, tensors } = ctx;
  const w = (name: string, shape: number[]) => tensors.get({ name: `encoder.${a.pre}${name}`, shape });
  const { dim, heads, win, hint } = a;
  const [d, h, wd] = a.map;
  const [dp, hp, wp] = win.padded;
  const [kd, kh, kw] = win.window;
  const [nd, nh, nw] = [dp / kd, hp / kh, wp / kw];
  const n = kd * kh * kw;
  const nW = nd * nh * nw;
  const hd = dim / heads;
  const hidden = Math.trunc(dim * ctx.encoder.mlp_ratio);
  let t = layerNorm(g, a.x, w("norm1.weight", [dim]), w("norm1.bias", [dim]), LN_EPS, `${hint}.norm1`);
  t = padEnd(g, t, [dp - d, hp - h, wp - wd], `${hint}.pad`);
  const shift = a.shifted ? win.shift : ([0, 0, 0] as const);
  for (let ax = 0; ax < 3; ax++) t = roll(g, t, win.padded[ax]!, -shift[ax]!, ax + 1, `${hint}.roll${ax}`);
  // windows [B·nW, N, C], in (d, h, w) order within and across windows
  t = reshapeBatch(g, t, [nd, kd, nh, kh, nw, kw, dim], `${hint}.win_split`);
  t = g.op("Transpose", [t], { perm: [0, 1, 3, 5, 2, 4, 6, 7] }, `${hint}.win_perm`);
  t = g.op("Reshape", [t, g.ints([-1, n, dim])], {}, `${hint}.windows`);
  const qkvW = w("attn.qkv.weight", [3 * dim, dim]).slice();
  const qkvB = w("attn.qkv.bias", [3 * dim]).slice();
  const scale = hd ** -0.5;
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) qkvW[r * dim + c]! *= scale;
    qkvB[r]! *= scale;
  }
  const qkv = linear(g, t, qkvW, qkvB, 3 * dim, `${hint}.qkv`);
  const [q, k, v] = g.opN("Split", [qkv, g.ints([dim, dim, dim])], 3, { axis: 2 }, `${hint}.split`) as [string, string, string];
  const headsOf = (y: string, perm: number[], name: string) => g.op("Transpose", [g.op("Reshape", [y, g.ints([-1, n, heads, hd])], {}, `${name}_heads`)], { perm }, name);
  let s = g.op("MatMul", [headsOf(q, [0, 2, 1, 3], `${hint}.q`), headsOf(k, [0, 2, 3, 1], `${hint}.kT`)], {}, `${hint}.scores`);
  const table = w("attn.relative_position_bias_table", [swinTableRows(a.full), heads]);
  s = g.op("Add", [s, g.weight(`${hint}.rel_pos_bias`, [heads, n, n], gatherBias(table, heads, a.full, win.window))], {}, `${hint}.scores_biased`);
  if (a.shifted && a.mask) {
    s = g.op("Reshape", [s, g.ints([-1, nW, heads, n, n])], {}, `${hint}.scores_win`);
    s = g.op("Reshape", [g.op("Add", [s, a.mask], {}, `${hint}.scores_masked_w`), g.ints([-1, heads, n, n])], {}, `${hint}.scores_masked`);
  }
  const attn = g.op("Softmax", [s], { axis: -1 }, `${hint}.attn`);
  let o = g.op("MatMul", [attn, headsOf(v, [0, 2, 1, 3], `${hint}.v`)], {}, `${hint}.ctx`);
  o = g.op("Reshape", [g.op("Transpose", [o], { perm: [0, 2, 1, 3] }, `${hint}.ctx_t`), g.ints([-1, n, dim])], {}, `${hint}.ctx_merged`);
  o = linear(g, o, w("attn.proj.weight", [dim, dim]), w("attn.proj.bias", [dim]), dim, `${hint}.proj`);
  // windows back to the padded map, shift undone, padding cropped
  o = reshapeBatch(g, g.op("Reshape", [o, g.ints([-1, nW * n * dim])], {}, `${hint}.rev_flat`), [nd, nh, nw, kd, kh, kw, dim], `${hint}.rev_split`);
  o = reshapeBatch(g, g.op("Transpose", [o], { perm: [0, 1, 4, 2, 5, 3, 6, 7] }, `${hint}.rev_perm`), [dp, hp, wp, dim], `${hint}.rev`);
  for (let ax = 0; ax < 3; ax++) o = roll(g, o, win.padded[ax]!, shift[ax]!, ax + 1, `${hint}.unroll${ax}`);
  if (dp > d || hp > h || wp > wd) o = g.op("Slice", [o, g.ints([0, 0, 0]), g.ints([d, h, wd]), g.ints([1, 2, 3])], {}, `${hint}.crop`);
  let x = g.op("Add", [a.x, o], {}, `${hint}.res1`);
  let m = layerNorm(g, x, w("norm2.weight", [dim]), w("norm2.bias", [dim]), LN_EPS, `${hint}.norm2`);
  m = gelu(g, linear(g, m, w("mlp.fc1.weight", [hidden, dim]), w("mlp.fc1.bias", [hidden]), hidden, `${hint}.fc1`), `${hint}.gelu`);
  x = g.op("Add", [x, linear(g, m, w("mlp.fc2.weight", [dim, hidden]), w("mlp.fc2.bias", [dim]), dim, `${hint}.fc2`)], {}, `${hint}.out`);
  return x;
}

/** In-plane patch merging of `[B, D, H, W, C]`: odd sides padded, the 2×2 neighbours (x0, x1, x2, x3) concatenated, LayerNorm, reduction. */
function merge(ctx: SwinEncoderGraphContext, x: string, map: readonly [number, number, number], dim: number, pre: string, hint: string): string {
  const { g, tensors } = ctx;
  const w = (name: string, shape: number[]) => tensors.get({ name: `encoder.${pre}${name}`, shape });
  const [d, h, wd] = map;
  const [h2, w2] = [Math.ceil(h / 2), Math.ceil(wd / 2)];
  let t = padEnd(g, x, [0, h % 2, wd % 2], `${hint}.pad`);
  t = reshapeBatch(g, t, [d, h2, 2, w2, 2, dim], `${hint}.split`);
  // (b, d, h2, a, w2, b', c) -> (b, d, h2, w2, b', a, c): channel (2·b' + a)·C + c = x0, x1, x2, x3
  t = reshapeBatch(g, g.op("Transpose", [t], { perm: [0, 1, 2, 4, 5, 3, 6] }, `${hint}.perm`), [d, h2, w2, 4 * dim], `${hint}.cat`);
  t = layerNorm(g, t, w("norm.weight", [4 * dim]), w("norm.bias", [4 * dim]), LN_EPS, `${hint}.norm`);
  const red = g.weight(`${hint}.reduction.weight_t`, [4 * dim, 2 * dim], transpose2d(w("reduction.weight", [2 * dim, 4 * dim]), 2 * dim, 4 * dim));
  return g.op("MatMul", [t, red], {}, `${hint}.reduction`);
}

/**
 * Adds a Swin / Video Swin encoder to the graph, from the `[B, C, window, H, W]` input to its four
 * stage outputs `[B, Cs, Hs, Ws]` (NCHW): `swin` after the stage norms unless `stageNorms` is
 * false, `swin3d` the centre depth position of each stage.
 */
export function buildSwinEncoder(ctx: SwinEncoderGraphContext, input: string, options: { readonly stageNorms?: boolean } = {}): string[] {
  const { g, tensors, encoder: e } = ctx;
  const w = (name: string, shape: number[]) => tensors.get({ name: `encoder.${name}`, shape });
  const [kd, p] = swinPatch(e);
  const c = e.in_channels;
  const depthIn = e.force_2d ? 1 : e.window;
  let x = input;
  if (e.force_2d) {
    const mid = Math.floor(e.window / 2);
    x = g.op("Slice", [x, g.ints([mid]), g.ints([mid + 1]), g.ints([2])], {}, "centre_slice");
  }
  const pads = [(kd - (depthIn % kd)) % kd, (p - (e.img[0] % p)) % p, (p - (e.img[1] % p)) % p] as const;
  if (pads.some((v) => v > 0)) x = g.op("Pad", [x, g.ints([0, 0, 0, 0, 0, 0, 0, pads[0], pads[1], pads[2]])], { mode: "constant" }, "input_pad");
  const [gd, gh, gw] = [(depthIn + pads[0]) / kd, (e.img[0] + pads[1]) / p, (e.img[1] + pads[2]) / p];
  // patch embedding (kernel = stride) as reshape + transpose + MatMul, then the patch norm
  x = reshapeBatch(g, x, [c, gd, kd, gh, p, gw, p], "patches_split");
  x = g.op("Transpose", [x], { perm: [0, 2, 4, 6, 1, 3, 5, 7] }, "patches_perm");
  x = reshapeBatch(g, x, [gd * gh * gw, c * kd * p * p], "patches");
  x = linear(g, x, w("patch_embed.proj.weight", [e.embed_dim, c, kd, p, p]), w("patch_embed.proj.bias", [e.embed_dim]), e.embed_dim, "patch_embed");
  x = layerNorm(g, x, w("patch_embed.norm.weight", [e.embed_dim]), w("patch_embed.norm.bias", [e.embed_dim]), LN_EPS, "patch_norm");
  x = reshapeBatch(g, x, [gd, gh, gw, e.embed_dim], "tokens");
  const dims = swinStageDims(e);
  const full = e.window_size.length === 2 ? [1, ...e.window_size] : [...e.window_size];
  let map: [number, number, number] = [gd, gh, gw];
  const outs: string[] = [];
  for (let s = 0; s < dims.length; s++) {
    const dim = dims[s]!;
    const win = stageWindow(e.kind, e.window_size, map);
    const shiftAny = win.shift.some((v) => v > 0);
    const n = win.window[0] * win.window[1] * win.window[2];
    const maskValues = shiftAny ? shiftedWindowMask(win.padded, win.window, win.shift) : null;
    const mask = maskValues ? g.weight(`stage${s}.attn_mask`, [maskValues.length / (n * n), 1, n, n], maskValues) : null;
    for (let j = 0; j < e.depths[s]!; j++) {
      x = block(ctx, { x, map, dim, heads: e.heads[s]!, win, shifted: shiftAny && j % 2 === 1, mask, full, pre: `layers.${s}.blocks.${j}.`, hint: `stage${s}.block${j}` });
    }
    const [d, h, wd] = map;
    let out = x;
    if (e.kind === "swin3d") {
      const centre = Math.floor(d / 2);
      out = g.op("Slice", [out, g.ints([centre]), g.ints([centre + 1]), g.ints([1])], {}, `stage${s}.centre`);
    }
    out = reshapeBatch(g, out, [h, wd, dim], `stage${s}.map`);
    if (e.kind === "swin" && (options.stageNorms ?? true)) out = layerNorm(g, out, w(`norm${s}.weight`, [dim]), w(`norm${s}.bias`, [dim]), LN_EPS, `stage${s}.norm`);
    outs.push(g.op("Transpose", [out], { perm: [0, 3, 1, 2] }, `features${s}`));
    if (s < dims.length - 1) {
      x = merge(ctx, x, map, dim, `layers.${s}.downsample.`, `stage${s}.merge`);
      map = [d, Math.ceil(h / 2), Math.ceil(wd / 2)];
    }
  }
  return outs;
}
