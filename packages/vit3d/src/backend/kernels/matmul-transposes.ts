import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./kernel-util.js";

/** Looks up the kernel a wrapper replaced (kept by `registerKernelFixes`). */
export type ReplacedKernel = (kernelName: string, backendName: string) => tf.KernelConfig;

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  perm.push(...perm.splice(-2).reverse());
  return tf.transpose(t, perm);
}

/**
 * `BatchMatMul` / `_FusedMatMul` with `transposeA` / `transposeB` done as an explicit transpose
 * followed by the backend's own kernel without transposes. On wasm (4.22) a transposed operand
 * is 13× (B) to 65× (A) slower than transposing first, and every matMul gradient has one:
 * `dA = dY·Bᵀ`, `dB = Aᵀ·dY`. The replaced kernel's `setupFunc` still runs.
 */
export function transposeFirstMatMulKernel(kernelName: "BatchMatMul" | "_FusedMatMul", backendName: string, replaced: ReplacedKernel): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    setupFunc: (backend) => replaced(kernelName, backendName).setupFunc?.(backend),
    kernelFunc: ({ inputs, attrs, backend }) => {
      const original = replaced(kernelName, backendName).kernelFunc;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original({ inputs, attrs, backend });
      const made: tf.Tensor[] = [];
      const operand = (info: tf.TensorInfo | undefined, transpose: boolean): tf.TensorInfo | undefined => {
        if (info === undefined || !transpose) return info;
        const t = swapLastTwo(asTensor(info));
        made.push(t);
        return t;
      };
      try {
        return original({
          inputs: { ...inputs, a: operand(inputs.a, transposeA)!, b: operand(inputs.b, transposeB)! },
          attrs: { ...attrs, transposeA: false, transposeB: false },
          backend,
        });
      } finally {
        for (const t of made) t.dispose();
      }
    },
  };
}
