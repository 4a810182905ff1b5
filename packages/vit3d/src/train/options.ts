import { ConfigError, encoderPresets, resolveId, swinPresets, type SwinEncoderConfigInput } from "@transseg/model";

/** A Swin / Video Swin architecture for a random-init run (the run supplies window, img, channels). */
export type SwinEncoderArchitecture = Pick<SwinEncoderConfigInput, "kind" | "embed_dim" | "depths" | "heads"> & Partial<Pick<SwinEncoderConfigInput, "window_size" | "patch" | "patch_depth" | "mlp_ratio" | "drop_path">>;
import type { Decoder } from "../decoders/decoder.js";
import { checkRunDecoder } from "./decoder-options.js";
import { TRAIN_SPLITS, type TrainSplit } from "./split.js";

/** How the encoder starts: a (2D or inflated 3D) checkpoint — the paper's "Ours" — or random. */
export type TrainInit = "checkpoint" | "random";
/** `3d`: the paper's model (window, patch depth = window); `2d`: "w/o D" (centre slice, patch depth 1). */
export type TrainVariant = "3d" | "2d";

/** Everything a run needs; recorded in `run.json` (resolved), so `resume(runDir)` needs nothing else. */
export interface TrainOptions {
  /** Dataset folder in the Medical Segmentation Decathlon layout (`dataset.json`). */
  readonly data: string;
  /** Run folder (created; must not hold another run unless `overwrite`). */
  readonly out: string;
  /** Task profile id (default: dataset.json's `name`). */
  readonly task?: string;
  /** Optimizer steps (default the profile's paper step count). */
  readonly steps?: number;
  /** Windows per micro-batch (default 16, the paper's). */
  readonly batch?: number;
  /** Micro-batches per optimizer step (gradient accumulation, default 1). */
  readonly accumulate?: number;
  readonly lr?: number;
  readonly weightDecay?: number;
  readonly warmup?: number;
  readonly clipNorm?: number;
  /** Loss id (default `dice-focal`). */
  readonly loss?: string;
  /** Seed of the model initialisation and of the window stream (default 0). */
  readonly seed?: number;
  /** Seed of the train/val/test split (default 1234, TransSeg's). */
  readonly splitSeed?: number;
  /**
   * How the training list is split (`TRAIN_SPLITS`): `seeded` (default) TransSeg's proportions over a
   * seeded shuffle; `paper` the paper's own cases (`taskSplit`) where the dataset holds the paper's list.
   */
  readonly split?: TrainSplit;
  readonly variant?: TrainVariant;
  /** Default `checkpoint` when `checkpoint` is given, else `random`. */
  readonly init?: TrainInit;
  /** Encoder checkpoint (2D: inflated here with `inflation`; 3D: used as it is). */
  readonly checkpoint?: string;
  /** Inflation strategy for a 2D checkpoint (default `center`). */
  readonly inflation?: string;
  /** Encoder preset for `init: "random"` (default `beit-base`), or to supply `heads` of a ViT checkpoint. */
  readonly preset?: string;
  /**
   * Architecture for random init (e.g. a tiny encoder for tests): a ViT/BEiT's dim, depth, heads,
   * mlp_ratio, patch (overriding the preset), or a whole Swin / Video Swin (`kind: "swin"` or
   * `"swin3d"`, embed_dim, depths, heads per stage, window_size, …; see `SwinEncoderArchitecture`).
   */
  readonly encoder?: { readonly kind?: string; readonly dim?: number; readonly depth?: number; readonly heads?: number; readonly mlp_ratio?: number; readonly patch?: number } | SwinEncoderArchitecture;
  /** Model input size `[H, W]` (default the profile's). */
  readonly img?: readonly [number, number];
  /** Slices per window (default 5). */
  readonly window?: number;
  /** Decoder head (`builtinDecoders` id, or one of `callbacks.decoders`; default `upernet`, the paper's). */
  readonly decoder?: string;
  /** Slices per patch along depth, 3d variant (default = window: one depth token); below the window gives Gd = window / patchDepth depth tokens, which `unetr` needs. */
  readonly patchDepth?: number;
  /** UPerNet channels (default the encoder dim). */
  readonly decoderChannels?: number;
  /** Encoder blocks the decoder reads: upernet 4 (default round((k+1)·depth/12) − 1 for k = 3, 5, 7, 11), unetr log2(patch) (default evenly spaced ending at the last). */
  readonly layerIdxs?: readonly number[];
  /** UPerNet dropout before conv_seg (default 0.1). */
  readonly dropout?: number;
  /** UNETR feature size (default 16). */
  readonly featureSize?: number;
  readonly foregroundProbability?: number;
  /** TransSeg augmentation (default true). */
  readonly augment?: boolean;
  /** Loader worker threads (default the loader's). */
  readonly workers?: number;
  /** Log a metrics line every N steps (default 10). */
  readonly logEvery?: number;
  /** Validate every N steps and at the end (default 500; 0 = only at the end). */
  readonly valEvery?: number;
  /** Write last.safetensors + the training state every N steps (default 500). */
  readonly saveEvery?: number;
  /** Windows per validation batch (default 8). */
  readonly valBatch?: number;
  /** Validate on at most this many validation cases (default all). */
  readonly valCases?: number;
}

export type ResolvedTrainOptions = Required<Omit<TrainOptions, "checkpoint" | "encoder" | "img" | "layerIdxs" | "decoderChannels" | "featureSize" | "valCases" | "workers" | "preset" | "task" | "steps">> & {
  readonly task: string;
  readonly steps: number;
  readonly checkpoint: string | null;
  readonly preset: string | null;
  readonly encoder: TrainOptions["encoder"] | null;
  readonly img: readonly [number, number];
  readonly layerIdxs: readonly number[] | null;
  readonly decoderChannels: number | null;
  readonly featureSize: number | null;
  readonly valCases: number | null;
  readonly workers: number | null;
};

/** Python's `round` (half to even), so layer indices match TransSeg's for every depth. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** TransSeg's decoder blocks for an encoder depth: round((k + 1) · depth / 12) − 1 for k in 3, 5, 7, 11. */
export function defaultLayerIdxs(depth: number): number[] {
  return [3, 5, 7, 11].map((k) => Math.max(0, roundHalfEven(((k + 1) * depth) / 12) - 1));
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ConfigError(`train: ${what} must be a positive integer (got ${JSON.stringify(v)})`);
  return v;
}

function nonNegative(v: unknown, what: string): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw new ConfigError(`train: ${what} must be a non-negative number (got ${JSON.stringify(v)})`);
  return v;
}

/** Fills the paper's defaults; throws a one-line error naming the bad option (`decoders`: where `decoder` is looked up). */
export function resolveTrainOptions(o: TrainOptions, profile: { id: string; img: readonly [number, number]; paper: { steps: number } }, decoders?: Readonly<Record<string, Decoder>>): ResolvedTrainOptions {
  if (typeof o.data !== "string" || !o.data) throw new ConfigError("train: data (a dataset folder) is required");
  if (typeof o.out !== "string" || !o.out) throw new ConfigError("train: out (the run folder) is required");
  const init = o.init ?? (o.checkpoint ? "checkpoint" : "random");
  resolveId("init", init, { checkpoint: 1, random: 1 });
  const split = o.split ?? "seeded";
  resolveId("split", split, TRAIN_SPLITS);
  const variant = o.variant ?? "3d";
  resolveId("variant", variant, { "3d": 1, "2d": 1 });
  if (init === "checkpoint" && !o.checkpoint) throw new ConfigError('train: init "checkpoint" needs checkpoint (a 2D or inflated encoder file)');
  if (o.preset !== undefined) resolveId("encoder preset", o.preset, { ...encoderPresets, ...swinPresets });
  const window = positiveInt(o.window ?? 5, "window");
  if (window % 2 === 0) throw new ConfigError(`train: window must be odd (got ${window})`);
  const img = o.img ?? profile.img;
  if (!Array.isArray(img) || img.length !== 2) throw new ConfigError(`train: img must be [H, W] (got ${JSON.stringify(img)})`);
  const { decoder, patchDepth } = checkRunDecoder({ decoder: o.decoder, variant, window, patchDepth: o.patchDepth, given: o }, decoders);
  const fg = nonNegative(o.foregroundProbability ?? 0, "foregroundProbability");
  if (fg > 1) throw new ConfigError(`train: foregroundProbability must be in [0, 1] (got ${fg})`);
  return {
    data: o.data,
    out: o.out,
    task: o.task ?? profile.id,
    steps: positiveInt(o.steps ?? profile.paper.steps, "steps"),
    batch: positiveInt(o.batch ?? 16, "batch"),
    accumulate: positiveInt(o.accumulate ?? 1, "accumulate"),
    lr: nonNegative(o.lr ?? 3e-5, "lr"),
    weightDecay: nonNegative(o.weightDecay ?? 0.05, "weightDecay"),
    warmup: nonNegative(o.warmup ?? 20, "warmup"),
    clipNorm: nonNegative(o.clipNorm ?? 1, "clipNorm"),
    loss: o.loss ?? "dice-focal",
    seed: nonNegative(o.seed ?? 0, "seed"),
    splitSeed: nonNegative(o.splitSeed ?? 1234, "splitSeed"),
    split,
    variant,
    init,
    checkpoint: init === "checkpoint" ? o.checkpoint! : null,
    inflation: o.inflation ?? "center",
    preset: o.preset ?? (init === "random" && !o.encoder ? "beit-base" : null),
    encoder: o.encoder ?? null,
    img: [positiveInt(img[0], "img[0]"), positiveInt(img[1], "img[1]")],
    window,
    patchDepth,
    decoder: decoder.id,
    featureSize: o.featureSize === undefined ? null : positiveInt(o.featureSize, "featureSize"),
    decoderChannels: o.decoderChannels === undefined ? null : positiveInt(o.decoderChannels, "decoderChannels"),
    layerIdxs: o.layerIdxs ?? null,
    dropout: nonNegative(o.dropout ?? 0.1, "dropout"),
    foregroundProbability: fg,
    augment: o.augment ?? true,
    workers: o.workers ?? null,
    logEvery: positiveInt(o.logEvery ?? 10, "logEvery"),
    valEvery: nonNegative(o.valEvery ?? 500, "valEvery"),
    saveEvery: positiveInt(o.saveEvery ?? 500, "saveEvery"),
    valBatch: positiveInt(o.valBatch ?? 8, "valBatch"),
    valCases: o.valCases === undefined ? null : positiveInt(o.valCases, "valCases"),
  };
}
