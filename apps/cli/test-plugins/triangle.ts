// The README's example strategy (packages/inflate/README.md, "Extending"), as a plugin module.
import { inflateWithDepthWeights, type InflationStrategy, type Kernel2dShape } from "@transseg/inflate";

/** A triangle peaking at K//2, normalised (exported too: plain functions are not plugins and are skipped). */
export const triangleWeights = (K: number) => {
  const w = Array.from({ length: K }, (_, k) => K - Math.abs(k - (K >> 1)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
};

export const triangle = {
  id: "triangle",
  description: "beyond the paper: the 2D kernel weighted over depth by a normalised triangle at K//2",
  beyondPaper: true,
  identity: { statement: "conv3d of a depth-constant window = conv2d of that slice", depthWeights: triangleWeights },
  inflate: (kernel: Float32Array, shape: Kernel2dShape, K: number) => inflateWithDepthWeights(kernel, shape, triangleWeights(K)),
} as const satisfies InflationStrategy;
