import { ConfigError, isSwinKind, swinPresets, type SwinEncoderConfigInput, type SwinPreset } from "@transseg/model";
import { inflateSwinCheckpoint, type StrategyRegistry } from "@transseg/inflate";
import { inferSwinConfig, type TensorMap } from "@transseg/weights";
import type { ResolvedTrainOptions } from "./options.js";

/** TransSeg's stochastic depth: `swint` 0.3, `swint3d` 0.2 (its `model.py`). */
const TRANSSEG_DROP_PATH = { swin: 0.3, swin3d: 0.2 } as const;

/** The Swin preset a run names (`--encoder swin-tiny`, …), or null. */
export function runSwinPreset(o: Pick<ResolvedTrainOptions, "preset">): SwinPreset | null {
  const presets: Readonly<Record<string, SwinPreset>> = swinPresets;
  return o.preset && presets[o.preset] ? presets[o.preset]! : null;
}

/** True when a canonical encoder map holds a Swin / Video Swin (`layers.S.blocks.B.…`). */
export function isSwinEncoderMap(map: TensorMap): boolean {
  return map.has("layers.0.blocks.0.norm1.weight");
}

/** What the run's input adds to any Swin encoder section. */
function runFields(o: ResolvedTrainOptions, inChannels: number) {
  return { window: o.window, force_2d: o.variant === "2d", in_channels: inChannels, img: [o.img[0], o.img[1]] as [number, number] };
}

/** The Swin architecture of a random-init run: `options.encoder` when it is a Swin, else a Swin preset, else null. */
export function runSwinArchitecture(o: Pick<ResolvedTrainOptions, "preset" | "encoder">): SwinPreset["encoder"] | null {
  if (o.encoder && isSwinKind(o.encoder.kind)) return o.encoder as SwinPreset["encoder"];
  return runSwinPreset(o)?.encoder ?? null;
}

/** The encoder section of a random-init Swin run (`--init random --encoder swin-tiny`, or a Swin `encoder` option). */
export function randomSwinEncoder(o: ResolvedTrainOptions, e: SwinPreset["encoder"], inChannels: number): SwinEncoderConfigInput {
  if (o.patchDepth !== null && o.patchDepth !== undefined && o.patchDepth !== o.window && e.kind === "swin") throw new ConfigError(`train: patchDepth does not apply to ${e.kind} (its patch spans the window)`);
  return { ...e, ...runFields(o, inChannels), patch_depth: e.kind === "swin" ? o.window : (e.patch_depth ?? 2) };
}

/**
 * A Swin run from a checkpoint (canonical names): a 2D Swin is inflated to `swin` (TransSeg's
 * swint; kernel depth = window, or 1 for the 2d variant) or, with a `swin3d-*` preset, to Video
 * Swin (Video Swin's `inflate_weights` for the tables, `inflation` for the kernel); a Video Swin
 * checkpoint stays `swin3d` (channels adapted). Returns the encoder section and tensors.
 */
export function swinFromCheckpoint(o: ResolvedTrainOptions, canonical: TensorMap, file: string, inChannels: number, strategies?: StrategyRegistry): { encoder: SwinEncoderConfigInput; tensors: TensorMap } {
  const info = inferSwinConfig(canonical, file);
  const preset = runSwinPreset(o);
  const target = info.kind === "swin3d" || preset?.encoder.kind === "swin3d" ? "swin3d" : "swin";
  if (preset && isSwinKind(preset.encoder.kind) && preset.encoder.kind !== target) throw new ConfigError(`train: ${file} is a Video Swin checkpoint; it makes a swin3d encoder, not ${preset.id}`);
  const windowSize = target === "swin3d" && info.kind !== "swin3d" && preset ? (preset.encoder.window_size as readonly number[]) : undefined;
  const r = inflateSwinCheckpoint(canonical, {
    target,
    strategy: o.inflation,
    window: target === "swin" && o.variant === "2d" ? 1 : o.window,
    ...(target === "swin3d" && info.kind !== "swin3d" && preset?.encoder.patch_depth ? { patchDepth: preset.encoder.patch_depth } : {}),
    ...(windowSize ? { windowSize: [windowSize[0]!, windowSize[1]!, windowSize[2]!] as const } : {}),
    inChannels,
    source: file,
    ...(strategies ? { strategies } : {}),
  });
  const resolved = r.report.options;
  const encoder: SwinEncoderConfigInput = {
    kind: target,
    embed_dim: info.embed_dim,
    depths: [...info.depths],
    heads: [...info.heads],
    window_size: [...resolved.windowSize],
    patch: info.patch,
    patch_depth: target === "swin" ? o.window : resolved.patchDepth,
    mlp_ratio: info.mlp_ratio,
    drop_path: preset?.encoder.drop_path ?? TRANSSEG_DROP_PATH[target],
    ...runFields(o, inChannels),
  };
  return { encoder, tensors: r.tensors };
}
