import * as tf from "@tensorflow/tfjs";

/**
 * `out[b, i, j, c] = Σ_y Σ_x A[i, y] · B[j, x] · x[b, y, x, c]` for NHWC `x`, `A` `[s1, h]`,
 * `B` `[s2, w]`: a separable linear resampling done with 2D matMuls only (the fast path on
 * every backend, differentiable without special kernels).
 */
export function separable(x: tf.Tensor4D, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const s1 = a.shape[0];
  const s2 = b.shape[0];
  const rows = tf.matMul(a, tf.transpose(x, [1, 0, 2, 3]).reshape([h, n * w * c])); // [s1, n*w*c]
  const cols = tf.matMul(b, tf.transpose(rows.reshape([s1, n, w, c]), [2, 0, 1, 3]).reshape([w, s1 * n * c])); // [s2, s1*n*c]
  return tf.transpose(cols.reshape([s2, s1, n, c]), [2, 1, 0, 3]) as tf.Tensor4D;
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

/**
 * `[out, in]` matrix of 1D linear interpolation with half-pixel centres (PyTorch
 * `align_corners=False`, no antialiasing): src = (i + 0.5)·in/out − 0.5 clamped at 0, taps
 * floor(src) and min(floor(src) + 1, in − 1).
 */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const src = Math.max((i + 0.5) * scale - 0.5, 0);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const l = src - i0;
    m[i * inSize + i0] += 1 - l;
    m[i * inSize + i1] += l;
  }
  return m;
}
