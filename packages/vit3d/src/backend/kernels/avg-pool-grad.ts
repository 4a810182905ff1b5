import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./kernel-util.js";

export interface AvgPoolGradAttrs {
  readonly filterSize: number | [number, number];
  readonly strides: number | [number, number];
  readonly pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * Gradient of `tf.avgPool` (NHWC): the forward averages over the window's pixels inside the
 * image (padding not counted), so each output gradient is shared equally among exactly those.
 * TensorFlow.js 4.22's kernels (cpu and wasm) divide by the full window size instead, which is
 * wrong at padded borders (`same` padding).
 */
export function avgPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, attrs: AvgPoolGradAttrs): tf.Tensor4D {
  const info = tf.backend_util.computePool2DInfo(input.shape, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: depth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const g = dy.dataSync();
  const dx = new Float64Array(input.size);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * strideHeight - top);
      const y1 = Math.min(inHeight, oy * strideHeight - top + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * strideWidth - left);
        const x1 = Math.min(inWidth, ox * strideWidth - left + filterWidth);
        const count = (y1 - y0) * (x1 - x0);
        if (count <= 0) continue;
        const from = ((b * outHeight + oy) * outWidth + ox) * depth;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const to = ((b * inHeight + iy) * inWidth + ix) * depth;
            for (let d = 0; d < depth; d++) dx[to + d]! += g[from + d]! / count;
          }
        }
      }
    }
  }
  return tf.tensor4d(Float32Array.from(dx), input.shape);
}

/** Replacement `AvgPoolGrad` (cpu and wasm: wrong divisor at padded borders). */
export function avgPoolGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.AvgPoolGrad,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      return tf.tidy(() => avgPoolGrad(asTensor(dy), asTensor(input), attrs as unknown as AvgPoolGradAttrs));
    },
  };
}
