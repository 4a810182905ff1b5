import * as tf from "@tensorflow/tfjs";

/** Bilinear resize with PyTorch's `align_corners=False` (half-pixel centres), NHWC. */
export function resizeBilinear(x: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D {
  if (x.shape[1] === size[0] && x.shape[2] === size[1]) return x;
  return tf.image.resizeBilinear(x, [size[0], size[1]], false, true);
}

/** Conv2d, stride 1, zero padding k//2 (odd kernels), NHWC; `w` is `[kh, kw, in, out]`. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor4D {
  const kh = w.shape[0]!;
  const y = kh === 1 && w.shape[1] === 1 ? pointwise(x, w) : tf.conv2d(x, w as tf.Tensor4D, 1, "same");
  return b ? tf.add(y, b) : y;
}

/** A 1x1 convolution is a matMul over pixels. */
function pointwise(x: tf.Tensor4D, w: tf.Tensor): tf.Tensor4D {
  const [n, h, wd, c] = x.shape;
  const out = w.shape[3]!;
  return tf.matMul(x.reshape([n * h * wd, c]), w.reshape([c, out])).reshape([n, h, wd, out]);
}

/**
 * ConvTranspose2d with kernel = stride = 2 (no overlap): a matMul then a pixel shuffle.
 * `w` is `[in, 2*2*out]` ordered (kh, kw, out); output `[B, 2H, 2W, out]`.
 */
export function convTranspose2x2(x: tf.Tensor4D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor4D {
  const [n, h, wd, c] = x.shape;
  const out = w.shape[1]! / 4;
  let y: tf.Tensor = tf.matMul(x.reshape([n * h * wd, c]), w as tf.Tensor2D).reshape([n, h, wd, 2, 2, out]);
  y = tf.transpose(y, [0, 1, 3, 2, 4, 5]).reshape([n, 2 * h, 2 * wd, out]);
  return (b ? tf.add(y, b) : y) as tf.Tensor4D;
}

/** Row-stochastic matrix of PyTorch's adaptive average pooling bins: start = floor(i n / s), end = ceil((i+1) n / s). */
export function adaptivePoolMatrix(n: number, s: number): Float32Array {
  const m = new Float32Array(s * n);
  for (let i = 0; i < s; i++) {
    const start = Math.floor((i * n) / s);
    const end = Math.ceil(((i + 1) * n) / s);
    for (let j = start; j < end; j++) m[i * n + j] = 1 / (end - start);
  }
  return m;
}

/** AdaptiveAvgPool2d(s) on NHWC as two matMuls (differentiable, no pooling kernel needed). */
export function adaptiveAvgPool(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const ah = tf.tensor2d(adaptivePoolMatrix(h, s), [s, h]);
  const aw = tf.tensor2d(adaptivePoolMatrix(w, s), [s, w]);
  const rows = tf.matMul(tf.tile(ah.expandDims(0), [n, 1, 1]) as tf.Tensor3D, x.reshape([n, h, w * c]) as tf.Tensor3D); // [n, s, w*c]
  const cols = tf.matMul(tf.tile(aw.expandDims(0), [n * s, 1, 1]) as tf.Tensor3D, rows.reshape([n * s, w, c]) as tf.Tensor3D); // [n*s, s, c]
  return cols.reshape([n, s, s, c]);
}
