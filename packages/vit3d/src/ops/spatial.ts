import * as tf from "@tensorflow/tfjs";
import { adaptivePoolMatrix, bilinearMatrix, separable } from "./separable.js";

/**
 * Bilinear resize with PyTorch's `align_corners=False` (half-pixel centres), NHWC. The forward
 * is TensorFlow.js's resizeBilinear; the gradient is the exact adjoint (the interpolation
 * matrices transposed), because tfjs 4.22's ResizeBilinearGrad swaps H and W for non-square
 * images ("gradient of input 'images' has shape '2,16,8,3' … '2,8,16,3'").
 */
export function resizeBilinear(x: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [oh, ow] = size;
  if (h === oh && w === ow) return x;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor4D;
    return {
      value: tf.image.resizeBilinear(input, [oh, ow], false, true),
      gradFunc: (dy: tf.Tensor) => {
        const ah = tf.transpose(tf.tensor2d(bilinearMatrix(h, oh), [oh, h])) as tf.Tensor2D;
        const aw = tf.transpose(tf.tensor2d(bilinearMatrix(w, ow), [ow, w])) as tf.Tensor2D;
        return separable(dy as tf.Tensor4D, ah, aw);
      },
    };
  });
  return f(x) as tf.Tensor4D;
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

/** AdaptiveAvgPool2d(s) on NHWC (PyTorch's bins) as a separable matMul (differentiable). */
export function adaptiveAvgPool(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  return separable(x, tf.tensor2d(adaptivePoolMatrix(h, s), [s, h]), tf.tensor2d(adaptivePoolMatrix(w, s), [s, w]));
}
