import * as tf from "@tensorflow/tfjs";
import { adaptivePoolMatrix, bilinearMatrix, separable } from "./separable.js";
import { flipFilterSwapChannels } from "../backend/kernels/flip-filter.js";
import { winogradConv3x3, winogradFilterGrad3x3 } from "./winograd.js";

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

/**
 * Conv2d, stride 1, zero padding k//2 (odd kernels), NHWC; `w` is `[kh, kw, in, out]`. 1×1 is a
 * matMul; 3×3 goes through `winogradConv3x3` where `useWinograd` says it pays off (forward, and
 * under a gradient tape the input gradient too).
 */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor4D {
  const kh = w.shape[0]!;
  let y: tf.Tensor4D;
  if (kh === 1 && w.shape[1] === 1) y = pointwise(x, w);
  else if (!useWinograd(x, w)) y = tf.conv2d(x, w as tf.Tensor4D, 1, "same");
  else y = tf.engine().state.gradientDepth > 0 ? winogradWithGradient(x, w as tf.Tensor4D) : winogradConv3x3(x, w as tf.Tensor4D);
  return b ? tf.add(y, b) : y;
}

/**
 * Whether a 3×3 "same" conv runs as Winograd F(2×2, 3×3): on wasm, where its 16 matMuls beat
 * XNNPACK's direct convolution 1.5–3× once there are ≥ 256 output tiles and ≥ 256×256 channel
 * pairs (UPerNet's 128² fpn_bottleneck: 2.4×); smaller convs are faster direct.
 */
export function useWinograd(x: tf.Tensor4D, w: tf.Tensor): boolean {
  if (w.shape[0] !== 3 || w.shape[1] !== 3 || tf.getBackend() !== "wasm") return false;
  const [n, h, wd, cin] = x.shape;
  return n * Math.ceil(h / 2) * Math.ceil(wd / 2) >= 256 && cin * w.shape[3]! >= 65536;
}

/**
 * Winograd forward with an explicit gradient: the input gradient is the same-padded conv of
 * `dy` with the filter rotated 180° and its channels swapped (itself Winograd when that pays),
 * the filter gradient `winogradFilterGrad3x3` (16 matMuls `[in, tiles] × [tiles, out]` where the
 * direct form takes 9 `[in, pixels] × [pixels, out]`: BEiT-small + UPerNet(384) at 128², a
 * training step 3.46 → 3.10 s on one wasm thread, 2.55 → 2.40 s on two; on the small maps below
 * `useWinograd`'s limits it was slower, so they keep `Conv2DBackpropFilter`). Inner ops stay off
 * the tape.
 */
function winogradWithGradient(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, filter, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([input, filter]);
    return {
      value: winogradConv3x3(input, filter),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const g = dy as tf.Tensor4D;
        const flipped = flipFilterSwapChannels(ws);
        const dx = useWinograd(g, flipped) ? winogradConv3x3(g, flipped) : tf.conv2d(g, flipped, 1, "same");
        const dw = winogradFilterGrad3x3(xs, g);
        flipped.dispose();
        return [dx, dw];
      },
    };
  });
  return f(x, w) as tf.Tensor4D;
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
