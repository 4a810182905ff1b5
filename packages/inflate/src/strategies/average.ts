import { checkKernelArgs, type InflationStrategy, type Kernel2dShape } from "../strategy.js";

/**
 * The paper's "inflation" (I3D-style): `W' = repeat(W, K along depth) / K`.
 * The 3D model on a depth-constant window equals the 2D model on that slice.
 */
export const average = {
  id: "average",
  description: "the paper's inflation (I3D-style): the 2D kernel repeated over depth and divided by K",
  identity: {
    statement: "conv3d of a depth-constant window = conv2d of that slice (depth weights 1/K)",
    depthWeights: (depth: number) => new Array<number>(depth).fill(1 / depth),
  },
  inflate(kernel2d: Float32Array, shape2d: Kernel2dShape, depth: number): Float32Array {
    checkKernelArgs(kernel2d, shape2d, depth);
    const plane = shape2d[2] * shape2d[3];
    const pairs = shape2d[0] * shape2d[1];
    const out = new Float32Array(pairs * depth * plane);
    for (let p = 0; p < pairs; p++) {
      const s = p * plane;
      const first = p * depth * plane;
      // Divide (not multiply by 1/K) so values match PyTorch's `w / depth` bit for bit.
      for (let i = 0; i < plane; i++) out[first + i] = kernel2d[s + i]! / depth;
      for (let k = 1; k < depth; k++) out.copyWithin(first + k * plane, first, first + plane);
    }
    return out;
  },
} as const satisfies InflationStrategy;
