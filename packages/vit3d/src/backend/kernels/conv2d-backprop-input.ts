import * as tf from "@tensorflow/tfjs";
import { flipFilterSwapChannels } from "./flip-filter.js";
import { asTensor, dilate, padOrCrop } from "./kernel-util.js";

export interface Conv2DBackpropInputAttrs {
  readonly strides: number | [number, number];
  readonly pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat: "NHWC" | "NCHW";
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
  readonly inputShape: [number, number, number, number];
}

/**
 * Gradient of conv2d with respect to its input (also conv2dTranspose's forward), NHWC: the output
 * gradient with `stride − 1` zeros between neighbours (none at stride 1), padded by
 * `k − 1 − padBefore` in front (and what makes the size right behind; passed to the conv as
 * explicit padding, not copied), convolved at stride 1 with the spatially flipped filter whose
 * in/out channels are swapped (`flipFilterSwapChannels`) — a forward conv2d, which XNNPACK runs
 * ~10× faster than wasm's own `Conv2DBackpropInput` (4.22). Reads the filter on the host.
 */
export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DBackpropInputAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const nchw = attrs.dataFormat === "NCHW";
    const shape = nchw ? ([attrs.inputShape[0], attrs.inputShape[2], attrs.inputShape[3], attrs.inputShape[1]] as const) : attrs.inputShape;
    const dys = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const info = tf.backend_util.computeConv2DInfo([...shape], filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, "channelsLast");
    const strides = [info.strideHeight, info.strideWidth];
    const kernel = [info.filterHeight, info.filterWidth];
    const before = [info.padInfo.top, info.padInfo.left];
    const padding: Array<[number, number]> = [[0, 0]];
    let g: tf.Tensor4D = dys;
    for (let a = 0; a < 2; a++) {
      g = dilate(g, a + 1, strides[a]!);
      const padBefore = kernel[a]! - 1 - before[a]!;
      const padAfter = shape[a + 1]! + kernel[a]! - 1 - g.shape[a + 1]! - padBefore;
      g = padOrCrop(g, a + 1, Math.min(0, padBefore), Math.min(0, padAfter)); // crops only (explicit padding > kernel − 1)
      padding.push([Math.max(0, padBefore), Math.max(0, padAfter)]);
    }
    padding.push([0, 0]);
    const dx = tf.conv2d(g, flipFilterSwapChannels(filter), 1, padding as tf.backend_util.ExplicitPadding);
    return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}

/** Replacement `Conv2DBackpropInput` for wasm (its own is correct but ~10× slower than the forward conv). */
export function conv2dBackpropInputKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      return tf.tidy(() => conv2dBackpropInput(asTensor(dy), asTensor(filter), attrs as unknown as Conv2DBackpropInputAttrs));
    },
  };
}
