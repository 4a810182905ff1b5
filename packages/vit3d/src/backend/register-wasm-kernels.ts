import * as tf from "@tensorflow/tfjs";
import { avgPoolGradKernel } from "./kernels/avg-pool-grad.js";
import { conv2dBackpropFilterKernel } from "./kernels/conv2d-backprop-filter.js";
import { conv3dBackpropFilterKernel, conv3dBackpropInputKernel } from "./kernels/conv3d-backprop.js";
import { maxPoolGradKernel } from "./kernels/max-pool-grad.js";
import { resizeBilinearGradKernel } from "./kernels/resize-bilinear-grad.js";
import { unsortedSegmentSumKernel } from "./kernels/unsorted-segment-sum.js";

/**
 * Kernels this package adds to or replaces in TensorFlow.js 4.22, per backend.
 * wasm:
 * - `Conv2DBackpropFilter`: missing (conv2d's and conv2dTranspose's filter gradient);
 * - `UnsortedSegmentSum`: missing (gather's gradient, e.g. relative position bias tables);
 * - `Conv3DBackpropInputV2`: wrong results (conv3d's input gradient);
 * - `Conv3DBackpropFilterV2`: wrong for strides > 1 (conv3d's filter gradient);
 * - `MaxPoolGrad`: drops gradients when there is more than one channel;
 * - `ResizeBilinearGrad`: ignores `halfPixelCenters` (PyTorch's `align_corners=False`);
 * - `AvgPoolGrad`: divides by the full window at padded borders, where the forward divides by
 *   the pixels inside the image (`same` padding).
 * cpu:
 * - `ResizeBilinearGrad`: ignores `halfPixelCenters` and returns height and width swapped;
 * - `AvgPoolGrad`: as on wasm.
 * Not added (the models never use them): `DepthwiseConv2dNativeBackpropInput/Filter`, `Einsum`.
 */
export const kernelFixes = {
  wasm: [
    conv2dBackpropFilterKernel("wasm"),
    unsortedSegmentSumKernel("wasm"),
    conv3dBackpropInputKernel("wasm"),
    conv3dBackpropFilterKernel("wasm"),
    maxPoolGradKernel("wasm"),
    resizeBilinearGradKernel("wasm"),
    avgPoolGradKernel("wasm"),
  ],
  cpu: [resizeBilinearGradKernel("cpu"), avgPoolGradKernel("cpu")],
} as const satisfies Record<string, readonly tf.KernelConfig[]>;

export type FixedBackend = keyof typeof kernelFixes;

/**
 * The one place with side effects on TensorFlow.js's global kernel registry: registers
 * `kernelFixes[backend]`, replacing TensorFlow.js's own kernels where present. Called by
 * `initBackend` for wasm and cpu (never on import); idempotent. Returns the names of the
 * kernels it (re)registered by this call.
 */
export function registerKernelFixes(backend: FixedBackend): string[] {
  const changed: string[] = [];
  for (const config of kernelFixes[backend]) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
    changed.push(config.kernelName);
  }
  return changed;
}
