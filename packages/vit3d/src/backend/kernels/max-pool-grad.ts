import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./kernel-util.js";

export interface MaxPoolGradAttrs {
  readonly filterSize: number | [number, number];
  readonly strides: number | [number, number];
  readonly pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * Gradient of `tf.maxPool` (NHWC): each output gradient goes to the first maximum of its window
 * (row-major scan, as TensorFlow.js's cpu kernel). TensorFlow.js 4.22's wasm kernel drops some of
 * them when there is more than one channel.
 */
export function maxPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, attrs: MaxPoolGradAttrs): tf.Tensor4D {
  const info = tf.backend_util.computePool2DInfo(input.shape, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: depth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const x = input.dataSync();
  const g = dy.dataSync();
  const dx = new Float64Array(x.length);
  let k = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let d = 0; d < depth; d++) {
          let best = -Infinity;
          let at = -1;
          for (let fy = 0; fy < filterHeight; fy++) {
            const iy = oy * strideHeight - top + fy * dilationHeight;
            if (iy < 0 || iy >= inHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const ix = ox * strideWidth - left + fx * dilationWidth;
              if (ix < 0 || ix >= inWidth) continue;
              const i = ((b * inHeight + iy) * inWidth + ix) * depth + d;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
              }
            }
          }
          const v = g[k++]!;
          if (at >= 0) dx[at]! += v;
        }
      }
    }
  }
  return tf.tensor4d(Float32Array.from(dx), input.shape);
}

/** Replacement `MaxPoolGrad` for wasm. */
export function maxPoolGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      return tf.tidy(() => maxPoolGrad(asTensor(dy), asTensor(input), attrs as unknown as MaxPoolGradAttrs));
    },
  };
}
