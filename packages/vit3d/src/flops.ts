import { numel } from "@transseg/weights";
import { builtinEncoders, effectivePatchDepth, isSwinConfig, swinEncoderParams, swinTokenGrid, type EncoderConfigInput, encoderGrid, type EncoderKind, encoderParams, mlpHidden, normalizeEncoderConfig, normalizeSegConfig, resolveId, type SegConfigInput } from "@transseg/model";
import type { Decoder } from "./decoders/decoder.js";
import { builtinDecoders } from "./decoders/registry.js";

/** Multiply-accumulates of one encoder forward, per operation, for a batch of one. */
export interface EncoderMacs {
  readonly patchEmbed: number;
  readonly qkv: number;
  readonly attention: number;
  readonly proj: number;
  readonly mlp: number;
  /** Elementwise products and LayerNorms, which torchprofile counts as one MAC per output element. */
  readonly elementwise: number;
  readonly total: number;
}

/**
 * Encoder MACs counted as TransSeg's `compute_flops.py` does (torchprofile `profile_macs`):
 * convolution = output elements × in × kernel; linear / matmul = n·m·p; elementwise `mul`
 * (query scaling, layer scale gamma_1/gamma_2) and affine LayerNorm = one per output element;
 * softmax, additions, GELU, indexing = 0. For BEiT-B at 512x512 this gives 2 × MACs =
 * 213,343,401,984 (2D) and 214,954,014,720 (window 5), exactly the paper's code's figures.
 */
export function encoderMacs(config: EncoderConfigInput, encoders: Readonly<Record<string, EncoderKind>> = builtinEncoders): EncoderMacs {
  const e = normalizeEncoderConfig(config);
  const kind = resolveId("encoder kind", e.kind, encoders);
  const [gd, gh, gw] = encoderGrid(e);
  const t = gd * gh * gw;
  const n = t + 1;
  const d = e.dim;
  const hidden = mlpHidden(e);
  const L = e.depth;
  const patchEmbed = t * d * e.in_channels * effectivePatchDepth(e) * e.patch * e.patch;
  const qkv = L * n * d * 3 * d;
  const attention = L * 2 * n * n * d; // q·kᵀ and attn·v over all heads
  const proj = L * n * d * d;
  const mlp = L * 2 * n * d * hidden;
  const perElement = 2 /* LayerNorms */ + 1 /* q scaling */ + (kind.layerScale ? 2 : 0);
  const elementwise = L * perElement * n * d;
  return { patchEmbed, qkv, attention, proj, mlp, elementwise, total: patchEmbed + qkv + attention + proj + mlp + elementwise };
}

/** FLOPs = 2 × MACs of the encoder (TransSeg's `compute_flops.py`), batch of one. */
export function countFlops(config: EncoderConfigInput, encoders?: Readonly<Record<string, EncoderKind>>): number {
  return 2 * encoderMacs(config, encoders).total;
}

export interface ParamCount {
  readonly encoder: number;
  readonly decoder: number;
  readonly total: number;
}

/** Trainable parameter counts (BatchNorm running statistics excluded). */
export function countParams(
  config: SegConfigInput,
  registries: { encoders?: Readonly<Record<string, EncoderKind>>; decoders?: Readonly<Record<string, Decoder>> } = {},
): ParamCount {
  const c = normalizeSegConfig(config);
  const e = c.encoder;
  const decoder = resolveId("decoder", c.decoder.kind, registries.decoders ?? builtinDecoders);
  const dconf = decoder.normalize(c.decoder, e);
  const [, gh, gw] = isSwinConfig(e) ? swinTokenGrid(e) : encoderGrid(e);
  const sum = (specs: { shape: readonly number[]; trainable: boolean }[]) => specs.filter((s) => s.trainable).reduce((a, s) => a + numel(s.shape), 0);
  const enc = sum(isSwinConfig(e) ? swinEncoderParams(e) : encoderParams(e, resolveId("encoder kind", e.kind, registries.encoders ?? builtinEncoders)));
  const dec = sum(decoder.params({ encoder: e, config: dconf, classes: c.classes, grid: [gh, gw] }));
  return { encoder: enc, decoder: dec, total: enc + dec };
}
