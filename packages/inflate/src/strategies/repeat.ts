import { inflateWithDepthWeights, type InflationStrategy, type Kernel2dShape } from "../strategy.js";

/**
 * TransSeg's `repeat`: `W' = repeat(W, K along depth)`, no rescaling.
 * The 3D model on a depth-constant window equals the 2D model on K times that slice.
 */
export const repeat = {
  id: "repeat",
  description: "the 2D kernel repeated over depth without rescaling (responses scale by K on depth-constant input)",
  identity: {
    statement: "conv3d of a depth-constant window = K × conv2d of that slice (depth weights 1)",
    depthWeights: (depth: number) => new Array<number>(depth).fill(1),
  },
  inflate(kernel2d: Float32Array, shape2d: Kernel2dShape, depth: number): Float32Array {
    return inflateWithDepthWeights(kernel2d, shape2d, new Array<number>(depth).fill(1));
  },
} as const satisfies InflationStrategy;
