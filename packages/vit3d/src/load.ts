import { CheckpointError, readCheckpoint, type Checkpoint, type TensorMap } from "@transseg/weights";
import { builtinEncoders, encoderGrid, type EncoderKind, encoderParams, isSwinConfig, normalizeSegConfig, readSegConfig, resolveId, type SegConfig, type SegConfigInput, swinEncoderParams, swinTokenGrid } from "@transseg/model";
import type { Decoder } from "./decoders/decoder.js";
import { builtinDecoders } from "./decoders/registry.js";
import { SegmentationModel } from "./model.js";
import { entryValues, initValues, ParamStore, type ParamSpec } from "./params.js";

export interface ModelRegistries {
  /** Encoder kinds (default `builtinEncoders`). */
  readonly encoders?: Readonly<Record<string, EncoderKind>>;
  /** Decoders (default `builtinDecoders`). */
  readonly decoders?: Readonly<Record<string, Decoder>>;
}

export interface LoadSegmentationModelOptions extends ModelRegistries {
  /** Name used in error messages when a Checkpoint object (not a path) is given. */
  readonly name?: string;
}

export interface CreateSegmentationModelOptions extends ModelRegistries {
  /** Encoder tensors (timm/BEiT names, with or without the `encoder.` prefix), e.g. an inflated checkpoint. */
  readonly encoder?: TensorMap;
  /** Seed of the fresh initialisation (default 0). */
  readonly seed?: number;
}

/** Encoder-map keys that a segmentation model does not use (classification heads, final norms, buffers). */
const UNUSED = [/^norm\./, /^fc_norm\./, /^head\./, /relative_position_index$/, /attn_mask$/, /^mask_token$/, /^lm_head\./];

/** Swin tensors a 2D checkpoint lacks that start fresh: TransSeg's stage norms (Microsoft's and torchvision's Swin have one final norm). */
const FRESH_IF_MISSING = /^norm\d+\./;

interface ResolvedModel {
  config: SegConfig;
  /** Null for the Swin kinds. */
  kind: EncoderKind | null;
  decoder: Decoder;
  encoderSpecs: ParamSpec[];
  decoderSpecs: ParamSpec[];
}

function resolve(input: SegConfigInput, registries: ModelRegistries): ResolvedModel {
  const base = normalizeSegConfig(input);
  const e = base.encoder;
  const kind = isSwinConfig(e) ? null : resolveId("encoder kind", e.kind, registries.encoders ?? builtinEncoders);
  const decoder = resolveId("decoder", base.decoder.kind, registries.decoders ?? builtinDecoders);
  const config: SegConfig = { ...base, decoder: decoder.normalize(base.decoder, e) };
  const grid = isSwinConfig(e) ? swinTokenGrid(e) : encoderGrid(e);
  const ctx = { encoder: e, config: config.decoder, classes: config.classes, grid: [grid[1], grid[2]] as const };
  const encoderSpecs = isSwinConfig(e) ? swinEncoderParams(e) : encoderParams(e, kind!);
  return { config, kind, decoder, encoderSpecs, decoderSpecs: decoder.params(ctx) };
}

/**
 * Loads a `transseg-seg/1` checkpoint (path or already-read Checkpoint): config from
 * `__metadata__.transseg` (honouring `force_2d` and `patch_depth`), every tensor required and
 * shape-checked, PyTorch layouts converted to TensorFlow.js layouts, F16/BF16 widened to F32.
 */
export async function loadSegmentationModel(source: string | Checkpoint, options: LoadSegmentationModelOptions = {}): Promise<SegmentationModel> {
  const file = typeof source === "string" ? source : (options.name ?? "checkpoint");
  const ckpt = typeof source === "string" ? await readCheckpoint(source) : source;
  const fail = (problem: string): never => {
    throw new CheckpointError(file, problem);
  };
  let r: ResolvedModel;
  try {
    r = resolve(readSegConfig(ckpt, file), options);
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(file, (e as Error).message);
  }
  const specs = [...r.encoderSpecs.map((s) => ({ ...s, name: `encoder.${s.name}` })), ...r.decoderSpecs.map((s) => ({ ...s, name: `decoder.${s.name}` }))];
  const known = new Set(specs.map((s) => s.name));
  const extra = [...ckpt.tensors.keys()].filter((k) => !known.has(k) && !k.endsWith("num_batches_tracked") && !k.endsWith("relative_position_index"));
  if (extra.length) fail(`unexpected tensor${extra.length > 1 ? "s" : ""} for this ${r.config.encoder.kind}/${r.config.decoder.kind} config: ${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", …" : ""}`);
  const store = new ParamStore();
  try {
    for (const s of specs) {
      const entry = ckpt.tensors.get(s.name);
      if (!entry) fail(`missing tensor "${s.name}"`);
      store.add(s, entryValues(entry!, s, fail));
    }
  } catch (e) {
    store.dispose();
    throw e;
  }
  return new SegmentationModel(r.config, r.kind, r.decoder, store);
}

/**
 * A fresh model from a config: the encoder from `options.encoder` (e.g. an inflated 2D
 * checkpoint; unused classification tensors are skipped) or initialised from `seed`, the
 * decoder initialised from `seed` (same seed → same values on every backend).
 */
export function createSegmentationModel(config: SegConfigInput, options: CreateSegmentationModelOptions = {}): SegmentationModel {
  const file = "encoder tensors";
  const r = resolve(config, options);
  const seed = options.seed ?? 0;
  const kindIsSwin = isSwinConfig(r.config.encoder);
  const store = new ParamStore();
  try {
    const enc = options.encoder;
    if (enc) {
      const names = new Set(r.encoderSpecs.map((s) => s.name));
      const strip = (k: string) => (k.startsWith("encoder.") ? k.slice("encoder.".length) : k);
      const extra = [...enc.keys()].map(strip).filter((k) => !names.has(k) && !UNUSED.some((re) => re.test(k)));
      if (extra.length) throw new CheckpointError(file, `unexpected tensors for a ${r.config.encoder.kind} encoder: ${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", …" : ""}`);
    }
    const fail = (problem: string): never => {
      throw new CheckpointError(file, problem);
    };
    for (const s of r.encoderSpecs) {
      const name = `encoder.${s.name}`;
      const entry = enc ? (enc.get(s.name) ?? enc.get(name)) : undefined;
      if (enc && !entry && !(kindIsSwin && FRESH_IF_MISSING.test(s.name))) fail(`missing tensor "${s.name}"`);
      store.add({ ...s, name }, entry ? entryValues(entry, s, fail) : initValues({ ...s, name }, seed));
    }
    for (const s of r.decoderSpecs) {
      const name = `decoder.${s.name}`;
      store.add({ ...s, name }, initValues({ ...s, name }, seed));
    }
  } catch (e) {
    store.dispose();
    throw e;
  }
  return new SegmentationModel(r.config, r.kind, r.decoder, store);
}
