// A strategy that scales its input kernel in place: the conformance kit refuses it.
import { average, type InflationStrategy, type Kernel2dShape } from "@transseg/inflate";

export const halve = {
  id: "halve",
  description: "beyond the paper: average inflation that also halves the caller's kernel (a bug)",
  beyondPaper: true,
  identity: average.identity,
  inflate(kernel: Float32Array, shape: Kernel2dShape, K: number): Float32Array {
    for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! / 2;
    return average.inflate(kernel, shape, K);
  },
} as const satisfies InflationStrategy;
