import { checkKernelArgs, type InflationStrategy, type Kernel2dShape } from "../strategy.js";

/** One-hot depth weights at K//2. */
function centerWeights(depth: number): number[] {
  const w = new Array<number>(depth).fill(0);
  w[depth >> 1] = 1;
  return w;
}

/**
 * The paper's "centering" (TransSeg's default): `W' = 0; W'[:, :, K//2] = W`.
 * The 3D model on any window equals the 2D model on the window's centre slice.
 */
export const center = {
  id: "center",
  description: "the paper's centering (default): the 2D kernel at the centre depth K//2, zeros elsewhere",
  identity: {
    statement: "conv3d of any window = conv2d of its centre slice (one-hot depth weights at K//2)",
    depthWeights: (depth: number) => centerWeights(depth),
  },
  inflate(kernel2d: Float32Array, shape2d: Kernel2dShape, depth: number): Float32Array {
    checkKernelArgs(kernel2d, shape2d, depth);
    const plane = shape2d[2] * shape2d[3];
    const pairs = shape2d[0] * shape2d[1];
    const out = new Float32Array(pairs * depth * plane);
    const mid = depth >> 1;
    for (let p = 0; p < pairs; p++) out.set(kernel2d.subarray(p * plane, (p + 1) * plane), (p * depth + mid) * plane);
    return out;
  },
} as const satisfies InflationStrategy;
