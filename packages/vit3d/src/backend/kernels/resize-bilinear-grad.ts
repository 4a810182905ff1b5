import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./kernel-util.js";

export interface ResizeBilinearGradAttrs {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

/** Source coordinate of output index `i` as TensorFlow.js's forward ResizeBilinear computes it. */
function taps(i: number, ratio: number, inSize: number, halfPixel: boolean): [number, number, number] {
  const src = halfPixel ? ratio * (i + 0.5) - 0.5 : ratio * i;
  const lo = Math.max(0, Math.floor(src));
  const hi = Math.min(inSize - 1, Math.ceil(src));
  return [lo, hi, src - lo];
}

/**
 * Gradient of `tf.image.resizeBilinear` with respect to the images (NHWC): the exact adjoint of
 * the forward kernel, `alignCorners` and `halfPixelCenters` (PyTorch's `align_corners=False`)
 * included. TensorFlow.js 4.22's own kernels ignore `halfPixelCenters` (cpu and wasm) and the
 * cpu one also swaps height and width of its result.
 */
export function resizeBilinearGrad(images: tf.Tensor4D, dy: tf.Tensor4D, attrs: ResizeBilinearGradAttrs): tf.Tensor4D {
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const corners = (inSize: number, outSize: number): number => (attrs.alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize);
  const rowRatio = corners(inH, outH);
  const colRatio = corners(inW, outW);
  const cols = Array.from({ length: outW }, (_, c) => taps(c, colRatio, inW, attrs.halfPixelCenters));
  const g = dy.dataSync();
  const dx = new Float64Array(batch * inH * inW * depth);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outH; r++) {
      const [top, bottom, fr] = taps(r, rowRatio, inH, attrs.halfPixelCenters);
      const topRow = (b * inH + top) * inW;
      const bottomRow = (b * inH + bottom) * inW;
      for (let c = 0; c < outW; c++) {
        const [left, right, fc] = cols[c]!;
        const tl = (topRow + left) * depth;
        const tr = (topRow + right) * depth;
        const bl = (bottomRow + left) * depth;
        const br = (bottomRow + right) * depth;
        const wTl = (1 - fr) * (1 - fc);
        const wTr = (1 - fr) * fc;
        const wBl = fr * (1 - fc);
        const wBr = fr * fc;
        for (let d = 0; d < depth; d++) {
          const v = g[k++]!;
          dx[tl + d]! += v * wTl;
          dx[tr + d]! += v * wTr;
          dx[bl + d]! += v * wBl;
          dx[br + d]! += v * wBr;
        }
      }
    }
  }
  return tf.tensor4d(Float32Array.from(dx), [batch, inH, inW, depth]);
}

/** Replacement `ResizeBilinearGrad` (cpu and wasm: `halfPixelCenters` ignored; cpu: transposed shape). */
export function resizeBilinearGradKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.ResizeBilinearGrad,
    backendName,
    kernelFunc: ({ inputs, attrs }) => {
      const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
      return tf.tidy(() => resizeBilinearGrad(asTensor(images), asTensor(dy), attrs as unknown as ResizeBilinearGradAttrs));
    },
  };
}
