import * as tf from "@tensorflow/tfjs";
import { withArena } from "./fused-module.js";
import { runFused } from "./heap-io.js";

/** `gelu(x + bias)` (exact erf GELU) over the last axis: inputs `x` `[..., C]`, `bias` `[C]`. */
export const BIAS_GELU = "TranssegBiasGelu";
/** Its gradient: inputs `dy`, `x`, `bias`; outputs `dx`, `dbias`. */
export const BIAS_GELU_GRAD = "TranssegBiasGeluGrad";

function width(kernelName: string, x: tf.TensorInfo, bias: tf.TensorInfo): number {
  const c = x.shape[x.shape.length - 1]!;
  if (bias.shape.length !== 1 || bias.shape[0] !== c) throw new Error(`${kernelName}: bias has shape [${bias.shape.join(", ")}], expected [${c}]`);
  return c;
}

/**
 * y = z · Φ(z), z = x + bias, Φ(z) = ½ (1 + erf(z / √2)), erf by Abramowitz & Stegun 7.1.26
 * (absolute error ≤ 1.5e-7, as TensorFlow.js's cpu `Erf`); compiled C (`c/fused.c`).
 */
export function biasGeluKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: BIAS_GELU,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { x, bias } = inputs as { x: tf.TensorInfo; bias: tf.TensorInfo };
      const c = width(BIAS_GELU, x, bias);
      const n = tf.util.sizeFromShape(x.shape);
      return runFused(BIAS_GELU, backend, [x, bias], [[...x.shape]], ([xv, b], [y]) => {
        withArena([n, c, n], [xv, b], (fns, [px, pb, py], view) => {
          fns.bias_gelu(px!, pb!, py!, n, c);
          y!.set(view(2));
        });
      })[0]!;
    },
  };
}

/** dx = dy · (Φ(z) + z · φ(z)), φ the standard normal density; dbias = Σ_rows dx; compiled C. */
export function biasGeluGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: BIAS_GELU_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x, bias } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; bias: tf.TensorInfo };
      const c = width(BIAS_GELU_GRAD, x, bias);
      const n = tf.util.sizeFromShape(x.shape);
      return runFused(BIAS_GELU_GRAD, backend, [dy, x, bias], [[...x.shape], [c]], ([dyv, xv, b], [dx, db]) => {
        withArena([n, n, c, n, c], [dyv, xv, b], (fns, [pdy, px, pb, pdx, pdb], view) => {
          fns.bias_gelu_grad(pdy!, px!, pb!, pdx!, pdb!, n, c);
          dx!.set(view(3));
          db!.set(view(4));
        });
      });
    },
  };
}

/** The gradient of `BIAS_GELU`: one `BIAS_GELU_GRAD` call for both inputs (run eagerly, see layer-norm.ts). */
export const biasGeluGradConfig: tf.GradConfig = {
  kernelName: BIAS_GELU,
  inputsToSave: ["x", "bias"],
  gradFunc: (dy, saved) => {
    const [x, bias] = saved as [tf.Tensor, tf.Tensor];
    const [dx, dbias] = tf.engine().runKernel(BIAS_GELU_GRAD, { dy: dy as tf.Tensor, x, bias }) as tf.Tensor[];
    return { x: () => dx!, bias: () => dbias! };
  },
};
