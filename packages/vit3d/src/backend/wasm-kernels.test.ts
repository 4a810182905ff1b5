import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./init-backend.js";
import { conv2dBackpropFilter } from "./kernels/conv2d-backprop-filter.js";
import { conv3dBackpropFilter, conv3dBackpropInput } from "./kernels/conv3d-backprop.js";
import { kernelFixes, registerKernelFixes, withOriginalKernel } from "./register-wasm-kernels.js";
import { compareBackends, convSpecs, opSpecs, seededNormal, upernetStepSpec, type KernelSpec } from "./testing/index.js";

/** Stated tolerance: max |wasm − cpu| ≤ 1e-4 · max(1, max |cpu|), for outputs and every gradient. */
const TOLERANCE = 1e-4;

beforeAll(async () => {
  expect((await initBackend("cpu")).name).toBe("cpu");
  expect((await initBackend("wasm", { log: () => undefined })).name).toBe("wasm");
});

/** The reference is the cpu backend with TensorFlow.js's own Conv2DBackpropFilter (cpu's registered fix is the wasm kernel's algorithm). */
async function expectSameOnWasmAndCpu(specs: readonly KernelSpec[]): Promise<void> {
  const mismatches = await withOriginalKernel("Conv2DBackpropFilter", "cpu", () => compareBackends(specs, { reference: "cpu", candidate: "wasm", tolerance: TOLERANCE }));
  expect(mismatches).toEqual([]);
}

describe("registerKernelFixes", () => {
  it("initBackend registered every fix, replacing TensorFlow.js's kernels; calling again changes nothing", () => {
    for (const backend of ["wasm", "cpu"] as const) {
      for (const config of kernelFixes[backend]) expect(tf.getKernel(config.kernelName, backend)?.kernelFunc).toBe(config.kernelFunc);
      expect(registerKernelFixes(backend)).toEqual([]);
    }
    expect(kernelFixes.wasm.map((k) => k.kernelName).sort()).toEqual(["AvgPoolGrad", "BatchMatMul", "Conv2DBackpropFilter", "Conv2DBackpropInput", "Conv3DBackpropFilterV2", "Conv3DBackpropInputV2", "Identity", "MaxPoolGrad", "ResizeBilinearGrad", "Slice", "SplitV", "TranssegAttention", "TranssegAttentionGrad", "TranssegAttentionNoBias", "TranssegBatchNormRelu", "TranssegBatchNormReluGrad", "TranssegBiasGelu", "TranssegBiasGeluGrad", "TranssegFlipFilterSwapChannels", "TranssegLayerNorm", "TranssegLayerNormGrad", "Unpack", "UnsortedSegmentSum", "_FusedMatMul"]);
    expect(kernelFixes.cpu.map((k) => k.kernelName)).toEqual(["ResizeBilinearGrad", "AvgPoolGrad", "Conv2DBackpropFilter", "TranssegLayerNorm", "TranssegLayerNormGrad", "TranssegBiasGelu", "TranssegBiasGeluGrad", "TranssegAttention", "TranssegAttentionNoBias", "TranssegAttentionGrad", "TranssegBatchNormRelu", "TranssegBatchNormReluGrad", "TranssegFlipFilterSwapChannels"]);
  });

  it("leaves the cpu backend's own kernels alone where it has correct and fast ones", () => {
    expect(tf.getKernel("MaxPoolGrad", "cpu")?.kernelFunc).not.toBe(kernelFixes.wasm[4].kernelFunc);
    expect(tf.getKernel("Conv2DBackpropInput", "cpu")?.kernelFunc).not.toBe(kernelFixes.wasm.find((k) => k.kernelName === "Conv2DBackpropInput")!.kernelFunc);
  });
});

describe("wasm vs cpu: convolutions, forward and both gradients", () => {
  for (const spec of convSpecs) it(spec.name, () => expectSameOnWasmAndCpu([spec]));
});

describe("wasm vs cpu: the other ops of a ViT + UPerNet training step", () => {
  for (const spec of opSpecs) it(spec.name, () => expectSameOnWasmAndCpu([spec]));
  it(upernetStepSpec.name, () => expectSameOnWasmAndCpu([upernetStepSpec]));
});

/** ⟨conv(x, k), dy⟩ = ⟨x, dx⟩ = ⟨k, dk⟩ (conv is bilinear): holds on one backend alone, so it also catches a bug both backends share. */
describe("adjoint identities of the registered conv gradients, on wasm", () => {
  const dot = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]!);
  const rand = (shape: number[], seed: number): tf.Tensor => tf.tensor(seededNormal(shape.reduce((p, q) => p * q, 1), seed), shape);

  const cases2d: Array<[string, number[], number[], number | [number, number], "same" | "valid"]> = [
    ["3x3 s1 same", [2, 6, 7, 3], [3, 3, 3, 2], 1, "same"],
    ["2x2 s2 same", [1, 7, 6, 2], [2, 2, 2, 3], 2, "same"],
    ["4x4 s2 valid", [2, 9, 9, 2], [4, 4, 2, 2], 2, "valid"],
    ["1x1 s2 valid", [1, 5, 5, 3], [1, 1, 3, 2], [2, 2], "valid"],
  ];
  for (const [name, xs, ks, strides, pad] of cases2d) {
    it(`conv2d ${name}`, async () => {
      await tf.setBackend("wasm");
      tf.tidy(() => {
        const x = rand(xs, 1) as tf.Tensor4D;
        const k = rand(ks, 2) as tf.Tensor4D;
        const y = tf.conv2d(x, k, strides, pad);
        const dy = rand(y.shape, 3) as tf.Tensor4D;
        const dk = conv2dBackpropFilter(x, dy, { strides, pad, dataFormat: "NHWC", filterShape: ks as [number, number, number, number] });
        const dx = tf.conv2dTranspose(dy, k, x.shape, strides, pad);
        const ref = dot(y, dy);
        expect(Math.abs(dot(k, dk) - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
        expect(Math.abs(dot(x, dx) - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
      });
    });
  }

  const cases3d: Array<[string, number[], number[], number | [number, number, number], "same" | "valid"]> = [
    ["3x3x3 s2 same", [1, 5, 6, 7, 2], [3, 3, 3, 2, 2], 2, "same"],
    ["2x2x2 s2 valid", [2, 4, 5, 6, 2], [2, 2, 2, 2, 3], 2, "valid"],
    ["5x4x4 patch embedding", [1, 5, 8, 8, 1], [5, 4, 4, 1, 4], [5, 4, 4], "valid"],
  ];
  for (const [name, xs, ks, strides, pad] of cases3d) {
    it(`conv3d ${name}`, async () => {
      await tf.setBackend("wasm");
      tf.tidy(() => {
        const x = rand(xs, 4) as tf.Tensor5D;
        const k = rand(ks, 5) as tf.Tensor5D;
        const y = tf.conv3d(x, k, strides, pad);
        const dy = rand(y.shape, 6) as tf.Tensor5D;
        const dk = conv3dBackpropFilter(x, dy, { strides, pad, filterShape: ks as [number, number, number, number, number] });
        const dx = conv3dBackpropInput(dy, k, { strides, pad, inputShape: xs as [number, number, number, number, number] });
        const ref = dot(y, dy);
        expect(Math.abs(dot(k, dk) - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
        expect(Math.abs(dot(x, dx) - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
      });
    });
  }
});
