import * as tf from "@tensorflow/tfjs";

/**
 * 3D (NDHWC: `[B, D, H, W, C]`) operations built from 2D kernels and matMuls only, so their
 * gradients never touch TensorFlow.js's Conv3D backprop kernels (missing for conv3dTranspose on
 * every backend, wrong on wasm for Conv3DBackpropInputV2). Weights are taken in PyTorch layouts.
 */

/**
 * Conv3d, stride 1, zero padding k//2 (odd kernels), no dilation; `w` is PyTorch's
 * `[out, in, kd, kh, kw]`. The kd depth-shifted copies of the input are stacked on the channel
 * axis and one conv2d runs on `[B·D, H, W, kd·in]` with the filter `[kh, kw, kd·in, out]`:
 * `y[d] = Σ_t Σ_c x[d + t − kd//2, c] · w[:, c, t]` exactly.
 */
export function conv3d(x: tf.Tensor5D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor5D {
  const [n, d, h, wd, c] = x.shape;
  const [out, cin, kd, kh, kw] = w.shape as [number, number, number, number, number];
  if (cin !== c) throw new Error(`conv3d: input has ${c} channels, the weight expects ${cin}`);
  if (kd % 2 === 0 || kh % 2 === 0 || kw % 2 === 0) throw new Error(`conv3d: kernel [${kd}, ${kh}, ${kw}] must be odd`);
  if (kd === 1 && kh === 1 && kw === 1) return pointwise3d(x, w, b);
  const r = (kd - 1) / 2;
  const padded = r > 0 ? tf.pad(x, [[0, 0], [r, r], [0, 0], [0, 0], [0, 0]]) : x;
  const shifted = Array.from({ length: kd }, (_, t) => tf.slice(padded, [0, t, 0, 0, 0], [n, d, h, wd, c]));
  const stacked = (kd === 1 ? shifted[0]! : tf.concat(shifted, 4)).reshape([n * d, h, wd, kd * c]) as tf.Tensor4D;
  const filter = tf.transpose(w, [3, 4, 2, 1, 0]).reshape([kh, kw, kd * c, out]) as tf.Tensor4D;
  const y = conv2dSame(stacked, filter).reshape([n, d, h, wd, out]);
  return (b ? tf.add(y, b) : y) as tf.Tensor5D;
}

/** Conv3d with a 1×1×1 kernel (`w` `[out, in, 1, 1, 1]`): a matMul over voxels. */
export function pointwise3d(x: tf.Tensor5D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor5D {
  const [n, d, h, wd, c] = x.shape;
  const out = w.shape[0]!;
  const y = tf.matMul(x.reshape([n * d * h * wd, c]), tf.transpose(w.reshape([out, c]))).reshape([n, d, h, wd, out]);
  return (b ? tf.add(y, b) : y) as tf.Tensor5D;
}

/**
 * ConvTranspose3d with kernel = stride = `[1, 2, 2]` (in-plane ×2, depth kept; no overlap, no
 * bias unless given): a matMul then a pixel shuffle. `w` is PyTorch's `[in, out, 1, 2, 2]`.
 */
export function convTransposeInPlane2x(x: tf.Tensor5D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor5D {
  const [n, d, h, wd, c] = x.shape;
  const [cin, out, kd, kh, kw] = w.shape as [number, number, number, number, number];
  if (cin !== c || kd !== 1 || kh !== 2 || kw !== 2) throw new Error(`convTransposeInPlane2x: weight [${w.shape.join(", ")}] does not fit ${c} input channels and kernel [1, 2, 2]`);
  const m = tf.transpose(w.reshape([cin, out, 2, 2]), [0, 2, 3, 1]).reshape([cin, 4 * out]) as tf.Tensor2D;
  let y: tf.Tensor = tf.matMul(x.reshape([n * d * h * wd, c]), m).reshape([n * d, h, wd, 2, 2, out]);
  y = tf.transpose(y, [0, 1, 3, 2, 4, 5]).reshape([n, d, 2 * h, 2 * wd, out]);
  return (b ? tf.add(y, b) : y) as tf.Tensor5D;
}

/** InstanceNorm3d without affine parameters (PyTorch / MONAI default): per sample and channel over D·H·W, eps 1e-5. */
export function instanceNorm3d(x: tf.Tensor5D, eps = 1e-5): tf.Tensor5D {
  const { mean, variance } = tf.moments(x, [1, 2, 3], true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as tf.Tensor5D;
}

/**
 * Conv2d, stride 1, zero padding k//2 (odd kernels), NHWC, filter `[kh, kw, in, out]`, whose
 * gradients are forward convolutions and matMuls only: the input gradient is the `same`
 * convolution of `dy` with the flipped, in/out-swapped filter; the filter gradient is one
 * `[in, N·H·W] × [N·H·W, out]` matMul per tap over the shifted, zero-padded input. (The cpu
 * backend's Conv2DBackpropFilter is ~100× slower than this; wasm has none without the kernel fixes.)
 */
export function conv2dSame(x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, k, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([input, k]);
    return {
      value: tf.conv2d(input, k, 1, "same"),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = dy as tf.Tensor4D;
        const [xs, ks] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [n, h, w, c] = xs.shape;
        const [kh, kw, , out] = ks.shape;
        const dx = tf.conv2d(g, tf.transpose(tf.reverse(ks, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, "same");
        const [ph, pw] = [(kh - 1) / 2, (kw - 1) / 2];
        const xp = tf.pad(xs, [[0, 0], [ph, ph], [pw, pw], [0, 0]]);
        const gm = g.reshape([n * h * w, out]);
        const taps: tf.Tensor[] = [];
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) taps.push(tf.matMul(tf.transpose(tf.slice(xp, [0, i, j, 0], [n, h, w, c]).reshape([n * h * w, c])), gm));
        return [dx, tf.stack(taps).reshape([kh, kw, c, out])];
      },
    };
  });
  return f(x, filter) as tf.Tensor4D;
}
