import { inflateWithDepthWeights, type InflationStrategy, type Kernel2dShape } from "@transseg/inflate";

/** A triangle peaking at K//2, normalised: w_k ∝ K − |k − K//2|, Σ w_k = 1. */
export function triangleWeights(K: number): number[] {
  const w = Array.from({ length: K }, (_, k) => K - Math.abs(k - (K >> 1)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

/**
 * Beyond the paper: the 2D kernel weighted over depth by a normalised triangle at K//2 — between
 * the paper's centering (all weight on the centre slice) and average (equal weights). A
 * depth-constant window gives the 2D model's output, as with average.
 */
export const triangle = {
  id: "triangle",
  description: "beyond the paper: the 2D kernel weighted over depth by a normalised triangle at K//2",
  beyondPaper: true,
  identity: { statement: "conv3d of a depth-constant window = conv2d of that slice", depthWeights: triangleWeights },
  inflate: (kernel: Float32Array, shape: Kernel2dShape, K: number) => inflateWithDepthWeights(kernel, shape, triangleWeights(K)),
} as const satisfies InflationStrategy;
