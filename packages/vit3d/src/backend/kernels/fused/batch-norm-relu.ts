import * as tf from "@tensorflow/tfjs";
import { withArena } from "./fused-module.js";
import { runFused } from "./heap-io.js";

/**
 * `relu(BatchNorm(x))` over the channel (last) axis of NHWC: inputs `x` `[..., C]`, `gamma`,
 * `beta`, `mean`, `variance` `[C]` (the running statistics, read in eval mode only); attrs
 * `epsilon`, `training`. Outputs `y`, and the statistics it normalised with: in training the
 * batch mean and biased variance over N·H·W, in eval copies of `mean` and `variance`.
 */
export const BATCH_NORM_RELU = "TranssegBatchNormRelu";
/** Its gradient: inputs `dy`, `x`, `gamma`, `beta`, `mean`, `variance` (those used); outputs `dx`, `dgamma`, `dbeta`. */
export const BATCH_NORM_RELU_GRAD = "TranssegBatchNormReluGrad";

interface BatchNormReluAttrs {
  readonly epsilon: number;
  readonly training: boolean;
}

function checkChannels(kernelName: string, x: tf.TensorInfo, vectors: Record<string, tf.TensorInfo>): number {
  const c = x.shape[x.shape.length - 1]!;
  for (const [name, v] of Object.entries(vectors)) {
    if (v.shape.length !== 1 || v.shape[0] !== c) throw new Error(`${kernelName}: ${name} has shape [${v.shape.join(", ")}], expected [${c}]`);
  }
  return c;
}

/**
 * `y = relu((x − mean) · gamma · rstd + beta)`, rstd = 1/√(variance + eps); in training the
 * statistics are the batch's (two passes, double accumulators); compiled C (`c/fused.c`).
 */
export function batchNormReluKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: BATCH_NORM_RELU,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, gamma, beta, mean, variance } = inputs as Record<"x" | "gamma" | "beta" | "mean" | "variance", tf.TensorInfo>;
      const c = checkChannels(BATCH_NORM_RELU, x, { gamma, beta, mean, variance });
      const { epsilon, training } = attrs as unknown as BatchNormReluAttrs;
      const m = c === 0 ? 0 : tf.util.sizeFromShape(x.shape) / c;
      return runFused(BATCH_NORM_RELU, backend, [x, gamma, beta, mean, variance], [[...x.shape], [c], [c]], ([xv, g, b, mv, vv], [y, meanOut, varOut]) => {
        withArena([m * c, c, c, c, c, m * c, 4 * c], [xv, g, b, mv, vv], (fns, [px, pg, pb, pm, pv, py, ps], view) => {
          fns.batch_norm_relu(px!, pg!, pb!, pm!, pv!, py!, ps!, m, c, epsilon, training ? 1 : 0);
          y!.set(view(5));
          meanOut!.set(view(3));
          varOut!.set(view(4));
        });
      });
    },
  };
}

/**
 * With g = dy · [z > 0] (z recomputed exactly as the forward did) and d = x − mean:
 * `dbeta = Σ g`, `dgamma = rstd · Σ g·d`, `dx = gamma · rstd · (g − dbeta/M − d · rstd · dgamma/M)`
 * in training (M = N·H·W), `dx = gamma · rstd · g` in eval; compiled C.
 */
export function batchNormReluGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: BATCH_NORM_RELU_GRAD,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dy, x, gamma, beta, mean, variance } = inputs as Record<"dy" | "x" | "gamma" | "beta" | "mean" | "variance", tf.TensorInfo>;
      const c = checkChannels(BATCH_NORM_RELU_GRAD, x, { gamma, beta, mean, variance });
      const { epsilon, training } = attrs as unknown as BatchNormReluAttrs;
      const m = c === 0 ? 0 : tf.util.sizeFromShape(x.shape) / c;
      return runFused(BATCH_NORM_RELU_GRAD, backend, [dy, x, gamma, beta, mean, variance], [[...x.shape], [c], [c]], ([dyv, xv, g, b, mv, vv], [dx, dgamma, dbeta]) => {
        withArena([m * c, m * c, c, c, c, c, m * c, c, c, 8 * c], [dyv, xv, g, b, mv, vv], (fns, [pdy, px, pg, pb, pm, pv, pdx, pdg, pdb, ps], view) => {
          fns.batch_norm_relu_grad(pdy!, px!, pg!, pb!, pm!, pv!, pdx!, pdg!, pdb!, ps!, m, c, epsilon, training ? 1 : 0);
          dx!.set(view(6));
          dgamma!.set(view(7));
          dbeta!.set(view(8));
        });
      });
    },
  };
}

/**
 * The gradient of `BATCH_NORM_RELU`: one `BATCH_NORM_RELU_GRAD` call (run eagerly, see
 * layer-norm.ts) with the statistics the forward used (saved outputs). The statistics outputs
 * pass no gradient back (as `batchNorm`'s reported statistics). `mean` and `variance`: zero in
 * training (unused); in eval, `−gamma·rstd·dbeta` and `−½·gamma·rstd²·dgamma`, built only when asked for.
 */
export const batchNormReluGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_RELU,
  inputsToSave: ["x", "gamma", "beta"],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, beta, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const { epsilon, training } = attrs as unknown as BatchNormReluAttrs;
    const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_RELU_GRAD, { dy, x, gamma, beta, mean, variance }, attrs as tf.NamedAttrMap) as tf.Tensor[];
    const rstd = (): tf.Tensor => tf.rsqrt(tf.add(variance, epsilon));
    return {
      x: () => dx!,
      gamma: () => dgamma!,
      beta: () => dbeta!,
      mean: () => (training ? tf.zerosLike(mean) : tf.neg(tf.mul(tf.mul(gamma, rstd()), dbeta!))),
      variance: () => (training ? tf.zerosLike(variance) : tf.mul(tf.mul(gamma, tf.square(rstd())), tf.mul(dgamma!, -0.5))),
    };
  },
};
