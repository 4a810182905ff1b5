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
 * Kernel = stride and nothing padded in front (patch embeddings): one matMul over the patches.
 * Otherwise one matMul per filter tap — the same FLOPs as the forward, no im2col buffer (a
 * dilated-conv formulation would make XNNPACK build an indirection buffer of output pixels ×
 * (oh·ow) taps, hundreds of MB for UPerNet sizes):
 * - stride 1: `xᵀ · dyᵢⱼ` with `x` transposed once to `[in, B·H·W]` and `dyᵢⱼ` the output
 *   gradient shifted by the tap (`dy[b, u − i + top, v − j + left]`, zero outside): a plain
 *   slice of the zero-padded `dy`, which has the fewer channels in the models (UPerNet's
 *   bottleneck: 1536 in, 384 out);
 * - strides > 1: `xᵢⱼᵀ · dy` with `xᵢⱼ` the strided window of the padded input, taken from one
 *   channels-first copy.
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
    if (kh === sh && kw === sw && padInfo.top === 0 && padInfo.left === 0) {
      const cropped = padOrCrop(padOrCrop(xs, 1, 0, oh * kh - h), 2, 0, ow * kw - w); // `same` may pad at the end
      const patches = tf.transpose(tf.reshape(cropped, [b, oh, kh, ow, kw, ci]), [0, 1, 3, 2, 4, 5]);
      return tf.reshape(tf.matMul(tf.reshape(patches, [-1, kh * kw * ci]), tf.reshape(dys, [-1, co]), true, false), [kh, kw, ci, co]);
    }
    const taps = sh === 1 && sw === 1 ? shiftedOutputGradientTaps(xs, dys, kh, kw, padInfo) : stridedInputTaps(xs, dys, info);
    return tf.reshape(tf.stack(taps), [kh, kw, ci, co]);
  });
}

/** Stride 1: `dW[i, j] = xᵀ · dy[· − i + top, · − j + left]` (rows: the B·H·W input pixels). */
function shiftedOutputGradientTaps(xs: tf.Tensor4D, dys: tf.Tensor4D, kh: number, kw: number, padInfo: tf.backend_util.PadInfo): tf.Tensor2D[] {
  const [b, h, w, ci] = xs.shape;
  const [, oh, ow, co] = dys.shape;
  const { top, left } = padInfo;
  const xt = tf.transpose(tf.reshape(xs, [-1, ci])); // [in, B·H·W], once
  // Tap (i, j) reads dy rows top − i … top − i + h − 1: pad (or crop) dy so that all taps stay inside.
  const shifted = padOrCrop(padOrCrop(dys, 1, kh - 1 - top, top + h - oh), 2, kw - 1 - left, left + w - ow);
  const taps: tf.Tensor2D[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      taps.push(tf.tidy(() => tf.matMul(xt, tf.reshape(tf.slice(shifted, [0, kh - 1 - i, kw - 1 - j, 0], [b, h, w, co]), [-1, co]))));
    }
  }
  return taps;
}

/** Strides > 1: `dW[i, j] = xᵢⱼᵀ · dy` with `xᵢⱼ` the strided window of the padded input. */
function stridedInputTaps(xs: tf.Tensor4D, dys: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor2D[] {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inChannels: ci, outChannels: co, padInfo } = info;
  const [b, h, w] = xs.shape;
  const [, oh, ow] = dys.shape;
  const g = tf.reshape(dys, [-1, co]);
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
  return taps;
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
