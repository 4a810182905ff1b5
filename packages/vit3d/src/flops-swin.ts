/**
 * Encoder MACs / FLOPs of the Swin encoders counted as TransSeg's `compute_flops.py` counts them
 * (torchprofile's `profile_macs` on a `torch.jit` trace, × 2 for FLOPs, batch of one): convolution
 * = output elements × in channels × kernel volume; linear = output elements × in features; matmul
 * = batch × n × m × p, on the padded window maps; `layer_norm` and elementwise `mul` = one per
 * output element; softmax, GELU, roll, pad, additions (bias, mask), indexing = 0. torchprofile also
 * counts one MAC for each `mul` of traced sizes (shape arithmetic) that survives the trace's dead
 * code elimination; those are counted here too, so the total equals the trace's exactly.
 */

/** A plain description of a Swin encoder for counting (no model package needed). */
export interface SwinFlopsConfig {
  /** `swin` (TransSeg's swint: 2D Swin behind a Conv3d patch over the window) or `swin3d` (Video Swin). */
  readonly kind: "swin" | "swin3d";
  readonly embed_dim: number;
  readonly depths: readonly number[];
  readonly heads: readonly number[];
  /** Attention window: a side or `[Wh, Ww]` for swin, `[Wd, Wh, Ww]` for swin3d. */
  readonly window_size: number | readonly number[];
  /** The in-plane patch side (default 4), or for swin3d `[pd, ph, pw]` (default [2, 4, 4]). */
  readonly patch?: number | readonly number[];
  /**
   * Slices per patch (the `@transseg/model` Swin config's field): swin's kernel depth (default
   * the window; 1 with force_2d), swin3d's temporal patch when `patch` is a number (default 2).
   */
  readonly patch_depth?: number;
  /** `[H, W]` of the input slices. */
  readonly img: readonly [number, number];
  readonly in_channels?: number;
  /** Slices per input window (default 5); swin's patch kernel spans all of them. */
  readonly window?: number;
  /** One slice (TransSeg's "w/o D" / compute_flops_2d): patch depth 1 for swin, one slice for swin3d. */
  readonly force_2d?: boolean;
  readonly mlp_ratio?: number;
}

/** MACs per operation (batch of one). */
export interface SwinMacs {
  /** `aten::_convolution`: the patch embedding. */
  readonly patchEmbed: number;
  /** `aten::layer_norm`: patch norm, norm1/norm2, merging norms, swin's stage norms. */
  readonly layerNorm: number;
  /** `aten::linear` of the attention input (qkv), output (proj), MLP (fc1 + fc2) and patch merging (reduction). */
  readonly qkv: number;
  readonly proj: number;
  readonly mlp: number;
  readonly merge: number;
  /** `aten::matmul`: q·kᵀ and attn·v over every (padded) window and head. */
  readonly attention: number;
  /** `aten::mul`: the query scaling. */
  readonly queryScale: number;
  /** `aten::mul` on traced sizes (one MAC each), as the trace holds them. */
  readonly shapeArithmetic: number;
  readonly total: number;
  /** The same total grouped by torchprofile operator (`aten::mul[scalar]` = shape arithmetic). */
  readonly byOperator: Readonly<Record<string, number>>;
}

const ceilTo = (v: number, m: number) => Math.ceil(v / m) * m;

function positive(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** The traced `mul`s of `reduce(mul, window_size)` in Video Swin's window_partition (traced = shrunk sides). */
function reduceMuls(traced: readonly boolean[]): number {
  const first = traced[0]! || traced[1]!;
  return (first ? 1 : 0) + (first || traced[2]! ? 1 : 0);
}

/** Encoder MACs of a Swin / Video Swin encoder, by operation; throws one line on a bad config. */
export function swinMacs(config: SwinFlopsConfig): SwinMacs {
  const c = config;
  if (c.kind !== "swin" && c.kind !== "swin3d") throw new Error(`kind must be "swin" or "swin3d", got ${JSON.stringify(c.kind)}`);
  const embed = positive("embed_dim", c.embed_dim);
  if (!Array.isArray(c.depths) || !c.depths.length) throw new Error("depths must be a non-empty list");
  c.depths.forEach((d, i) => positive(`depths[${i}]`, d));
  if (!Array.isArray(c.heads) || c.heads.length !== c.depths.length) throw new Error(`heads must list one count per stage (${c.depths.length})`);
  c.heads.forEach((h, i) => {
    positive(`heads[${i}]`, h);
    if ((embed * 2 ** i) % h !== 0) throw new Error(`heads[${i}] = ${h} does not divide the stage width ${embed * 2 ** i}`);
  });
  const [H, W] = [positive("img[0]", c.img?.[0]), positive("img[1]", c.img?.[1])];
  const cin = positive("in_channels", c.in_channels ?? 1);
  const slices = c.force_2d ? 1 : positive("window", c.window ?? 5);
  const ratio = c.mlp_ratio ?? 4;
  let patchEmbed = 0, layerNorm = 0, qkv = 0, proj = 0, mlp = 0, merge = 0, attention = 0, queryScale = 0, shapeArithmetic = 0;

  /** One window-attention block on a token map of `tokens` tokens, padded into `windows` windows of `n` tokens. */
  const block = (tokens: number, windows: number, n: number, dim: number) => {
    layerNorm += 2 * tokens * dim;
    qkv += windows * n * 3 * dim * dim;
    queryScale += windows * n * dim;
    attention += 2 * windows * n * n * dim;
    proj += windows * n * dim * dim;
    mlp += 2 * tokens * dim * ratio * dim;
  };
  const merging = (planes: number, h: number, w: number, dim: number) => {
    const t = planes * Math.ceil(h / 2) * Math.ceil(w / 2);
    layerNorm += t * 4 * dim;
    merge += t * 4 * dim * 2 * dim;
  };

  if (c.kind === "swin") {
    const ws = typeof c.window_size === "number" ? [c.window_size, c.window_size] : [...c.window_size];
    if (ws.length !== 2) throw new Error(`window_size must be a side or [Wh, Ww] for swin, got ${JSON.stringify(c.window_size)}`);
    ws.forEach((v, i) => positive(`window_size[${i}]`, v));
    const p = positive("patch", c.patch ?? 4);
    const kd = c.force_2d ? 1 : positive("patch_depth", c.patch_depth ?? slices);
    if (kd !== slices) throw new Error(`a swin patch kernel spans the whole window (${slices} slices), got patch_depth ${kd}`);
    // input padded to multiples of the patch (Microsoft's rule; see the README for TransSeg's H rule)
    let h = ceilTo(H, p) / p;
    let w = ceilTo(W, p) / p;
    patchEmbed = h * w * embed * cin * slices * p * p;
    layerNorm += h * w * embed;
    c.depths.forEach((depth, s) => {
      const dim = embed * 2 ** s;
      const windows = (ceilTo(h, ws[0]!) / ws[0]!) * (ceilTo(w, ws[1]!) / ws[1]!);
      for (let b = 0; b < depth; b++) block(h * w, windows, ws[0]! * ws[1]!, dim);
      shapeArithmetic += depth; // x.view(B, H * W, C) in every block
      layerNorm += h * w * dim; // the stage norm
      if (s < c.depths.length - 1) {
        merging(1, h, w, dim);
        shapeArithmetic += 1; // x.view(B, -1, 4 * C)
        h = Math.ceil(h / 2);
        w = Math.ceil(w / 2);
      }
    });
  } else {
    const ws = typeof c.window_size === "number" ? [c.window_size, c.window_size, c.window_size] : [...c.window_size];
    if (ws.length !== 3) throw new Error(`window_size must be [Wd, Wh, Ww] for swin3d, got ${JSON.stringify(c.window_size)}`);
    ws.forEach((v, i) => positive(`window_size[${i}]`, v));
    const pd = c.patch_depth ?? 2;
    const pr = c.patch === undefined ? [pd, 4, 4] : typeof c.patch === "number" ? [pd, c.patch, c.patch] : [...c.patch];
    if (pr.length !== 3) throw new Error(`patch must be [pd, ph, pw] for swin3d, got ${JSON.stringify(c.patch)}`);
    pr.forEach((v, i) => positive(`patch[${i}]`, v));
    const d = ceilTo(slices, pr[0]!) / pr[0]!;
    let h = ceilTo(H, pr[1]!) / pr[1]!;
    let w = ceilTo(W, pr[2]!) / pr[2]!;
    patchEmbed = d * h * w * embed * cin * pr[0]! * pr[1]! * pr[2]!;
    layerNorm += d * h * w * embed;
    c.depths.forEach((depth, s) => {
      const dim = embed * 2 ** s;
      const extent = [d, h, w];
      // Video Swin's get_window_size: a side no larger than the map shrinks to it and its shift is dropped
      const shrunk = extent.map((e, i) => e <= ws[i]!);
      const use = extent.map((e, i) => (shrunk[i] ? e : ws[i]!));
      const windows = extent.reduce((a, e, i) => a * (ceilTo(e, use[i]!) / use[i]!), 1);
      const n = use[0]! * use[1]! * use[2]!;
      for (let b = 0; b < depth; b++) block(d * h * w, windows, n, dim);
      // traced muls: window_partition's reduce(mul, window) per block; the mask's (its partition and
      // the padded sides of shrunk dimensions) only when a shifted block uses it
      const perPartition = reduceMuls(shrunk);
      const maskUsed = depth >= 2 && shrunk.some((x) => !x) && ws.some((v, i) => !shrunk[i] && Math.floor(v / 2) > 0);
      shapeArithmetic += depth * perPartition + (maskUsed ? perPartition + shrunk.filter(Boolean).length : 0);
      if (s < c.depths.length - 1) {
        merging(d, h, w, dim);
        h = Math.ceil(h / 2);
        w = Math.ceil(w / 2);
      }
    });
  }
  const linear = qkv + proj + mlp + merge;
  const total = patchEmbed + layerNorm + linear + attention + queryScale + shapeArithmetic;
  return {
    patchEmbed, layerNorm, qkv, proj, mlp, merge, attention, queryScale, shapeArithmetic, total,
    byOperator: { "aten::_convolution": patchEmbed, "aten::layer_norm": layerNorm, "aten::linear": linear, "aten::matmul": attention, "aten::mul": queryScale, "aten::mul[scalar]": shapeArithmetic },
  };
}

/** FLOPs = 2 × encoder MACs (TransSeg's `compute_flops.py`), batch of one. */
export function countSwinFlops(config: SwinFlopsConfig): number {
  return 2 * swinMacs(config).total;
}
