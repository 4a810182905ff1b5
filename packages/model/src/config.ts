import { isSwinKind, normalizeSwinConfig, type SwinEncoderConfig, type SwinEncoderConfigInput } from "./encoder/swin/config.js";

/** The model configuration stored as JSON in `__metadata__.transseg` of a `transseg-seg/1` file. */

export const SEG_FORMAT = "transseg-seg/1";

/** An invalid model or training configuration (CLI exit code 2); the message says which field and why. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export interface EncoderConfig {
  /** Encoder kind id (`beit`, `vit`, or a user kind in a custom registry). */
  readonly kind: string;
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  readonly mlp_ratio: number;
  /** Patch size in-plane (P × P). */
  readonly patch: number;
  /** Slices in the input window (odd). */
  readonly window: number;
  /** Slices per patch (default = window, so one depth token); ignored (1) with `force_2d`. */
  readonly patch_depth: number;
  /** The "w/o D" model: centre slice only, patch depth 1. */
  readonly force_2d: boolean;
  readonly in_channels: number;
  /** `[H, W]`: H = NIfTI x extent, W = y. */
  readonly img: readonly [number, number];
}

export interface DecoderConfig {
  readonly kind: string;
  readonly [option: string]: unknown;
}

/** The encoder section of any model: a ViT/BEiT (`EncoderConfig`) or a hierarchical Swin / Video Swin (`SwinEncoderConfig`). */
export type ModelEncoderConfig = EncoderConfig | SwinEncoderConfig;

/** A user-written encoder section of any model. */
export type ModelEncoderConfigInput = EncoderConfigInput | SwinEncoderConfigInput;

export interface SegConfig {
  readonly format: typeof SEG_FORMAT;
  readonly encoder: ModelEncoderConfig;
  readonly decoder: DecoderConfig;
  readonly classes: number;
  /** Anything else (labels, inflation, preprocess, task, …) is carried through unchanged. */
  readonly [extra: string]: unknown;
}

/** What a user may write: optional fields get their defaults. */
export interface SegConfigInput {
  readonly format?: string;
  readonly encoder: ModelEncoderConfigInput;
  readonly decoder: DecoderConfig;
  readonly classes: number;
  readonly [extra: string]: unknown;
}

/** Token grid `[Gd, Gh, Gw]` of an encoder configuration. */
export function encoderGrid(e: EncoderConfig): [number, number, number] {
  return [e.force_2d ? 1 : e.window / e.patch_depth, e.img[0] / e.patch, e.img[1] / e.patch];
}

/** Effective patch depth (1 with `force_2d`). */
export function effectivePatchDepth(e: EncoderConfig): number {
  return e.force_2d ? 1 : e.patch_depth;
}

/** MLP hidden width, as PyTorch's `int(dim * mlp_ratio)`. */
export function mlpHidden(e: EncoderConfig): number {
  return Math.trunc(e.dim * e.mlp_ratio);
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new ConfigError(`${what} must be a positive integer (got ${JSON.stringify(v)})`);
  return v;
}

/** An encoder section as a user may write it: optional fields get their defaults. */
export type EncoderConfigInput = Partial<EncoderConfig> & Pick<EncoderConfig, "kind" | "dim" | "depth" | "heads" | "img">;

/** Fills the encoder defaults (patch 16, window 5, patch_depth = window, …) and validates. */
export function normalizeEncoderConfig(e: EncoderConfigInput): EncoderConfig {
  if (!e || typeof e !== "object") throw new ConfigError("config has no encoder section");
  if (typeof e.kind !== "string") throw new ConfigError("encoder.kind must be a string");
  const dim = positiveInt(e.dim, "encoder.dim");
  const heads = positiveInt(e.heads, "encoder.heads");
  if (dim % heads !== 0) throw new ConfigError(`encoder.dim ${dim} is not divisible by encoder.heads ${heads}`);
  const patch = positiveInt(e.patch ?? 16, "encoder.patch");
  const window = positiveInt(e.window ?? 5, "encoder.window");
  if (window % 2 === 0) throw new ConfigError(`encoder.window must be odd (got ${window})`);
  const patchDepth = positiveInt(e.patch_depth ?? window, "encoder.patch_depth");
  const force2d = e.force_2d ?? false;
  if (typeof force2d !== "boolean") throw new ConfigError("encoder.force_2d must be a boolean");
  if (!force2d && window % patchDepth !== 0) throw new ConfigError(`encoder.window ${window} is not divisible by encoder.patch_depth ${patchDepth}`);
  if (!Array.isArray(e.img) || e.img.length !== 2) throw new ConfigError(`encoder.img must be [H, W] (got ${JSON.stringify(e.img)})`);
  const img: [number, number] = [positiveInt(e.img[0], "encoder.img[0]"), positiveInt(e.img[1], "encoder.img[1]")];
  if (img[0] % patch !== 0 || img[1] % patch !== 0) throw new ConfigError(`encoder.img ${img.join("x")} is not divisible by encoder.patch ${patch}`);
  const mlpRatio = e.mlp_ratio ?? 4;
  if (typeof mlpRatio !== "number" || !(mlpRatio > 0)) throw new ConfigError("encoder.mlp_ratio must be a positive number");
  return {
    ...e,
    kind: e.kind,
    dim,
    depth: positiveInt(e.depth, "encoder.depth"),
    heads,
    mlp_ratio: mlpRatio,
    patch,
    window,
    patch_depth: patchDepth,
    force_2d: force2d,
    in_channels: positiveInt(e.in_channels ?? 1, "encoder.in_channels"),
    img,
  };
}

/**
 * The ViT/BEiT encoder section of a config; a one-line ConfigError naming `user` (e.g.
 * `decoder "unetr"`) when the encoder is a hierarchical Swin, which it does not take.
 */
export function flatEncoder(e: ModelEncoderConfig, user: string): EncoderConfig {
  if (isSwinKind(e.kind)) throw new ConfigError(`${user} needs a ViT/BEiT encoder (one token grid), not the hierarchical "${e.kind}"${user.startsWith("decoder") ? ': use decoder "upernet-swint" (the default for swin / swin3d)' : ""}`);
  return e as EncoderConfig;
}

/** Fills defaults and validates (a Swin section by `normalizeSwinConfig`); throws a one-line Error naming the bad field. */
export function normalizeSegConfig(input: SegConfigInput): SegConfig {
  if (input.format !== undefined && input.format !== SEG_FORMAT) throw new ConfigError(`config format is "${String(input.format)}", expected "${SEG_FORMAT}"`);
  const e = input.encoder as { kind?: unknown } | undefined;
  const encoder = e && typeof e === "object" && isSwinKind(e.kind) ? normalizeSwinConfig(input.encoder as SwinEncoderConfigInput) : normalizeEncoderConfig(input.encoder as EncoderConfigInput);
  if (!input.decoder || typeof input.decoder.kind !== "string") throw new ConfigError("decoder.kind must be a string");
  return { ...input, format: SEG_FORMAT, encoder, decoder: input.decoder, classes: positiveInt(input.classes, "classes") };
}
