import { CheckpointError, writeFailure, type Checkpoint, type TensorMap } from "@transseg/weights";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { builtinEncoders, encoderGrid, type EncoderKind, isSwinConfig, normalizeSegConfig, readSegConfig, resolveId, type SegConfig, type SegConfigInput, swinTokenGrid } from "@transseg/model";
import type { OnnxDecoder } from "./decoder.js";
import { builtinOnnxDecoders } from "./decoders/registry.js";
import { buildEncoder, encoderTensorSpecs, type RelativeBiasMode } from "./encoder-graph.js";
import { GraphBuilder } from "./graph-builder.js";
import { buildSwinEncoder, swinEncoderTensorSpecs } from "./swin-encoder-graph.js";
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from "./proto.js";
import { TensorSource, type TensorSpec } from "./tensors.js";

export interface ExportOnnxOptions {
  /** `ai.onnx` opset, 13–17 (default 17, which has LayerNormalization). */
  readonly opset?: number;
  /** The model config; required when the source is a bare TensorMap, else read from `__metadata__.transseg`. */
  readonly config?: SegConfigInput;
  /** BEiT relative position bias: gathered at export time (default) or by ORT at load time; see `RelativeBiasMode`. */
  readonly relativeBias?: RelativeBiasMode;
  /** Name used in error messages (default "checkpoint"). */
  readonly name?: string;
  /** Encoder kinds (default `builtinEncoders`). */
  readonly encoders?: Readonly<Record<string, EncoderKind>>;
  /** Decoders that can be exported (default `builtinOnnxDecoders`). */
  readonly decoders?: Readonly<Record<string, OnnxDecoder>>;
}

/** A model ready to export: normalized config, resolved plugins, the tensors it reads. */
export interface OnnxModelPlan {
  readonly config: SegConfig;
  /** The ViT/BEiT kind; null for a Swin / Video Swin encoder. */
  readonly kind: EncoderKind | null;
  readonly decoder: OnnxDecoder;
  readonly tensors: TensorSpec[];
}

const isCheckpoint = (s: Checkpoint | TensorMap): s is Checkpoint => !(s instanceof Map) && "tensors" in s && "metadata" in s;


/** Normalizes a config and resolves its encoder kind and ONNX decoder; lists the tensors it needs. */
export function planOnnxModel(input: SegConfigInput, options: Pick<ExportOnnxOptions, "encoders" | "decoders"> = {}): OnnxModelPlan {
  const base = normalizeSegConfig(input);
  const encoder = base.encoder;
  const kind = isSwinConfig(encoder) ? null : resolveId("encoder kind", encoder.kind, options.encoders ?? builtinEncoders);
  const decoder = resolveId("ONNX decoder", base.decoder.kind, options.decoders ?? builtinOnnxDecoders);
  const config: SegConfig = { ...base, decoder: decoder.normalize(base.decoder, encoder) };
  const grid = isSwinConfig(encoder) ? swinTokenGrid(encoder) : encoderGrid(encoder);
  const ctx = { encoder, config: config.decoder, classes: config.classes, grid: [grid[1], grid[2]] as const };
  const encoderSpecs = isSwinConfig(encoder) ? swinEncoderTensorSpecs(encoder) : encoderTensorSpecs(encoder, kind!);
  return { config, kind, decoder, tensors: [...encoderSpecs, ...decoder.tensors(ctx)] };
}

/**
 * Exports a whole `transseg-seg/1` segmentation model (encoder + decoder) as one ONNX graph
 * (IR 8, opset 13–17): input `input` `[batch, C, window, H, W]` float32 with a dynamic batch
 * axis, output `logits` `[batch, classes, H, W]`, weights as initializers.
 */
export function exportOnnx(source: Checkpoint | TensorMap, options: ExportOnnxOptions = {}): Uint8Array {
  const file = options.name ?? "checkpoint";
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) throw new Error(`opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET} (got ${opset})`);
  const tensorMap = isCheckpoint(source) ? source.tensors : source;
  let plan: OnnxModelPlan;
  try {
    const input = options.config ?? (isCheckpoint(source) ? readSegConfig(source, file) : undefined);
    if (!input) throw new CheckpointError(file, "a bare TensorMap needs options.config");
    plan = planOnnxModel(input, options);
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(file, (e as Error).message);
  }
  const tensors = new TensorSource(tensorMap, file);
  const { config, kind, decoder } = plan;
  tensors.check(plan.tensors, `${config.encoder.kind}/${config.decoder.kind}`);

  const g = new GraphBuilder(opset);
  const input = g.name("input");
  const logitsName = g.name("logits");
  const e = config.encoder;
  const relativeBias = options.relativeBias ?? "precomputed";
  if (relativeBias !== "precomputed" && relativeBias !== "gather") throw new Error(`relativeBias must be "precomputed" or "gather" (got ${JSON.stringify(relativeBias)})`);
  let features: string[];
  let grid: [number, number, number];
  if (isSwinConfig(e)) {
    // the four stage maps; a hierarchical head reads them all (its layers are the stages)
    const stages = buildSwinEncoder({ g, encoder: e, tensors }, input);
    features = decoder.layers(config.decoder, e).map((s) => stages[s]!);
    grid = swinTokenGrid(e);
  } else {
    grid = encoderGrid(e);
    features = buildEncoder({ g, encoder: e, kind: kind!, tensors, relativeBias, volumetric: decoder.volumetric ?? false }, input, decoder.layers(config.decoder, e));
  }
  const y = decoder.build({ g, encoder: e, config: config.decoder, classes: config.classes, grid: [grid[1], grid[2]], tensors }, features);
  g.output(y, logitsName);
  if (g.initializerBytes >= 2 ** 31) {
    const hint = relativeBias === "precomputed" && kind?.relativePosition ? ' (relativeBias: "gather" stores the relative position tables instead of the gathered biases)' : "";
    throw new CheckpointError(file, `the ONNX model's weights take ${(g.initializerBytes / 2 ** 30).toFixed(2)} GiB, past protobuf's 2 GiB limit for one ONNX file${hint}`);
  }
  return g.encode({
    input: { name: input, dims: ["batch", e.in_channels, e.window, e.img[0], e.img[1]] },
    output: { name: logitsName, dims: ["batch", config.classes, e.img[0], e.img[1]] },
    graphName: `transseg_${e.kind}_${config.decoder.kind}`,
    docString: `TransSeg ${e.kind}/${config.decoder.kind} segmentation model exported by @transseg/onnx`,
    metadata: { transseg: JSON.stringify(config) },
  });
}

/** `exportOnnx`, then writes the file atomically (temporary file in the same folder, fsync, rename). */
export function writeOnnx(path: string, source: Checkpoint | TensorMap, options: ExportOnnxOptions = {}): void {
  const bytes = exportOnnx(source, options);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, "w");
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, err);
  }
}
