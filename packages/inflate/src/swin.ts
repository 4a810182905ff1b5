/**
 * Swin checkpoints to the 3D encoders (issue #13): `swin` (TransSeg's `swint`: the patch Conv2d
 * inflated to a Conv3d of kernel `(window, p, p)`, everything else copied) and `swin3d` (Video Swin
 * from a 2D Swin by Video Swin's `inflate_weights`: patch kernel over the temporal patch with any
 * strategy, `average` being Video Swin's; bias tables resized in-plane if the window differs and
 * tiled over `2·Wd − 1`). Input: canonical Swin names (`@transseg/weights` Swin adapters).
 */
import { CheckpointError, f32Entry, inferSwinConfig, toFloat32, type SwinShapeInfo, type TensorEntry, type TensorMap } from "@transseg/weights";
import { resizeBicubic } from "./bicubic.js";
import { adaptInputChannels } from "./channel-adaptation.js";
import type { TensorChange, TensorNote } from "./inflate-checkpoint.js";
import { resolveStrategy, resolveStrategyOptions, type StrategyRegistry } from "./resolve-strategy.js";
import { kernel3dShape, type Kernel2dShape } from "./strategy.js";

export const SWIN_PATCH_KERNEL = "patch_embed.proj.weight";
const TABLE_SUFFIX = ".attn.relative_position_bias_table";

export interface SwinInflateOptions {
  /** `swin` (default; TransSeg's swint) or `swin3d` (Video Swin). */
  readonly target?: "swin" | "swin3d";
  /** Strategy id: default `center` for swin (the paper's), `average` for swin3d (Video Swin's rule). */
  readonly strategy?: string;
  readonly strategyOptions?: Readonly<Record<string, unknown>>;
  /** Slices per input window, odd (default 5). For `swin` the kernel depth equals it. */
  readonly window?: number;
  /** `swin3d`: the temporal patch (kernel depth; default 2). `swin`: must equal the window if given. */
  readonly patchDepth?: number;
  /** `swin3d`: the attention window `[Wd, Wh, Ww]` (default [8, 7, 7], Video Swin-B's); tables are made for it. */
  readonly windowSize?: readonly [number, number, number];
  /** Input channels of the target (default 1; channel adaptation as SPEC §2.1). */
  readonly inChannels?: number;
  readonly strategies?: StrategyRegistry;
  /** Name used in error messages (default "checkpoint"). */
  readonly source?: string;
}

export interface ResolvedSwinInflateOptions {
  readonly target: "swin" | "swin3d";
  readonly strategy: string;
  readonly strategyOptions: Readonly<Record<string, unknown>>;
  readonly window: number;
  readonly patchDepth: number;
  /** The target attention window (`[Wh, Ww]` for swin, `[Wd, Wh, Ww]` for swin3d). */
  readonly windowSize: readonly number[];
  readonly inChannels: number;
}

export interface SwinInflationReport {
  readonly options: ResolvedSwinInflateOptions;
  /** The source architecture (from the shapes). */
  readonly sourceConfig: SwinShapeInfo;
  readonly changed: readonly TensorChange[];
  readonly added: readonly TensorNote[];
  readonly dropped: readonly TensorNote[];
  readonly converted: readonly string[];
}

export interface SwinInflationResult {
  readonly tensors: TensorMap;
  readonly report: SwinInflationReport;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Tiles a 2D Swin bias table `[(2Wh0-1)(2Ww0-1), heads]` to Video Swin's 3D table
 * `[(2Wd-1)(2Wh-1)(2Ww-1), heads]`: resized per head bicubically (PyTorch `interpolate`, as Video
 * Swin's `inflate_weights`) when the in-plane window differs, then repeated `2·Wd − 1` times
 * (relative depth is the slowest index of the 3D table, so the bias does not depend on depth).
 */
export function tileSwinBiasTable(data: Float32Array, shape: readonly number[], windowSize: readonly [number, number, number]): { data: Float32Array; shape: [number, number] } {
  if (shape.length !== 2) throw new Error(`relative_position_bias_table must be [rows, heads], got [${shape.join(", ")}]`);
  const [rows, heads] = shape as [number, number];
  if (data.length !== rows * heads) throw new Error(`table has ${data.length} values but [${rows}, ${heads}] needs ${rows * heads}`);
  const side = Math.round(Math.sqrt(rows));
  if (side * side !== rows || side % 2 === 0) throw new Error(`a 2D Swin table has (2W-1)^2 rows, got ${rows}`);
  const [wd, wh, ww] = windowSize;
  const dst: [number, number] = [2 * wh - 1, 2 * ww - 1];
  const plane = dst[0] === side && dst[1] === side ? data : resizeBicubic(data, [side, side], dst, heads);
  const tiles = 2 * wd - 1;
  const out = new Float32Array(tiles * plane.length);
  for (let t = 0; t < tiles; t++) out.set(plane, t * plane.length);
  return { data: out, shape: [tiles * dst[0] * dst[1], heads] };
}

/** Fills the defaults and validates (one-line errors naming the option). */
export function planSwinInflation(options: SwinInflateOptions, source: SwinShapeInfo): { options: ResolvedSwinInflateOptions; strategy: ReturnType<typeof resolveStrategy> } {
  const target = options.target ?? "swin";
  if (target !== "swin" && target !== "swin3d") throw new Error(`target must be "swin" or "swin3d", got ${JSON.stringify(target)}`);
  const window = positiveInt("window", options.window ?? 5);
  if (window % 2 === 0) throw new Error(`window must be odd (a centre slice with equal context on both sides), got ${window}`);
  const inChannels = positiveInt("inChannels", options.inChannels ?? 1);
  let patchDepth: number;
  let windowSize: number[];
  if (target === "swin") {
    patchDepth = positiveInt("patchDepth", options.patchDepth ?? window);
    if (patchDepth !== window) throw new Error(`a swin encoder's patch kernel spans the whole window (depth ${window}), got patchDepth ${patchDepth}`);
    if (options.windowSize) throw new Error("windowSize applies to swin3d only (swin keeps the checkpoint's attention window)");
    windowSize = [...source.window_size];
  } else {
    patchDepth = positiveInt("patchDepth", options.patchDepth ?? 2);
    const ws = options.windowSize ?? [8, 7, 7];
    if (!Array.isArray(ws) || ws.length !== 3) throw new Error(`windowSize must be [Wd, Wh, Ww], got ${JSON.stringify(ws)}`);
    windowSize = ws.map((v, i) => positiveInt(`windowSize[${i}]`, v));
  }
  const id = options.strategy ?? (target === "swin" ? "center" : "average");
  const strategy = resolveStrategy(id, options.strategies);
  const strategyOptions = resolveStrategyOptions(strategy, options.strategyOptions, patchDepth) as Readonly<Record<string, unknown>>;
  return { options: { target, strategy: id, strategyOptions, window, patchDepth, windowSize, inChannels }, strategy };
}

const asF32 = (e: TensorEntry): TensorEntry =>
  e.dtype === "F16" || e.dtype === "BF16" || e.dtype === "F64" ? { dtype: "F32", shape: e.shape, read: () => toFloat32(e) } : e;

/**
 * Inflates a 2D Swin (canonical names) to `swin` or `swin3d`; a Video Swin checkpoint (already 3D)
 * to `swin3d` gets its channels adapted only. Pure; errors are `CheckpointError(options.source, problem)`.
 */
export function inflateSwinCheckpoint(map: TensorMap, options: SwinInflateOptions = {}): SwinInflationResult {
  const source = options.source ?? "checkpoint";
  const fail = (problem: string): never => {
    throw new CheckpointError(source, problem);
  };
  let config: SwinShapeInfo;
  let plan: ReturnType<typeof planSwinInflation>;
  try {
    config = inferSwinConfig(map, "swin checkpoint");
    plan = planSwinInflation(options, config);
  } catch (e) {
    return fail((e as Error).message);
  }
  const o = plan.options;
  const changed: TensorChange[] = [];
  const dropped: TensorNote[] = [];
  const converted: string[] = [];
  const out = new Map<string, TensorEntry>();
  const is3dSource = config.kind === "swin3d";
  if (config.patch_depth !== null && !is3dSource) fail(`${SWIN_PATCH_KERNEL} is already 3D [${map.get(SWIN_PATCH_KERNEL)!.shape.join(", ")}]: this checkpoint is inflated`);
  if (is3dSource && o.target === "swin") fail(`a Video Swin checkpoint (3D bias tables, window ${config.window_size.join("x")}) cannot become a 2D-window swin encoder; use target swin3d`);
  if (is3dSource && options.windowSize && o.windowSize.join() !== config.window_size.join()) {
    fail(`a Video Swin checkpoint keeps its window ${config.window_size.join("x")}; windowSize ${o.windowSize.join("x")} differs`);
  }
  const resolved: ResolvedSwinInflateOptions = is3dSource
    ? { ...o, strategy: "none", strategyOptions: {}, patchDepth: config.patch_depth!, windowSize: [...config.window_size] }
    : o;

  for (const [name, entry] of map) {
    try {
      if (name === SWIN_PATCH_KERNEL) {
        if (is3dSource) {
          const [c, cin, kd, kh, kw] = entry.shape as [number, number, number, number, number];
          const adapted = adaptInputChannels(toFloat32(entry), [c, cin, kd * kh, kw], o.inChannels);
          const to = [c, o.inChannels, kd, kh, kw];
          changed.push({ name, from: entry.shape, to, note: cin === o.inChannels ? "unchanged (already 3D)" : `channels ${cin} -> ${o.inChannels} (sum, spread)` });
          out.set(name, f32Entry(to, adapted.data));
          continue;
        }
        const shape = entry.shape as unknown as Kernel2dShape;
        const adapted = adaptInputChannels(toFloat32(entry), shape, o.inChannels);
        const data = plan.strategy.inflate(adapted.data, adapted.shape, o.patchDepth, o.strategyOptions);
        const to = kernel3dShape(adapted.shape, o.patchDepth);
        if (data.length !== to.reduce((a, b) => a * b, 1)) throw new Error(`strategy "${o.strategy}" returned ${data.length} values, [${to.join(", ")}] needs ${to.reduce((a, b) => a * b, 1)}`);
        const channels = shape[1] === o.inChannels ? "" : `channels ${shape[1]} -> ${o.inChannels} (sum, spread), `;
        changed.push({ name, from: entry.shape, to, note: `${channels}depth K=${o.patchDepth} (${o.strategy})` });
        out.set(name, f32Entry(to, data));
      } else if (o.target === "swin3d" && !is3dSource && name.endsWith(TABLE_SUFFIX)) {
        const r = tileSwinBiasTable(toFloat32(entry), entry.shape, o.windowSize as [number, number, number]);
        const [wd, wh, ww] = o.windowSize as [number, number, number];
        const resized = wh !== config.window_size[0] || ww !== config.window_size[1] ? `window ${config.window_size.join("x")} -> ${wh}x${ww} bicubic, ` : "";
        changed.push({ name, from: entry.shape, to: r.shape, note: `${resized}tiled ${2 * wd - 1}x over depth (Video Swin's inflate_weights)` });
        out.set(name, f32Entry(r.shape, r.data));
      } else if (o.target === "swin3d" && /^norm\d+\.(weight|bias)$/.test(name)) {
        dropped.push({ name, shape: entry.shape, note: "a swin3d encoder has no stage norms" });
      } else {
        const e = asF32(entry);
        if (e !== entry) converted.push(name);
        out.set(name, e);
      }
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      fail(`${name}: ${(e as Error).message}`);
    }
  }
  return { tensors: out, report: { options: resolved, sourceConfig: config, changed, added: [], dropped, converted } };
}

/** What `__metadata__.transseg_inflation` holds for a Swin inflation (snake_case, JSON-ready). */
export function swinInflationMetadata(options: ResolvedSwinInflateOptions): Record<string, unknown> {
  return {
    target: options.target,
    strategy: options.strategy,
    strategy_options: { ...options.strategyOptions },
    window: options.window,
    patch_depth: options.patchDepth,
    window_size: [...options.windowSize],
    in_channels: options.inChannels,
  };
}
