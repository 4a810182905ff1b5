import { resolveStrategyOptions } from "../resolve-strategy.js";
import type { InflationStrategy, Kernel2dShape } from "../strategy.js";
import { patchConv2d, patchConv3d, windowSlice } from "./patch-conv.js";
import { randomFloat32 } from "./random.js";

/** What the conformance checks exercise. */
export interface StrategyCheckConfig {
  /** Options given to the strategy (resolved per depth by its `resolveOptions`). */
  readonly strategyOptions?: Readonly<Record<string, unknown>>;
  /** Depths K to try; must include 1 (default [1, 2, 3, 5, 7]). */
  readonly depths?: readonly number[];
  /** 2D kernel shapes to try (default [3, 2, 4, 4] and a non-square [2, 1, 3, 5]). */
  readonly shapes?: readonly Kernel2dShape[];
}

export const DEFAULT_DEPTHS: readonly number[] = [1, 2, 3, 5, 7];
export const DEFAULT_SHAPES: readonly Kernel2dShape[] = [[3, 2, 4, 4], [2, 1, 3, 5]];
/** Relative tolerance of the numeric identities (float32 kernels, float64 reference convolution). */
export const IDENTITY_TOLERANCE = 1e-5;

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function cases(config: StrategyCheckConfig): Array<{ shape: Kernel2dShape; depth: number; seed: number }> {
  const out: Array<{ shape: Kernel2dShape; depth: number; seed: number }> = [];
  let seed = 1;
  for (const shape of config.shapes ?? DEFAULT_SHAPES) for (const depth of config.depths ?? DEFAULT_DEPTHS) out.push({ shape, depth, seed: seed++ });
  return out;
}

function run(strategy: InflationStrategy, config: StrategyCheckConfig, kernel: Float32Array, shape: Kernel2dShape, depth: number): Float32Array {
  return strategy.inflate(kernel, shape, depth, resolveStrategyOptions(strategy, config.strategyOptions, depth));
}

/** id is a non-empty lower-case token and the description a sentence. */
export function checkDeclaration(strategy: InflationStrategy): void {
  if (!/^[a-z][a-z0-9-]*$/.test(strategy.id)) throw new Error(`strategy id "${strategy.id}" must be lower-case letters, digits and dashes`);
  if (typeof strategy.description !== "string" || strategy.description.trim().length < 10) throw new Error(`strategy "${strategy.id}" needs a description`);
  if (strategy.beyondPaper && !/beyond the paper/i.test(strategy.description)) {
    throw new Error(`strategy "${strategy.id}" is beyondPaper: its description must say "beyond the paper"`);
  }
}

/** `[O, C, kh, kw]` -> `[O, C, K, kh, kw]` for every depth (K = 1 included), as a fresh Float32Array. */
export function checkShapeLaw(strategy: InflationStrategy, config: StrategyCheckConfig = {}): void {
  const depths = config.depths ?? DEFAULT_DEPTHS;
  if (!depths.includes(1)) throw new Error("the shape law must be checked with K = 1 among the depths");
  for (const { shape, depth, seed } of cases(config)) {
    const kernel = randomFloat32(size(shape), seed);
    const out = run(strategy, config, kernel, shape, depth);
    if (!(out instanceof Float32Array)) throw new Error(`K=${depth}: inflate must return a Float32Array`);
    const want = size(shape) * depth;
    if (out.length !== want) throw new Error(`K=${depth}, [${shape.join(", ")}]: returned ${out.length} values, [${shape[0]}, ${shape[1]}, ${depth}, ${shape[2]}, ${shape[3]}] needs ${want}`);
    if (out.buffer === kernel.buffer) throw new Error(`K=${depth}: the result shares memory with the input kernel; return a fresh array`);
    for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) throw new Error(`K=${depth}: non-finite value at ${i}`);
  }
}

/** The input kernel is left exactly as it was. */
export function checkInputUntouched(strategy: InflationStrategy, config: StrategyCheckConfig = {}): void {
  for (const { shape, depth, seed } of cases(config)) {
    const kernel = randomFloat32(size(shape), seed);
    const before = kernel.slice();
    run(strategy, config, kernel, shape, depth);
    for (let i = 0; i < kernel.length; i++) {
      if (!Object.is(kernel[i], before[i])) throw new Error(`K=${depth}: inflate modified its input kernel at ${i} (${before[i]} -> ${kernel[i]})`);
    }
  }
}

/** Two calls on equal inputs give bit-identical results. */
export function checkDeterministic(strategy: InflationStrategy, config: StrategyCheckConfig = {}): void {
  for (const { shape, depth, seed } of cases(config)) {
    const a = run(strategy, config, randomFloat32(size(shape), seed), shape, depth);
    const b = run(strategy, config, randomFloat32(size(shape), seed), shape, depth);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`K=${depth}: two calls differ at ${i} (${a[i]} vs ${b[i]})`);
  }
}

function weightsFor(strategy: InflationStrategy, config: StrategyCheckConfig, depth: number): readonly number[] {
  if (!strategy.identity) throw new Error(`strategy "${strategy.id}" declares no identity`);
  const w = strategy.identity.depthWeights(depth, resolveStrategyOptions(strategy, config.strategyOptions, depth));
  if (w.length !== depth || !w.every(Number.isFinite)) throw new Error(`K=${depth}: identity.depthWeights must give ${depth} finite weights, got [${w.join(", ")}]`);
  return w;
}

/** The kernel equals `w_k × kernel2d` at every depth k (to float32 rounding). */
export function checkDepthWeights(strategy: InflationStrategy, config: StrategyCheckConfig = {}): void {
  for (const { shape, depth, seed } of cases(config)) {
    const w = weightsFor(strategy, config, depth);
    const kernel = randomFloat32(size(shape), seed);
    const out = run(strategy, config, kernel, shape, depth);
    const plane = shape[2] * shape[3];
    for (let p = 0; p < shape[0] * shape[1]; p++)
      for (let k = 0; k < depth; k++)
        for (let i = 0; i < plane; i++) {
          const want = w[k]! * kernel[p * plane + i]!;
          const got = out[(p * depth + k) * plane + i]!;
          if (Math.abs(got - want) > 2 ** -22 * Math.abs(want) + 1e-30) {
            throw new Error(`K=${depth}: kernel at (pair ${p}, depth ${k}, ${i}) is ${got}, declared w_${k} × kernel2d = ${want}`);
          }
        }
  }
}

function compare(label: string, got: Float64Array, want: Float64Array): void {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  const tol = IDENTITY_TOLERANCE * Math.max(scale, 1e-12);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) throw new Error(`${label}: output ${i} is ${got[i]}, the identity gives ${want[i]} (tolerance ${tol.toExponential(2)})`);
  }
}

/**
 * The declared conv identity on random data: for a random window x `[C, K, H, W]` (2×2 patches),
 * `conv3d(x) = Σ_k w_k conv2d(x[:, k])`; for a depth-constant window, `conv3d = (Σ_k w_k) conv2d(slice)`
 * (center: = conv2d of the centre slice; average: = conv2d of the slice; repeat: = K × conv2d).
 */
export function checkConvIdentity(strategy: InflationStrategy, config: StrategyCheckConfig = {}): void {
  for (const { shape, depth, seed } of cases(config)) {
    const w = weightsFor(strategy, config, depth);
    const [o, c, kh, kw] = shape;
    const kernel = randomFloat32(size(shape), seed);
    const k3 = run(strategy, config, kernel, shape, depth);
    const xShape = [c, depth, 2 * kh, 2 * kw];
    const sliceShape = [c, 2 * kh, 2 * kw];
    // Any window: the general separable identity.
    const x = randomFloat32(size(xShape), 1000 + seed);
    const want = new Float64Array(o * 4);
    for (let k = 0; k < depth; k++) {
      const y = patchConv2d(windowSlice(x, xShape, k), sliceShape, kernel, shape);
      for (let i = 0; i < y.length; i++) want[i] = want[i]! + w[k]! * y[i]!;
    }
    compare(`K=${depth}, any window`, patchConv3d(x, xShape, k3, [o, c, depth, kh, kw]), want);
    // A depth-constant window: a multiple of the 2D response.
    const slice = randomFloat32(size(sliceShape), 2000 + seed);
    const constant = new Float32Array(size(xShape));
    const plane = 4 * kh * kw;
    for (let cc = 0; cc < c; cc++) for (let k = 0; k < depth; k++) constant.set(slice.subarray(cc * plane, (cc + 1) * plane), (cc * depth + k) * plane);
    const sum = w.reduce((a, b) => a + b, 0);
    const y2 = patchConv2d(slice, sliceShape, kernel, shape).map((v) => sum * v);
    compare(`K=${depth}, depth-constant window (Σw = ${sum})`, patchConv3d(constant, xShape, k3, [o, c, depth, kh, kw]), y2);
  }
}
