import type { Grid2d } from "./grid.js";
import { resolveStrategy, resolveStrategyOptions, type StrategyRegistry } from "./resolve-strategy.js";
import type { InflationStrategy } from "./strategy.js";

/** Options of `inflateCheckpoint`; every field has TransSeg's default. */
export interface InflateOptions {
  /** Strategy id (default `center`, the paper's). */
  readonly strategy?: string;
  /** The strategy's options, e.g. `{ sigma: 1 }` for `gaussian`; defaults filled by the strategy. */
  readonly strategyOptions?: Readonly<Record<string, unknown>>;
  /** Slices per input window; odd (default 5). */
  readonly window?: number;
  /** Image size `[H, W]` the 3D model sees (default [512, 512]); H = NIfTI x, W = y. */
  readonly img?: readonly [number, number];
  /** Patch size in pixels; must match the checkpoint's kernel (default 16). */
  readonly patch?: number;
  /** Slices per patch K; must divide the window (default = window, so Gd = 1). */
  readonly patchDepth?: number;
  /** Input channels of the 3D model (default 1). */
  readonly inChannels?: number;
  /** Strategy registry (default `builtinStrategies`); pass your own to add strategies. */
  readonly strategies?: StrategyRegistry;
  /** Name used in error messages, e.g. the checkpoint's file path (default "checkpoint"). */
  readonly source?: string;
}

/** The options actually used, as stored in `__metadata__.transseg_inflation`. */
export interface ResolvedInflateOptions {
  readonly strategy: string;
  readonly strategyOptions: Readonly<Record<string, unknown>>;
  readonly window: number;
  readonly img: readonly [number, number];
  readonly patch: number;
  readonly patchDepth: number;
  readonly inChannels: number;
}

/** Resolved options plus what follows from them. */
export interface InflationPlan {
  readonly options: ResolvedInflateOptions;
  readonly strategy: InflationStrategy;
  /** Target token grid (H/P, W/P). */
  readonly grid: Grid2d;
  /** Depth tokens Gd = window / patchDepth. */
  readonly depthGrid: number;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** Fills defaults and validates; errors are one line naming the option and the problem. */
export function planInflation(options: InflateOptions = {}): InflationPlan {
  const window = positiveInt("window", options.window ?? 5);
  if (window % 2 === 0) throw new Error(`window must be odd (a centre slice with equal context on both sides), got ${window}`);
  const patchDepth = positiveInt("patchDepth", options.patchDepth ?? window);
  if (window % patchDepth !== 0) throw new Error(`patchDepth ${patchDepth} must divide the window ${window} (valid: ${divisors(window).join(", ")})`);
  const patch = positiveInt("patch", options.patch ?? 16);
  const imgIn = options.img ?? [512, 512];
  if (!Array.isArray(imgIn) || imgIn.length !== 2) throw new Error(`img must be [H, W], got ${JSON.stringify(imgIn)}`);
  const img = [positiveInt("img[0] (H)", imgIn[0]), positiveInt("img[1] (W)", imgIn[1])] as const;
  if (img[0] % patch !== 0 || img[1] % patch !== 0) throw new Error(`img ${img[0]}x${img[1]} is not a multiple of the patch size ${patch}`);
  const inChannels = positiveInt("inChannels", options.inChannels ?? 1);
  const id = options.strategy ?? "center";
  const strategy = resolveStrategy(id, options.strategies);
  const strategyOptions = resolveStrategyOptions(strategy, options.strategyOptions, patchDepth) as Readonly<Record<string, unknown>>;
  return {
    options: { strategy: id, strategyOptions, window, img, patch, patchDepth, inChannels },
    strategy,
    grid: [img[0] / patch, img[1] / patch],
    depthGrid: window / patchDepth,
  };
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/** Metadata key under which the resolved options are stored in the output's `__metadata__`. */
export const INFLATION_METADATA_KEY = "transseg_inflation";

/** What `__metadata__.transseg_inflation` holds (as JSON): the resolved options, snake_case like the `transseg` config (SPEC §3). */
export interface InflationMetadata {
  readonly strategy: string;
  readonly strategy_options: Readonly<Record<string, unknown>>;
  readonly window: number;
  readonly img: [number, number];
  readonly patch: number;
  readonly patch_depth: number;
  readonly in_channels: number;
}

/**
 * The JSON-ready record of resolved options stored as `__metadata__.transseg_inflation`
 * (`JSON.stringify` it). Pass `report.options`, or `planInflation(options).options` for raw options.
 */
export function inflationMetadata(options: ResolvedInflateOptions): InflationMetadata {
  return {
    strategy: options.strategy,
    strategy_options: { ...options.strategyOptions },
    window: options.window,
    img: [options.img[0], options.img[1]],
    patch: options.patch,
    patch_depth: options.patchDepth,
    in_channels: options.inChannels,
  };
}
