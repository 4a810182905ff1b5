import { statSync } from "node:fs";
import { ConfigError, type DecoderConfig, encoderPresets, resolveId, type SegConfigInput, type SwinEncoderConfigInput } from "@transseg/model";
import type { TaskProfile } from "@transseg/datasets";
import { inflateCheckpoint, type StrategyRegistry } from "@transseg/inflate";
import { canonicalize, CheckpointError, readCheckpoint, type AdapterRegistry, type TensorMap } from "@transseg/weights";
import type { Decoder } from "../decoders/decoder.js";
import { builtinDecoders } from "../decoders/registry.js";
import { createSegmentationModel } from "../load.js";
import type { SegmentationModel } from "../model.js";
import { isSwinEncoderMap, randomSwinEncoder, runSwinArchitecture, swinFromCheckpoint } from "./init-swin.js";
import { defaultLayerIdxs, type ResolvedTrainOptions } from "./options.js";

interface Architecture {
  kind: string;
  dim: number;
  depth: number;
  heads: number;
  mlp_ratio: number;
  patch: number;
}

function presetArchitecture(o: ResolvedTrainOptions): Partial<Architecture> {
  const presets: Readonly<Record<string, { encoder: Partial<Architecture> }>> = encoderPresets;
  const base = o.preset && presets[o.preset] ? presets[o.preset]!.encoder : {};
  return { ...base, ...(o.encoder ?? {}) } as Partial<Architecture>;
}

/** Architecture read off a canonical encoder map (heads from the BEiT bias table, else the preset / options). */
function checkpointArchitecture(t: TensorMap, file: string, o: ResolvedTrainOptions): Architecture {
  const need = (name: string) => {
    const e = t.get(name);
    if (!e) throw new CheckpointError(file, `no "${name}": not a ViT/BEiT encoder checkpoint`);
    return e.shape;
  };
  const dim = need("cls_token")[2]!;
  const kernel = need("patch_embed.proj.weight");
  let depth = 0;
  while (t.has(`blocks.${depth}.norm1.weight`)) depth++;
  const beit = t.has("blocks.0.attn.q_bias");
  const table = t.get("blocks.0.attn.relative_position_bias_table") ?? t.get("rel_pos_bias.relative_position_bias_table");
  const heads = beit && table ? table.shape[1]! : presetArchitecture(o).heads;
  if (heads === undefined) throw new CheckpointError(file, "the number of attention heads cannot be read from a ViT checkpoint: give preset or encoder.heads");
  return { kind: beit ? "beit" : "vit", dim, depth, heads, mlp_ratio: need("blocks.0.mlp.fc1.weight")[0]! / dim, patch: kernel.at(-1)! };
}

/**
 * The decoder section of the model config: the run's decoder options (those the head declares,
 * `Decoder.options`), with TransSeg's UPerNet defaults (channels = encoder dim, layer_idxs by
 * `defaultLayerIdxs`) and each other head's own defaults.
 */
function decoderSection(o: ResolvedTrainOptions, arch: Architecture | null, decoders: Readonly<Record<string, Decoder>>): DecoderConfig {
  let id = o.decoder ?? "upernet"; // run.json files written before decoder existed lack it
  // a hierarchical (Swin) encoder gets TransSeg's upernet-swint for UPerNet, chosen automatically
  if (arch === null && id === "upernet") id = "upernet-swint";
  if (id === "upernet" && arch) return { kind: id, channels: o.decoderChannels ?? arch.dim, layer_idxs: [...(o.layerIdxs ?? defaultLayerIdxs(arch.depth))], dropout: o.dropout };
  const declared = resolveId("decoder", id, decoders).options;
  const takes = (key: string) => declared === undefined || declared.includes(key);
  return {
    kind: id,
    ...(o.decoderChannels != null && takes("channels") ? { channels: o.decoderChannels } : {}),
    ...(o.layerIdxs != null && takes("layer_idxs") ? { layer_idxs: [...o.layerIdxs] } : {}),
    ...(o.featureSize != null && takes("feature_size") ? { feature_size: o.featureSize } : {}),
    // the resolved dropout always has a value (0.1): only for heads that declare it
    ...(declared?.includes("dropout") ? { dropout: o.dropout } : {}),
  };
}

/** Registries an encoder checkpoint is read with (defaults: the built-in ones). */
export interface InitRegistries {
  /** Inflation strategies for `inflation` (default `builtinStrategies`). */
  readonly strategies?: StrategyRegistry;
  /** Source layouts the checkpoint's names are detected in (default `builtinAdapters`). */
  readonly adapters?: AdapterRegistry;
  /** Decoder heads `options.decoder` is looked up in (default `builtinDecoders`). */
  readonly decoders?: Readonly<Record<string, Decoder>>;
}

export interface InitializedModel {
  readonly model: SegmentationModel;
  readonly config: SegConfigInput;
}

/** What a run's model is made of, before any tensor exists: its config and the encoder weights to load. */
export interface ModelSpec {
  readonly config: SegConfigInput;
  /** Canonical encoder weights (inflated when the checkpoint was 2D); none for a random init. */
  readonly encoder?: TensorMap;
}

/**
 * The model a run starts from: `init: "checkpoint"` reads an encoder checkpoint in any supported
 * format and source layout, inflates a 2D one (window slices, or patch depth 1 for the `2d`
 * variant, channels adapted to the task's) and keeps a 3D one as it is; `init: "random"` uses the
 * preset / encoder options. The decoder is initialised from `seed`.
 */
export async function initModel(o: ResolvedTrainOptions, profile: TaskProfile, labels: readonly string[], registries: InitRegistries = {}): Promise<InitializedModel> {
  const { config, encoder } = takeKeptSpec(o, profile, labels, registries) ?? (await modelSpec(o, profile, labels, registries));
  return { model: createSegmentationModel(config, { seed: o.seed, ...(encoder ? { encoder } : {}), ...(registries.decoders ? { decoders: registries.decoders } : {}) }), config };
}

/** A spec computed ahead of `initModel` (`keepSpec`), with what it was computed from. */
interface KeptSpec {
  readonly key: string;
  readonly registries: readonly unknown[];
  readonly spec: ModelSpec;
}

let kept: KeptSpec | null = null;

/** What a spec depends on: the options, the task, the labels, and the checkpoint file's size and time. */
function specKey(o: ResolvedTrainOptions, profile: TaskProfile, labels: readonly string[]): string {
  const file = o.init === "checkpoint" && o.checkpoint ? statSync(o.checkpoint, { throwIfNoEntry: false }) : undefined;
  return JSON.stringify([o, profile.id, profile.channels, labels, file ? [file.size, file.mtimeMs] : null]);
}

const registryParts = (r: InitRegistries): readonly unknown[] => [r.strategies, r.adapters, r.decoders];

/**
 * `modelSpec`, kept for the `initModel` that follows with the same options, task, labels,
 * registries and unchanged checkpoint file (taken once, so the weights are not held longer): what
 * `trainModelConfig` computes before a run starts, so that the run does not read and inflate the
 * checkpoint a second time.
 */
export async function keepSpec(o: ResolvedTrainOptions, profile: TaskProfile, labels: readonly string[], registries: InitRegistries = {}): Promise<ModelSpec> {
  const spec = await modelSpec(o, profile, labels, registries);
  kept = { key: specKey(o, profile, labels), registries: registryParts(registries), spec };
  return spec;
}

/** The kept spec when it was computed from the same inputs (then forgotten either way), else null. */
function takeKeptSpec(o: ResolvedTrainOptions, profile: TaskProfile, labels: readonly string[], registries: InitRegistries): ModelSpec | null {
  const k = kept;
  kept = null;
  if (k === null || k.key !== specKey(o, profile, labels)) return null;
  const parts = registryParts(registries);
  return k.registries.every((r, i) => r === parts[i]) ? k.spec : null;
}

/**
 * `initModel` without the model: the config and encoder weights, computed without TensorFlow.js
 * (checkpoint read, layout detected, inflated), e.g. to choose a backend's threads before it starts.
 */
export async function modelSpec(o: ResolvedTrainOptions, profile: TaskProfile, labels: readonly string[], registries: InitRegistries = {}): Promise<ModelSpec> {
  const force2d = o.variant === "2d";
  const patchDepth = force2d ? 1 : (o.patchDepth ?? o.window); // run.json files written before patchDepth existed lack it
  let arch: Architecture | null = null;
  let swin: SwinEncoderConfigInput | null = null;
  let encoder: TensorMap | undefined;
  let inflation: string | undefined;
  if (o.init === "checkpoint") {
    const file = o.checkpoint!;
    const ckpt = await readCheckpoint(file);
    const canonical = canonicalize(ckpt.tensors, { ...(registries.adapters ? { adapters: registries.adapters } : {}) }).tensors;
    if (isSwinEncoderMap(canonical)) {
      const s = swinFromCheckpoint(o, canonical, file, profile.channels, registries.strategies);
      swin = s.encoder;
      encoder = s.tensors;
      inflation = o.inflation;
    } else {
      arch = checkpointArchitecture(canonical, file, o);
      const kernel = canonical.get("patch_embed.proj.weight")!;
      if (kernel.shape.length === 4) {
        const depth = force2d ? 1 : o.window;
        encoder = inflateCheckpoint(canonical, { strategy: o.inflation, window: depth, patchDepth, img: o.img, patch: arch.patch, inChannels: profile.channels, source: file, ...(registries.strategies ? { strategies: registries.strategies } : {}) }).tensors;
        inflation = o.inflation;
      } else {
        if (kernel.shape[2] !== patchDepth) throw new CheckpointError(file, `patch kernel depth ${kernel.shape[2]} does not fit the ${o.variant} model (needs ${patchDepth}); give the 2D checkpoint to inflate it here`);
        encoder = canonical;
      }
    }
  } else if (runSwinArchitecture(o)) {
    swin = randomSwinEncoder(o, runSwinArchitecture(o)!, profile.channels);
  } else {
    const a = presetArchitecture(o);
    if (a.dim === undefined || a.depth === undefined || a.heads === undefined) throw new ConfigError("train: random init needs preset or encoder {dim, depth, heads}");
    arch = { kind: a.kind ?? "beit", dim: a.dim, depth: a.depth, heads: a.heads, mlp_ratio: a.mlp_ratio ?? 4, patch: a.patch ?? 16 };
  }
  const config: SegConfigInput = {
    format: "transseg-seg/1",
    encoder: swin ?? { ...arch!, window: o.window, patch_depth: force2d ? o.window : patchDepth, force_2d: force2d, in_channels: profile.channels, img: [o.img[0], o.img[1]] },
    decoder: decoderSection(o, arch, registries.decoders ?? builtinDecoders),
    classes: profile.classes,
    labels: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    ...(inflation ? { inflation } : {}),
    preprocess: { clip: profile.clip === null ? null : [...profile.clip] },
    task: profile.id,
  };
  return { config, ...(encoder ? { encoder } : {}) };
}
