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
 * Kernel = stride and nothing padded in front (patch embeddings): one matMul over the patches. Otherwise one
 * matMul per filter tap, `xᵢⱼᵀ · dy` with `xᵢⱼ` the strided window of the padded input (taken
 * from one channels-first copy, so no per-tap transpose): the
 * same FLOPs as the forward, no im2col buffer (a dilated-conv formulation would make XNNPACK
 * build an indirection buffer of output pixels × (oh·ow) taps, hundreds of MB for UPerNet sizes).
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const nchw = attrs.dataFormat === "NCHW";
    const xs = nchw ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const info = tf.backend_util.computeConv2DInfo(xs.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, "channelsLast");
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inChannels: ci, outChannels: co, padInfo } = info;
    const [b, h, w] = xs.shape;
    const [, oh, ow] = dys.shape;
    const g = tf.reshape(dys, [-1, co]);
    if (kh === sh && kw === sw && padInfo.top === 0 && padInfo.left === 0) {
      const cropped = padOrCrop(padOrCrop(xs, 1, 0, oh * kh - h), 2, 0, ow * kw - w); // `same` may pad at the end
      const patches = tf.transpose(tf.reshape(cropped, [b, oh, kh, ow, kw, ci]), [0, 1, 3, 2, 4, 5]);
      return tf.reshape(tf.matMul(tf.reshape(patches, [-1, kh * kw * ci]), g, true, false), [kh, kw, ci, co]);
    }
    const needH = kh - 1 + (oh - 1) * sh + 1;
    const needW = kw - 1 + (ow - 1) * sw + 1;
    const padded = padOrCrop(padOrCrop(xs, 1, padInfo.top, needH - h - padInfo.top), 2, padInfo.left, needW - w - padInfo.left);
    const channelsFirst = tf.transpose(padded, [3, 0, 1, 2]); // once, so that each tap is a plain matMul
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        taps.push(
          tf.tidy(() => {
            const window = tf.stridedSlice(channelsFirst, [0, 0, i, j], [ci, b, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1], [1, 1, sh, sw]);
            return tf.matMul(tf.reshape(window, [ci, -1]), g) as tf.Tensor2D;
          }),
        );
      }
    }
    return tf.reshape(tf.stack(taps), [kh, kw, ci, co]);
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
