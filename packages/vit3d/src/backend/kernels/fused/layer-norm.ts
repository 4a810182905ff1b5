import * as tf from "@tensorflow/tfjs";
import { runFused } from "./heap-io.js";

/** LayerNorm over the last axis: inputs `x` `[..., C]`, `gamma`, `beta` `[C]`; attr `epsilon`. */
export const LAYER_NORM = "TranssegLayerNorm";
/** Its gradient: inputs `dy`, `x`, `gamma`; outputs `dx`, `dgamma`, `dbeta`. */
export const LAYER_NORM_GRAD = "TranssegLayerNormGrad";

interface LayerNormAttrs {
  readonly epsilon: number;
}

/** Mean and 1/√(variance + eps) (biased variance, two passes, in double) of row `r` of width `c`. */
function rowStats(x: Float32Array, r: number, c: number, eps: number): [number, number] {
  const o = r * c;
  let sum = 0;
  for (let i = 0; i < c; i++) sum += x[o + i]!;
  const mean = sum / c;
  let sq = 0;
  for (let i = 0; i < c; i++) {
    const d = x[o + i]! - mean;
    sq += d * d;
  }
  return [mean, 1 / Math.sqrt(sq / c + eps)];
}

function checkWidth(kernelName: string, x: tf.TensorInfo, gamma: tf.TensorInfo): number {
  const c = x.shape[x.shape.length - 1]!;
  if (gamma.shape.length !== 1 || gamma.shape[0] !== c) throw new Error(`${kernelName}: gamma has shape [${gamma.shape.join(", ")}], expected [${c}]`);
  return c;
}

/** `y = (x − mean) · rstd · gamma + beta` per row, one pass over the data after the statistics. */
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
        for (let r = 0; r < rows; r++) {
          const [mean, rstd] = rowStats(xv!, r, c, eps);
          const o = r * c;
          for (let i = 0; i < c; i++) y![o + i] = (xv![o + i]! - mean) * rstd * g![i]! + b![i]!;
        }
      })[0]!;
    },
  };
}

/**
 * LayerNorm's gradient with x̂ = (x − mean)·rstd and g = dy·gamma:
 * `dx = rstd · (g − mean(g) − x̂ · mean(g · x̂))`, `dgamma = Σ_rows dy · x̂`, `dbeta = Σ_rows dy`
 * (statistics recomputed from `x`, in double).
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
      const dg = new Float64Array(c);
      const db = new Float64Array(c);
      return runFused(LAYER_NORM_GRAD, backend, [dy, x, gamma], [[...x.shape], [c], [c]], ([dyv, xv, g], [dx, dgamma, dbeta]) => {
        for (let r = 0; r < rows; r++) {
          const [mean, rstd] = rowStats(xv!, r, c, eps);
          const o = r * c;
          let sg = 0;
          let sgx = 0;
          for (let i = 0; i < c; i++) {
            const d = dyv![o + i]!;
            const xh = (xv![o + i]! - mean) * rstd;
            const gi = d * g![i]!;
            sg += gi;
            sgx += gi * xh;
            dg[i]! += d * xh;
            db[i]! += d;
          }
          const mg = sg / c;
          const mgx = sgx / c;
          for (let i = 0; i < c; i++) {
            const xh = (xv![o + i]! - mean) * rstd;
            dx![o + i] = rstd * (dyv![o + i]! * g![i]! - mg - xh * mgx);
          }
        }
        dgamma!.set(dg);
        dbeta!.set(db);
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
