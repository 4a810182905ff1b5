import * as tf from "@tensorflow/tfjs";
import { withArena } from "./fused-module.js";
import { runFused } from "./heap-io.js";

/** LayerNorm over the last axis: inputs `x` `[..., C]`, `gamma`, `beta` `[C]`; attr `epsilon`. */
export const LAYER_NORM = "TranssegLayerNorm";
/** Its gradient: inputs `dy`, `x`, `gamma`; outputs `dx`, `dgamma`, `dbeta`. */
export const LAYER_NORM_GRAD = "TranssegLayerNormGrad";

interface LayerNormAttrs {
  readonly epsilon: number;
}

function checkWidth(kernelName: string, x: tf.TensorInfo, gamma: tf.TensorInfo): number {
  const c = x.shape[x.shape.length - 1]!;
  if (gamma.shape.length !== 1 || gamma.shape[0] !== c) throw new Error(`${kernelName}: gamma has shape [${gamma.shape.join(", ")}], expected [${c}]`);
  return c;
}

/** `y = (x − mean) · rstd · gamma + beta` per row (biased variance, two passes); compiled C (`c/fused.c`). */
export function layerNormKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: LAYER_NORM,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
      const c = checkWidth(LAYER_NORM, x, gamma);
      checkWidth(LAYER_NORM, x, beta);
      const eps = (attrs as unknown as LayerNormAttrs).epsilon;
      const rows = c === 0 ? 0 : tf.util.sizeFromShape(x.shape) / c;
      return runFused(LAYER_NORM, backend, [x, gamma, beta], [[...x.shape]], ([xv, g, b], [y]) => {
        withArena([rows * c, c, c, rows * c], [xv, g, b], (fns, [px, pg, pb, py], view) => {
          fns.layer_norm(px!, pg!, pb!, py!, rows, c, eps);
          y!.set(view(3));
        });
      })[0]!;
    },
  };
}

/**
 * LayerNorm's gradient with x̂ = (x − mean)·rstd and g = dy·gamma:
 * `dx = rstd · (g − mean(g) − x̂ · mean(g · x̂))`, `dgamma = Σ_rows dy · x̂`, `dbeta = Σ_rows dy`
 * (statistics recomputed from `x`); compiled C.
 */
export function layerNormGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: LAYER_NORM_GRAD,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dy, x, gamma } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; gamma: tf.TensorInfo };
      const c = checkWidth(LAYER_NORM_GRAD, x, gamma);
      const eps = (attrs as unknown as LayerNormAttrs).epsilon;
      const rows = c === 0 ? 0 : tf.util.sizeFromShape(x.shape) / c;
      return runFused(LAYER_NORM_GRAD, backend, [dy, x, gamma], [[...x.shape], [c], [c]], ([dyv, xv, g], [dx, dgamma, dbeta]) => {
        withArena([rows * c, rows * c, c, rows * c, c, c], [dyv, xv, g], (fns, [pdy, px, pg, pdx, pdg, pdb], view) => {
          fns.layer_norm_grad(pdy!, px!, pg!, pdx!, pdg!, pdb!, rows, c, eps);
          dx!.set(view(3));
          dgamma!.set(view(4));
          dbeta!.set(view(5));
        });
      });
    },
  };
}

/**
 * The gradient of `LAYER_NORM`: one `LAYER_NORM_GRAD` call serves all three inputs. It runs when
 * the tape calls `gradFunc` (not inside the per-input closures, whose tidies would dispose the
 * other two results).
 */
export const layerNormGradConfig: tf.GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ["x", "gamma"],
  gradFunc: (dy, saved, attrs) => {
    const [x, gamma] = saved as [tf.Tensor, tf.Tensor];
    const [dx, dgamma, dbeta] = tf.engine().runKernel(LAYER_NORM_GRAD, { dy: dy as tf.Tensor, x, gamma }, attrs as tf.NamedAttrMap) as tf.Tensor[];
    return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
  },
};
