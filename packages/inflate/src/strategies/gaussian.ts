import { inflateWithDepthWeights, type InflationStrategy, type Kernel2dShape } from "../strategy.js";

/** Options of the `gaussian` strategy. */
export interface GaussianOptions {
  /** Standard deviation in slices; default K/4. Must be a positive finite number. */
  readonly sigma: number;
}

/** Normalised gaussian depth weights: `w_k ∝ exp(-(k - K//2)² / 2σ²)`, `Σ w_k = 1`. */
export function gaussianWeights(depth: number, sigma: number): number[] {
  const mid = depth >> 1;
  const w = new Array<number>(depth);
  let sum = 0;
  for (let k = 0; k < depth; k++) {
    w[k] = Math.exp(-((k - mid) ** 2) / (2 * sigma * sigma));
    sum += w[k]!;
  }
  for (let k = 0; k < depth; k++) w[k] = w[k]! / sum;
  return w;
}

/**
 * Beyond the paper (an example of a contributed strategy, added through the public interface
 * alone): the 2D kernel weighted over depth by a normalised gaussian centred at K//2.
 * Between `center` (σ -> 0) and `average` (σ -> ∞); a depth-constant window gives the 2D output.
 */
export const gaussian = {
  id: "gaussian",
  description: "beyond the paper: the 2D kernel weighted over depth by a normalised gaussian at K//2 (sigma = K/4 by default)",
  beyondPaper: true,
  identity: {
    statement: "conv3d of any window = Σ_k w_k conv2d(slice k), w = normalised gaussian; depth-constant window = conv2d of that slice",
    depthWeights: (depth: number, options: GaussianOptions) => gaussianWeights(depth, options.sigma),
  },
  resolveOptions(options: Readonly<Record<string, unknown>> | undefined, depth: number): GaussianOptions {
    const given = options ?? {};
    const unknown = Object.keys(given).filter((k) => k !== "sigma");
    if (unknown.length) throw new Error(`gaussian strategy: unknown option ${unknown.map((k) => `"${k}"`).join(", ")} (known: sigma)`);
    const sigma = given.sigma ?? depth / 4;
    if (typeof sigma !== "number" || !Number.isFinite(sigma) || sigma <= 0) {
      throw new Error(`gaussian strategy: sigma must be a positive finite number, got ${JSON.stringify(sigma)}`);
    }
    return { sigma };
  },
  inflate(kernel2d: Float32Array, shape2d: Kernel2dShape, depth: number, options: GaussianOptions): Float32Array {
    return inflateWithDepthWeights(kernel2d, shape2d, gaussianWeights(depth, options.sigma));
  },
} as const satisfies InflationStrategy<GaussianOptions>;
