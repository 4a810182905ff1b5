import * as tf from "@tensorflow/tfjs";
import { avgPoolGradKernel } from "./kernels/avg-pool-grad.js";
import { conv2dBackpropFilterKernel } from "./kernels/conv2d-backprop-filter.js";
import { conv2dBackpropInputKernel } from "./kernels/conv2d-backprop-input.js";
import { conv3dBackpropFilterKernel, conv3dBackpropInputKernel } from "./kernels/conv3d-backprop.js";
import { flipFilterKernel } from "./kernels/flip-filter.js";
import { fusedKernels, registerFusedGradients } from "./kernels/fused/index.js";
import { identityKernel } from "./kernels/identity.js";
import { transposeFirstMatMulKernel } from "./kernels/matmul-transposes.js";
import { maxPoolGradKernel } from "./kernels/max-pool-grad.js";
import { resizeBilinearGradKernel } from "./kernels/resize-bilinear-grad.js";
import { sliceKernel, splitVKernel, unpackKernel } from "./kernels/slice.js";
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
 * - `BatchMatMul`, `_FusedMatMul`: 13–65× slower with a transposed operand (every matMul
 *   gradient has one) than transposing first: wrapped to transpose first;
 * - `Conv2DBackpropInput`: ~10× slower than the forward conv: replaced by a forward conv2d;
 * - `Identity`: copies its input; the engine calls it for every tensor kept for a backward pass
 *   (~1100 per UPerNet training step): replaced by a reference-counted alias;
 * - `Slice`, `Unpack`, `SplitV`: copy the whole input out of the heap before taking each piece
 *   (an unstack or split of n pieces costs n copies of its input): replaced by heap-view copies.
 * cpu:
 * - `ResizeBilinearGrad`: ignores `halfPixelCenters` and returns height and width swapped;
 * - `AvgPoolGrad`: as on wasm;
 * - `Conv2DBackpropFilter`: correct but a scalar loop (~10 MFLOP/s: 7.4 s of a tiny UPerNet
 *   step's 10.2 s): the wasm kernel's per-tap matMuls instead (1.2 s a step). The original stays
 *   the tests' reference (`withOriginalKernel`).
 * The cpu backend keeps its own `Conv2DBackpropInput` and `Identity` (already an alias): with
 * its original `Conv2DBackpropFilter` they are the reference the wasm kernels are tested against.
 * Added on both (`kernels/fused`): `TranssegLayerNorm`, `TranssegBiasGelu`, `TranssegAttention`
 * (and `…NoBias`), each with its backward as one kernel (`…Grad`) and a registered gradient —
 * fewer, bigger kernels on the encoder's hot path (see `ops/norm.ts`, `encoder/attention.ts`);
 * `TranssegFlipFilterSwapChannels`: the conv input gradient's filter flip over the backend's memory.
 * Not added (the models never use them): `DepthwiseConv2dNativeBackpropInput/Filter`, `Einsum`.
 */
/** Kernels replaced by `registerKernelFixes`, by `backend/kernelName`, for wrappers that call them. */
const replacedKernels = new Map<string, tf.KernelConfig>();

function replaced(kernelName: string, backendName: string): tf.KernelConfig {
  const config = replacedKernels.get(`${backendName}/${kernelName}`);
  if (config === undefined) throw new Error(`no ${kernelName} kernel of backend "${backendName}" to wrap (is @tensorflow/tfjs-backend-${backendName} loaded?)`);
  return config;
}

export const kernelFixes = {
  wasm: [
    conv2dBackpropFilterKernel("wasm"),
    unsortedSegmentSumKernel("wasm"),
    conv3dBackpropInputKernel("wasm"),
    conv3dBackpropFilterKernel("wasm"),
    maxPoolGradKernel("wasm"),
    resizeBilinearGradKernel("wasm"),
    avgPoolGradKernel("wasm"),
    transposeFirstMatMulKernel("BatchMatMul", "wasm", replaced),
    transposeFirstMatMulKernel("_FusedMatMul", "wasm", replaced),
    conv2dBackpropInputKernel("wasm"),
    identityKernel("wasm"),
    sliceKernel("wasm"),
    unpackKernel("wasm"),
    splitVKernel("wasm"),
    ...fusedKernels("wasm"),
    flipFilterKernel("wasm"),
  ],
  cpu: [resizeBilinearGradKernel("cpu"), avgPoolGradKernel("cpu"), conv2dBackpropFilterKernel("cpu"), ...fusedKernels("cpu"), flipFilterKernel("cpu")],
} as const satisfies Record<string, readonly tf.KernelConfig[]>;

export type FixedBackend = keyof typeof kernelFixes;

/**
 * TensorFlow.js's own kernel that `registerKernelFixes` replaced (e.g. cpu's
 * `Conv2DBackpropFilter`, the independent reference the replacements are tested against).
 */
export function originalKernel(kernelName: string, backendName: string): tf.KernelConfig {
  return replaced(kernelName, backendName);
}

/**
 * Runs `f` with TensorFlow.js's own `kernelName` registered on `backendName` instead of the
 * fix, then restores the fix (also when `f` throws or rejects). For tests that need the
 * original kernel as a reference.
 */
export async function withOriginalKernel<T>(kernelName: string, backendName: string, f: () => T | Promise<T>): Promise<T> {
  const fix = tf.getKernel(kernelName, backendName);
  const original = originalKernel(kernelName, backendName);
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(original);
  try {
    return await f();
  } finally {
    tf.unregisterKernel(kernelName, backendName);
    if (fix) tf.registerKernel(fix);
  }
}

/**
 * The one place with side effects on TensorFlow.js's global kernel registry: registers
 * `kernelFixes[backend]`, replacing TensorFlow.js's own kernels where present. Called by
 * `initBackend` for wasm and cpu (never on import); idempotent. Returns the names of the
 * kernels it (re)registered by this call.
 */
export function registerKernelFixes(backend: FixedBackend): string[] {
  registerFusedGradients();
  const changed: string[] = [];
  for (const config of kernelFixes[backend]) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      replacedKernels.set(`${config.backendName}/${config.kernelName}`, current);
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    tf.registerKernel(config);
    changed.push(config.kernelName);
  }
  return changed;
}
