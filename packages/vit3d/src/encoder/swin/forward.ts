import * as tf from "@tensorflow/tfjs";
import { shiftedWindowMask, shrunkRelativeIndex, stageWindow, swinPatch, swinStageDims, windowRelativeIndex, type StageWindow, type SwinEncoderConfig } from "@transseg/model";
import { linear } from "../../ops/matmul.js";
import { gelu, layerNorm } from "../../ops/norm.js";
import type { ParamGetter } from "../../params.js";
import { attentionCore, splitHeads } from "../attention.js";
import { patchify } from "../patchify.js";

/** PyTorch's `nn.LayerNorm` default, which Swin, Video Swin and torchvision's Swin use. */
const EPS = 1e-5;

export interface SwinForwardOptions {
  /** Training: stochastic depth (`drop_path`, linear over the blocks). Default false. */
  readonly training?: boolean;
  /** Seed of the drop-path masks (same seed, same masks); omitted = unseeded. */
  readonly seed?: number;
  /** Apply the stage norms `norm0..norm3` (`swin`; TransSeg's outputs). Default true; false = the raw stage outputs. */
  readonly stageNorms?: boolean;
}

const indexCache = new Map<string, Int32Array>();
function cachedIndex(full: readonly number[], used: readonly number[]): Int32Array {
  const key = `${full.join("x")}/${used.join("x")}`;
  let idx = indexCache.get(key);
  if (!idx) indexCache.set(key, (idx = used.every((u, i) => u === full[i]) ? windowRelativeIndex(full) : shrunkRelativeIndex(full, used)));
  return idx;
}

const maskCache = new Map<string, Float32Array>();
function cachedMask(w: StageWindow): Float32Array {
  const key = `${w.padded.join("x")}/${w.window.join("x")}/${w.shift.join("x")}`;
  let m = maskCache.get(key);
  if (!m) maskCache.set(key, (m = shiftedWindowMask(w.padded, w.window, w.shift)));
  return m;
}

/** Cyclic shift of `x` by `-s` (forward) or `+s` along `axis` (torch.roll). */
function roll(x: tf.Tensor, shift: number, axis: number): tf.Tensor {
  const n = x.shape[axis]!;
  const s = ((shift % n) + n) % n;
  if (s === 0) return x;
  const begin = x.shape.map(() => 0);
  const size = x.shape.map(() => -1);
  const head = tf.slice(x, begin, size.map((v, i) => (i === axis ? n - s : v)));
  const tail = tf.slice(x, begin.map((v, i) => (i === axis ? n - s : v)), size);
  return tf.concat([tail, head], axis);
}

/** `[B, Dp, Hp, Wp, C]` → windows `[B·nW, wd·wh·ww, C]` (windows in (d, h, w) order), as two rank-4 transposes. */
function partition(x: tf.Tensor, w: readonly [number, number, number]): tf.Tensor3D {
  const [b, dp, hp, wp, c] = x.shape as [number, number, number, number, number];
  const [wd, wh, ww] = w;
  const [nd, nh, nw] = [dp / wd, hp / wh, wp / ww];
  let t = x;
  // (b nd) wd nh (wh nw ww c) -> (b nd) nh wd (...)
  if (wd > 1 && nh > 1) t = tf.transpose(t.reshape([b * nd, wd, nh, wh * wp * c]), [0, 2, 1, 3]);
  // (b nd nh) (wd wh) nw (ww c) -> (b nd nh) nw (wd wh) (ww c)
  t = tf.transpose(t.reshape([b * nd * nh, wd * wh, nw, ww * c]), [0, 2, 1, 3]);
  return t.reshape([b * nd * nh * nw, wd * wh * ww, c]) as tf.Tensor3D;
}

/** Inverse of `partition`. */
function reverse(windows: tf.Tensor, w: readonly [number, number, number], shape: readonly [number, number, number, number, number]): tf.Tensor {
  const [b, dp, hp, wp, c] = shape;
  const [wd, wh, ww] = w;
  const [nd, nh, nw] = [dp / wd, hp / wh, wp / ww];
  let t: tf.Tensor = tf.transpose(windows.reshape([b * nd * nh, nw, wd * wh, ww * c]), [0, 2, 1, 3]);
  if (wd > 1 && nh > 1) t = tf.transpose(t.reshape([b * nd, nh, wd, wh * wp * c]), [0, 2, 1, 3]);
  return t.reshape([b, dp, hp, wp, c]);
}

/** Stochastic depth: whole samples of a residual branch dropped with probability `rate`, the rest scaled by `1/(1 − rate)`. */
function dropPath(x: tf.Tensor, rate: number, seed: number | undefined): tf.Tensor {
  if (rate <= 0) return x;
  const keep = 1 - rate;
  const shape = [x.shape[0]!, ...x.shape.slice(1).map(() => 1)];
  const mask = tf.floor(tf.add(tf.randomUniform(shape, 0, 1, "float32", seed), keep));
  return tf.mul(x, tf.div(mask, keep));
}

interface BlockContext {
  readonly p: ParamGetter;
  readonly pre: string;
  readonly heads: number;
  readonly win: StageWindow;
  readonly shifted: boolean;
  readonly index: tf.Tensor1D;
  /** `[nW, N, N]` mask of the shifted blocks. */
  readonly mask: tf.Tensor3D | null;
  readonly dropRate: number;
  readonly training: boolean;
  readonly seed: number | undefined;
}

function windowAttention(x: tf.Tensor, ctx: BlockContext): tf.Tensor {
  const { p, pre, heads, win } = ctx;
  const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
  const [dp, hp, wp] = win.padded;
  let t = x;
  if (dp > d || hp > h || wp > w) t = tf.pad(t, [[0, 0], [0, dp - d], [0, hp - h], [0, wp - w], [0, 0]]);
  const shift = ctx.shifted ? win.shift : ([0, 0, 0] as const);
  for (let a = 0; a < 3; a++) t = roll(t, -shift[a]!, a + 1);
  const windows = partition(t, win.window);
  const [bw, n] = windows.shape;
  const nW = bw / b;
  const hd = c / heads;
  const [q0, k, v] = splitHeads(linear(windows, p(`${pre}attn.qkv.weight`), p(`${pre}attn.qkv.bias`)) as tf.Tensor3D, heads);
  const q = tf.mul(q0, hd ** -0.5) as tf.Tensor3D;
  const kT = tf.transpose(k, [0, 2, 1]) as tf.Tensor3D;
  const table = p(`${pre}attn.relative_position_bias_table`);
  let bias = tf.transpose(tf.gather(table, ctx.index), [1, 0]).reshape([heads, n, n]) as tf.Tensor3D;
  let groups = heads;
  if (ctx.shifted && ctx.mask) {
    bias = tf.add(bias.reshape([1, heads, n, n]), ctx.mask.reshape([nW, 1, n, n])).reshape([nW * heads, n, n]) as tf.Tensor3D;
    groups = nW * heads;
  }
  const out = attentionCore(q, kT, v, { full: bias }, groups, false);
  const merged = tf.transpose(out.reshape([bw, heads, n, hd]), [0, 2, 1, 3]).reshape([bw, n, c]);
  const proj = linear(merged, p(`${pre}attn.proj.weight`), p(`${pre}attn.proj.bias`));
  let y = reverse(proj, win.window, [b, dp, hp, wp, c]);
  for (let a = 0; a < 3; a++) y = roll(y, shift[a]!, a + 1);
  if (dp > d || hp > h || wp > w) y = tf.slice(y, [0, 0, 0, 0, 0], [b, d, h, w, c]);
  return y;
}

function block(x: tf.Tensor, ctx: BlockContext): tf.Tensor {
  const { p, pre } = ctx;
  const seed = (k: number) => (ctx.seed === undefined ? undefined : ctx.seed + k);
  const drop = (t: tf.Tensor, k: number) => (ctx.training ? dropPath(t, ctx.dropRate, seed(k)) : t);
  const a = windowAttention(layerNorm(x, p(`${pre}norm1.weight`), p(`${pre}norm1.bias`), EPS), ctx);
  const y = tf.add(x, drop(a, 0));
  const hidden = gelu(linear(layerNorm(y, p(`${pre}norm2.weight`), p(`${pre}norm2.bias`), EPS), p(`${pre}mlp.fc1.weight`), p(`${pre}mlp.fc1.bias`)));
  const m = linear(hidden, p(`${pre}mlp.fc2.weight`), p(`${pre}mlp.fc2.bias`));
  return tf.add(y, drop(m, 1));
}

/** Patch merging of `[B, D, H, W, C]` in-plane: odd sides zero-padded, 2×2 neighbours (x0, x1, x2, x3 = (0,0), (1,0), (0,1), (1,1)) concatenated, LayerNorm, reduction to 2C. */
function patchMerging(x: tf.Tensor, p: ParamGetter, pre: string): tf.Tensor {
  const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
  let t = x;
  if (h % 2 || w % 2) t = tf.pad(t, [[0, 0], [0, 0], [0, h % 2], [0, w % 2], [0, 0]]);
  const [h2, w2] = [Math.ceil(h / 2), Math.ceil(w / 2)];
  // (b d h2) a w2 b' c -> (b d h2) w2 b' a c: channel index (2·b' + a)·C + c
  t = tf.transpose(t.reshape([b * d * h2, 2, w2, 2, c]), [0, 2, 3, 1, 4]).reshape([b, d, h2, w2, 4 * c]);
  return linear(layerNorm(t, p(`${pre}norm.weight`), p(`${pre}norm.bias`), EPS), p(`${pre}reduction.weight`));
}

/** Patch embedding: `[B, C, D, H, W]` zero-padded at the end of each axis to multiples of the patch, Conv3d(kernel = stride) as patch rows + matMul, LayerNorm → `[B, Gd, Gh, Gw, E]`. */
export function swinPatchEmbed(x: tf.Tensor5D, p: ParamGetter, e: SwinEncoderConfig): tf.Tensor {
  const [kd, ph, pw] = swinPatch(e);
  const [b, , d, h, w] = x.shape;
  const pad = [kd, ph, pw].map((k, i) => (k - ([d, h, w][i]! % k)) % k);
  const input = pad.some((v) => v > 0) ? (tf.pad(x, [[0, 0], [0, 0], [0, pad[0]!], [0, pad[1]!], [0, pad[2]!]]) as tf.Tensor5D) : x;
  const [gd, gh, gw] = [(d + pad[0]!) / kd, (h + pad[1]!) / ph, (w + pad[2]!) / pw];
  const rows = tf.add(tf.matMul(patchify(input, kd, ph), p("patch_embed.proj.weight") as tf.Tensor2D), p("patch_embed.proj.bias"));
  return layerNorm(rows, p("patch_embed.norm.weight"), p("patch_embed.norm.bias"), EPS).reshape([b, gd, gh, gw, e.embed_dim]);
}

/**
 * The stage outputs of a Swin / Video Swin on an input `[B, C, D, H, W]` as it is (no `force_2d`
 * slice, any depth): `[B, Ds, Hs, Ws, Cs]` per stage, every depth position, no stage norms. Not
 * wrapped in a tidy: call it inside one (each block runs in its own).
 */
export function swinStageMaps(x: tf.Tensor5D, p: ParamGetter, e: SwinEncoderConfig, options: SwinForwardOptions = {}): tf.Tensor[] {
  let h = swinPatchEmbed(x, p, e);
  const total = e.depths.reduce((a, v) => a + v, 0);
  const training = options.training ?? false;
  const fullWindow = e.window_size.length === 2 ? [1, ...e.window_size] : [...e.window_size];
  const stages = swinStageDims(e).length;
  const outs: tf.Tensor[] = [];
  let blockNo = 0;
  for (let s = 0; s < stages; s++) {
    const [, d, hh, ww] = h.shape as [number, number, number, number, number];
    const win = stageWindow(e.kind, e.window_size, [d, hh, ww]);
    const index = tf.tensor1d(cachedIndex(fullWindow, win.window), "int32");
    const anyShift = win.shift.some((v) => v > 0);
    const n = win.window[0] * win.window[1] * win.window[2];
    const maskValues = anyShift ? cachedMask(win) : null;
    const mask = maskValues ? (tf.tensor3d(maskValues, [maskValues.length / (n * n), n, n]) as tf.Tensor3D) : null;
    for (let j = 0; j < e.depths[s]!; j++) {
      const ctx: BlockContext = {
        p,
        pre: `layers.${s}.blocks.${j}.`,
        heads: e.heads[s]!,
        win,
        shifted: j % 2 === 1 && anyShift,
        index,
        mask,
        dropRate: total > 1 ? (e.drop_path * blockNo) / (total - 1) : 0,
        training,
        seed: options.seed === undefined ? undefined : options.seed * 1009 + blockNo * 2,
      };
      const prev = h;
      // one tidy per block, as the ViT encoder: the attention maps die with it
      h = tf.tidy(() => block(prev, ctx));
      blockNo++;
    }
    outs.push(h);
    if (s < stages - 1) h = patchMerging(h, p, `layers.${s}.downsample.`);
  }
  return outs;
}

/**
 * Swin / Video Swin forward on a window `[B, C, D, H, W]` (the centre slice is taken here for
 * `force_2d`): the stage outputs as NHWC maps `[B, Hs, Ws, Cs]` at strides 4, 8, 16, 32 —
 * `swin` with the stage norms (unless `stageNorms: false`), `swin3d` the centre depth position
 * `D // 2` of each stage (no norms, as TransSeg's `swint3d`). Not wrapped in a tidy: call it
 * inside one.
 */
export function swinForward(x: tf.Tensor5D, p: ParamGetter, e: SwinEncoderConfig, options: SwinForwardOptions = {}): tf.Tensor4D[] {
  let input = x;
  if (e.force_2d && x.shape[2] !== 1) input = tf.slice(x, [0, 0, Math.floor(x.shape[2] / 2), 0, 0], [-1, -1, 1, -1, -1]);
  return swinStageMaps(input, p, e, options).map((m, s) => {
    const [b, d, h, w, c] = m.shape as [number, number, number, number, number];
    let out = tf.slice(m, [0, e.kind === "swin3d" ? Math.floor(d / 2) : 0, 0, 0, 0], [-1, 1, -1, -1, -1]).reshape([b, h, w, c]) as tf.Tensor4D;
    if (e.kind === "swin" && (options.stageNorms ?? true)) out = layerNorm(out, p(`norm${s}.weight`), p(`norm${s}.bias`), EPS) as tf.Tensor4D;
    return out;
  });
}
