import * as tf from "@tensorflow/tfjs";
import { withArena } from "./fused-module.js";
import { runFused } from "./heap-io.js";

/**
 * Multi-head self-attention from the fused qkv projection, one kernel:
 * inputs `qkv` `[B, N, 3·h·hd]` (q, k, v blocks, each head-major, as `splitHeads` reads them) and
 * optionally `bias` `[N, N, h]` (the relative position bias as gathered from its table, before
 * any transpose); attrs `heads`, `scale`. Output `[B, N, h·hd]`, heads merged head-major:
 * `softmax(scale · q kᵀ + bias) v` per batch item and head.
 */
export const ATTENTION = "TranssegAttention";
/** `ATTENTION` without a bias input (kinds without relative position bias). */
export const ATTENTION_NO_BIAS = "TranssegAttentionNoBias";
/** Its gradient: inputs `dy`, `qkv` and `bias` if any; outputs `dqkv` and `dbias` if any. */
export const ATTENTION_GRAD = "TranssegAttentionGrad";

export interface AttentionAttrs {
  readonly heads: number;
  readonly scale: number;
}

interface Dims {
  readonly b: number;
  readonly n: number;
  readonly h: number;
  readonly hd: number;
  /** Channels of one of q, k, v: h·hd. */
  readonly c: number;
}

function dims(kernelName: string, qkv: tf.TensorInfo, bias: tf.TensorInfo | undefined, heads: number): Dims {
  if (qkv.shape.length !== 3) throw new Error(`${kernelName}: qkv must be [B, N, 3·heads·headDim], got [${qkv.shape.join(", ")}]`);
  const [b, n, c3] = qkv.shape as [number, number, number];
  const hd = c3 / (3 * heads);
  if (!Number.isInteger(heads) || heads < 1 || !Number.isInteger(hd) || hd < 1) throw new Error(`${kernelName}: ${c3} channels are not 3 × ${heads} heads × an integer head size`);
  if (bias && (bias.shape.length !== 3 || bias.shape[0] !== n || bias.shape[1] !== n || bias.shape[2] !== heads)) {
    throw new Error(`${kernelName}: bias has shape [${bias.shape.join(", ")}], expected [${n}, ${n}, ${heads}]`);
  }
  return { b, n, h: heads, hd, c: heads * hd };
}

export function attentionKernel(backendName: string, kernelName: typeof ATTENTION | typeof ATTENTION_NO_BIAS = ATTENTION): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { qkv, bias } = inputs as { qkv: tf.TensorInfo; bias?: tf.TensorInfo };
      if ((bias === undefined) !== (kernelName === ATTENTION_NO_BIAS)) throw new Error(`${kernelName}: ${bias ? "unexpected" : "missing"} bias input`);
      const { heads, scale } = attrs as unknown as AttentionAttrs;
      const d = dims(kernelName, qkv, bias, heads);
      const { b, n, hd, c } = d;
      return runFused(kernelName, backend, bias ? [qkv, bias] : [qkv], [[b, n, c]], ([x, bv], [y]) => {
        withArena([b * n * 3 * c, bv ? n * n * heads : 0, b * n * c, 3 * n * hd + n * n], [x, bv], (fns, [px, pb, py, ps], view) => {
          fns.attention(px!, bv ? pb! : 0, py!, ps!, b, n, heads, hd, scale);
          y!.set(view(2));
        });
      })[0]!;
    },
  };
}

/**
 * Gradient with P = softmax(S) recomputed, dO = dy of the batch item and head:
 * `dV = Pᵀ dO`, `dP = dO Vᵀ`, `dS = P ⊙ (dP − rowsum(P ⊙ dP))`, `dQ = scale · dS K`,
 * `dK = scale · dSᵀ Q`, `dbias = Σ_batch dS`; compiled C (`c/fused.c`, float32, SIMD).
 */
export function attentionGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: ATTENTION_GRAD,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dy, qkv, bias } = inputs as { dy: tf.TensorInfo; qkv: tf.TensorInfo; bias?: tf.TensorInfo };
      const { heads, scale } = attrs as unknown as AttentionAttrs;
      const d = dims(ATTENTION_GRAD, qkv, bias, heads);
      const { b, n, hd, c } = d;
      const ins = bias ? [dy, qkv, bias] : [dy, qkv];
      const outShapes = bias ? [[...qkv.shape], [...bias.shape]] : [[...qkv.shape]];
      return runFused(ATTENTION_GRAD, backend, ins, outShapes, ([g, x, bv], [dx, db]) => {
        const nb = bv ? n * n * heads : 0;
        withArena([b * n * c, b * n * 3 * c, nb, b * n * 3 * c, nb, 6 * n * hd + 2 * n * n], [g, x, bv], (fns, [pg, px, pb, pdx, pdb, ps], view) => {
          fns.attention_grad(pg!, px!, bv ? pb! : 0, pdx!, bv ? pdb! : 0, ps!, b, n, heads, hd, scale);
          dx!.set(view(3));
          if (db) db.set(view(4));
        });
      });
    },
  };
}

/** The gradients of `ATTENTION` and `ATTENTION_NO_BIAS`: one `ATTENTION_GRAD` call for all inputs (run eagerly, see layer-norm.ts). */
export const attentionGradConfigs: readonly tf.GradConfig[] = [
  {
    kernelName: ATTENTION,
    inputsToSave: ["qkv", "bias"],
    gradFunc: (dy, saved, attrs) => {
      const [qkv, bias] = saved as [tf.Tensor, tf.Tensor];
      const [dqkv, dbias] = tf.engine().runKernel(ATTENTION_GRAD, { dy: dy as tf.Tensor, qkv, bias }, attrs as tf.NamedAttrMap) as tf.Tensor[];
      return { qkv: () => dqkv!, bias: () => dbias! };
    },
  },
  {
    kernelName: ATTENTION_NO_BIAS,
    inputsToSave: ["qkv"],
    gradFunc: (dy, saved, attrs) => {
      const [qkv] = saved as [tf.Tensor];
      const [dqkv] = tf.engine().runKernel(ATTENTION_GRAD, { dy: dy as tf.Tensor, qkv }, attrs as tf.NamedAttrMap) as tf.Tensor[];
      return { qkv: () => dqkv! };
    },
  },
];
