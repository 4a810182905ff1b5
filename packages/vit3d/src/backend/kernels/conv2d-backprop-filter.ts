import * as tf from "@tensorflow/tfjs";
import { asTensor, padOrCrop } from "./kernel-util.js";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

export interface Conv2DBackpropFilterAttrs {
  readonly strides: number | [number, number];
  readonly pad: Pad;
  readonly dataFormat: "NHWC" | "NCHW";
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
  readonly filterShape: [number, number, number, number];
}

/**
 * Gradient of conv2d with respect to its filter `[kh, kw, in, out]`, NHWC:
 * `dW[i, j, c, o] = Σ_{b, p, q} x[b, p·sh + i − top, q·sw + j − left, c] · dy[b, p, q, o]`.
 * 1×1 filters: one matMul. Others: a stride-1 conv2d of the transposed input `[in, H, W, B]`
 * with the transposed output gradient `[oh, ow, B, out]` as filter, dilated by the strides.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const nchw = attrs.dataFormat === "NCHW";
    const xs = nchw ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const info = tf.backend_util.computeConv2DInfo(xs.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, "channelsLast");
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inChannels: ci, outChannels: co, padInfo } = info;
    const [, h, w] = xs.shape;
    const [, oh, ow] = dys.shape;
    if (kh === 1 && kw === 1 && padInfo.top === 0 && padInfo.left === 0) {
      const sampled = tf.stridedSlice(xs, [0, 0, 0, 0], [xs.shape[0], (oh - 1) * sh + 1, (ow - 1) * sw + 1, ci], [1, sh, sw, 1]);
      const grad = tf.matMul(tf.reshape(sampled, [-1, ci]), tf.reshape(dys, [-1, co]), true, false);
      return tf.reshape(grad, [1, 1, ci, co]);
    }
    let input: tf.Tensor4D = tf.transpose(xs, [3, 1, 2, 0]);
    const needH = kh - 1 + (oh - 1) * sh + 1;
    const needW = kw - 1 + (ow - 1) * sw + 1;
    input = padOrCrop(input, 1, padInfo.top, needH - h - padInfo.top);
    input = padOrCrop(input, 2, padInfo.left, needW - w - padInfo.left);
    const filter = tf.transpose(dys, [1, 2, 0, 3]);
    const out = tf.conv2d(input, filter, 1, "valid", "NHWC", [sh, sw]);
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/** Kernel config for backends that lack `Conv2DBackpropFilter` (wasm). */
export function conv2dBackpropFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      return tf.tidy(() => conv2dBackpropFilter(asTensor(x), asTensor(dy), attrs as unknown as Conv2DBackpropFilterAttrs));
    },
  };
}
