/**
 * The inflation-strategy plugin interface: how a 2D patch-embedding kernel `[O, C, kh, kw]`
 * becomes a 3D one `[O, C, K, kh, kw]` (PyTorch Conv3d layout: out, in, depth, h, w).
 *
 * A strategy is one file exporting one typed object (`as const satisfies InflationStrategy`).
 * Contributors add one through this interface alone and prove it with the conformance kit
 * `testInflationStrategy` from `@transseg/inflate/testing`.
 */

/** A 2D kernel shape in PyTorch Conv2d layout: `[out, in, kh, kw]`. */
export type Kernel2dShape = readonly [out: number, inChannels: number, kh: number, kw: number];

/** A 3D kernel shape in PyTorch Conv3d layout: `[out, in, depth, kh, kw]`. */
export type Kernel3dShape = readonly [out: number, inChannels: number, depth: number, kh: number, kw: number];

/**
 * The identity a strategy declares, expressed as depth weights `w_k` (k = 0 .. K-1): the 3D kernel
 * equals `w_k × kernel2d` at depth k. It follows that for every window x,
 * `conv3d(x) = Σ_k w_k · conv2d(x[:, k])`, so a depth-constant window gives `(Σ_k w_k) · conv2d(slice)`.
 * Examples: `center` one-hot at K//2 (3D model on any window = 2D model on its centre slice),
 * `average` 1/K, `repeat` 1, `gaussian` a normalised gaussian.
 */
export interface DepthWeightsIdentity<O extends object> {
  /** The identity in words, shown as the conformance test's name. */
  readonly statement: string;
  /** The weights `w_k` for depth K (length K), with the strategy's resolved options. */
  depthWeights(depth: number, options: O): readonly number[];
}

/**
 * An inflation strategy. `O` is its typed options object (`{}` for none); `resolveOptions` fills
 * defaults (they may depend on the depth K) and rejects bad or unknown keys with a clear message.
 */
export interface InflationStrategy<O extends object = object> {
  /** Registry id, lower-case, e.g. `center`. One id per strategy: no aliases. */
  readonly id: string;
  /** One sentence for `--help` and the README. */
  readonly description: string;
  /** True when the strategy is not one of the paper's (center, average) or TransSeg's (repeat). */
  readonly beyondPaper?: boolean;
  /** The declared identity the conformance kit checks numerically. Strongly recommended. */
  readonly identity?: DepthWeightsIdentity<O>;
  /**
   * Resolves user options (possibly partial or absent) for depth K: defaults filled, values and
   * keys validated (throw `Error` with a one-line message). Absent = the strategy takes no options.
   */
  resolveOptions?(options: Readonly<Record<string, unknown>> | undefined, depth: number): O;
  /**
   * `[O, C, kh, kw]` -> `[O, C, K, kh, kw]` as a fresh Float32Array. Must not modify `kernel2d`, must be
   * deterministic, must accept K = 1. `options` are the resolved ones (from `resolveOptions`).
   */
  inflate(kernel2d: Float32Array, shape2d: Kernel2dShape, depth: number, options: O): Float32Array;
}

/** Validates a kernel and depth for `inflate` (shared by the built-in strategies). */
export function checkKernelArgs(kernel2d: Float32Array, shape2d: Kernel2dShape, depth: number): void {
  if (shape2d.length !== 4 || !shape2d.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`kernel shape must be [out, in, kh, kw] of positive integers, got [${shape2d.join(", ")}]`);
  }
  const n = shape2d[0] * shape2d[1] * shape2d[2] * shape2d[3];
  if (kernel2d.length !== n) {
    throw new Error(`kernel has ${kernel2d.length} values but shape [${shape2d.join(", ")}] needs ${n}`);
  }
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`inflation depth must be a positive integer, got ${depth}`);
}

/** `[O, C, kh, kw]` + K -> `[O, C, K, kh, kw]`. */
export function kernel3dShape(shape2d: Kernel2dShape, depth: number): Kernel3dShape {
  return [shape2d[0], shape2d[1], depth, shape2d[2], shape2d[3]];
}

/**
 * Writes `w_k × kernel2d` at every depth k: the building block of every depth-separable strategy.
 * Copies whole `kh × kw` planes (no per-element closures); weights of exactly 1 or 0 are copies / zeros.
 */
export function inflateWithDepthWeights(kernel2d: Float32Array, shape2d: Kernel2dShape, weights: readonly number[]): Float32Array {
  const depth = weights.length;
  checkKernelArgs(kernel2d, shape2d, depth);
  const plane = shape2d[2] * shape2d[3];
  const pairs = shape2d[0] * shape2d[1];
  const out = new Float32Array(pairs * depth * plane);
  for (let p = 0; p < pairs; p++) {
    const src = kernel2d.subarray(p * plane, (p + 1) * plane);
    for (let k = 0; k < depth; k++) {
      const w = weights[k]!;
      const base = (p * depth + k) * plane;
      if (w === 0) continue;
      if (w === 1) {
        out.set(src, base);
        continue;
      }
      for (let i = 0; i < plane; i++) out[base + i] = src[i]! * w;
    }
  }
  return out;
}
