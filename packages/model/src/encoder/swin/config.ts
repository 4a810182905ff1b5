import { ConfigError } from "../../config.js";

/** The hierarchical encoder kinds: `swin` (TransSeg's `swint`) and `swin3d` (Video Swin, TransSeg's `swint3d`). */
export const SWIN_KINDS = ["swin", "swin3d"] as const;
export type SwinKind = (typeof SWIN_KINDS)[number];

/**
 * The encoder section of a Swin / Video Swin model (`transseg-seg/1`). Field names follow
 * TransSeg's `SwinTransformer` arguments; `window` and `img` keep their ViT meaning (slices in
 * the input window, in-plane input size), `window_size` is the attention window.
 */
export interface SwinEncoderConfig {
  readonly kind: SwinKind;
  /** Channels of the first stage (stage i has `embed_dim · 2^i`). */
  readonly embed_dim: number;
  /** Blocks per stage. */
  readonly depths: readonly number[];
  /** Attention heads per stage. */
  readonly heads: readonly number[];
  /** Attention window: `[Wh, Ww]` (`swin`) or `[Wd, Wh, Ww]` (`swin3d`). */
  readonly window_size: readonly number[];
  /** In-plane patch (P × P), 4 for every released Swin. */
  readonly patch: number;
  /** Slices per patch: `swin` = `window` (one depth position, as TransSeg's Conv3d), 1 with `force_2d`; `swin3d` = the temporal patch (2). */
  readonly patch_depth: number;
  readonly mlp_ratio: number;
  /** Stochastic depth rate of the last block (linear from 0), applied in training only. */
  readonly drop_path: number;
  /** Slices in the input window (odd). */
  readonly window: number;
  /** The "w/o D" model: centre slice only. */
  readonly force_2d: boolean;
  readonly in_channels: number;
  /** `[H, W]`: any size; the input is zero-padded to multiples of `patch` (Microsoft's rule). */
  readonly img: readonly [number, number];
}

/** What a user may write: optional fields get their defaults. */
export type SwinEncoderConfigInput = Partial<Omit<SwinEncoderConfig, "window_size">> &
  Pick<SwinEncoderConfig, "kind" | "embed_dim" | "depths" | "heads" | "img"> & { readonly window_size?: number | readonly number[] };

/** True for the hierarchical (Swin) kinds. */
export function isSwinKind(kind: unknown): kind is SwinKind {
  return (SWIN_KINDS as readonly unknown[]).includes(kind);
}

/** True for a Swin / Video Swin encoder section. */
export function isSwinConfig(e: { readonly kind: string }): e is SwinEncoderConfig {
  return isSwinKind(e.kind);
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new ConfigError(`${what} must be a positive integer (got ${JSON.stringify(v)})`);
  return v;
}

function intList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(`${what} must be a non-empty list of positive integers (got ${JSON.stringify(v)})`);
  return v.map((x, i) => positiveInt(x, `${what}[${i}]`));
}

/** Channels of each stage: `embed_dim · 2^i`. */
export function swinStageDims(e: Pick<SwinEncoderConfig, "embed_dim" | "depths">): number[] {
  return e.depths.map((_, i) => e.embed_dim * 2 ** i);
}

/** Effective patch `[kd, P, P]` (kd = 1 with `force_2d` for `swin`). */
export function swinPatch(e: SwinEncoderConfig): [number, number, number] {
  return [e.kind === "swin" && e.force_2d ? 1 : e.patch_depth, e.patch, e.patch];
}

/** The slices the encoder sees: 1 for `force_2d`, else `window`. */
export function swinInputDepth(e: SwinEncoderConfig): number {
  return e.force_2d ? 1 : e.window;
}

/** Token map `[D, H, W]` after the patch embedding (input zero-padded to multiples of the patch). */
export function swinTokenGrid(e: SwinEncoderConfig): [number, number, number] {
  const [kd, p] = swinPatch(e);
  return [Math.ceil(swinInputDepth(e) / kd), Math.ceil(e.img[0] / p), Math.ceil(e.img[1] / p)];
}

/** In-plane map `[H, W]` of each stage (patch merging pads odd sides: `ceil(x / 2)`). */
export function swinStageGrids(e: SwinEncoderConfig): [number, number][] {
  const [, h0, w0] = swinTokenGrid(e);
  const out: [number, number][] = [];
  let [h, w] = [h0, w0];
  for (let i = 0; i < e.depths.length; i++) {
    out.push([h, w]);
    [h, w] = [Math.ceil(h / 2), Math.ceil(w / 2)];
  }
  return out;
}

/** MLP hidden width of a stage of `dim` channels (`int(dim * mlp_ratio)`). */
export function swinMlpHidden(e: SwinEncoderConfig, dim: number): number {
  return Math.trunc(dim * e.mlp_ratio);
}

/**
 * Fills the Swin defaults (window_size 7 / (8, 7, 7), patch 4, patch_depth = window for `swin`
 * and 2 for `swin3d`, mlp_ratio 4, drop_path 0.2, window 5, 1 channel) and validates; throws a
 * one-line `ConfigError` naming the field.
 */
export function normalizeSwinConfig(e: SwinEncoderConfigInput): SwinEncoderConfig {
  if (!isSwinKind(e.kind)) throw new ConfigError(`encoder.kind must be one of ${SWIN_KINDS.join(", ")} for a Swin encoder (got ${JSON.stringify(e.kind)})`);
  const embed = positiveInt(e.embed_dim, "encoder.embed_dim");
  const depths = intList(e.depths, "encoder.depths");
  const heads = intList(e.heads, "encoder.heads");
  if (heads.length !== depths.length) throw new ConfigError(`encoder.heads lists ${heads.length} stages but encoder.depths lists ${depths.length}`);
  depths.forEach((_, i) => {
    const dim = embed * 2 ** i;
    if (dim % heads[i]! !== 0) throw new ConfigError(`encoder stage ${i} has ${dim} channels, not divisible by encoder.heads[${i}] = ${heads[i]}`);
  });
  const rank = e.kind === "swin" ? 2 : 3;
  const ws = e.window_size ?? (rank === 2 ? 7 : [8, 7, 7]);
  const windowSize = typeof ws === "number" ? new Array<number>(rank).fill(ws) : intList(ws, "encoder.window_size");
  windowSize.forEach((v, i) => positiveInt(v, `encoder.window_size[${i}]`));
  if (windowSize.length !== rank) throw new ConfigError(`encoder.window_size must have ${rank} entries for ${e.kind} (got ${JSON.stringify(ws)})`);
  const window = positiveInt(e.window ?? 5, "encoder.window");
  if (window % 2 === 0) throw new ConfigError(`encoder.window must be odd (got ${window})`);
  const force2d = e.force_2d ?? false;
  if (typeof force2d !== "boolean") throw new ConfigError("encoder.force_2d must be a boolean");
  const patchDepth = positiveInt(e.patch_depth ?? (rank === 2 ? window : 2), "encoder.patch_depth");
  if (e.kind === "swin" && patchDepth !== window) throw new ConfigError(`encoder.patch_depth must equal encoder.window (${window}) for swin: its patch embedding spans the window (got ${patchDepth})`);
  if (!Array.isArray(e.img) || e.img.length !== 2) throw new ConfigError(`encoder.img must be [H, W] (got ${JSON.stringify(e.img)})`);
  const img: [number, number] = [positiveInt(e.img[0], "encoder.img[0]"), positiveInt(e.img[1], "encoder.img[1]")];
  const mlpRatio = e.mlp_ratio ?? 4;
  if (typeof mlpRatio !== "number" || !(mlpRatio > 0)) throw new ConfigError("encoder.mlp_ratio must be a positive number");
  const dropPath = e.drop_path ?? 0.2;
  if (typeof dropPath !== "number" || !(dropPath >= 0 && dropPath < 1)) throw new ConfigError(`encoder.drop_path must be a number in [0, 1) (got ${JSON.stringify(dropPath)})`);
  return {
    ...e,
    kind: e.kind,
    embed_dim: embed,
    depths,
    heads,
    window_size: windowSize,
    patch: positiveInt(e.patch ?? 4, "encoder.patch"),
    patch_depth: patchDepth,
    mlp_ratio: mlpRatio,
    drop_path: dropPath,
    window,
    force_2d: force2d,
    in_channels: positiveInt(e.in_channels ?? 1, "encoder.in_channels"),
    img,
  };
}
