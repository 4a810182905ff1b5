import * as tf from "@tensorflow/tfjs";
import { relativeMaxError } from "@transseg/model/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { batchNorm, batchNormRelu, type BatchNormParams } from "../../../ops/norm.js";
import { initBackend } from "../../init-backend.js";
import { seededNormal } from "../../testing/index.js";
import { BATCH_NORM_RELU, backendHasKernel, fusedKernels } from "./index.js";

/** Stated tolerance: max |fused − composed| ≤ 1e-5 · max |composed| (output and every gradient). */
const TOLERANCE = 1e-5;
/** Reported statistics: max |fused − composed| ≤ 1e-6 · max |composed| (float32 sums in another order). */
const STATS_TOLERANCE = 1e-6;

beforeAll(async () => {
  expect((await initBackend("cpu")).name).toBe("cpu");
  expect((await initBackend("wasm", { log: () => undefined })).name).toBe("wasm");
});

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const rand = (shape: readonly number[], seed: number, scale = 1, shift = 0): tf.Tensor => tf.tensor(seededNormal(size(shape), seed).map((v) => v * scale + shift), [...shape]);

function params(c: number, seed: number): BatchNormParams {
  return {
    weight: rand([c], seed, 0.5, 1),
    bias: rand([c], seed + 1, 0.5),
    runningMean: rand([c], seed + 2),
    runningVar: tf.tensor1d(seededNormal(c, seed + 3).map((v) => 0.5 + Math.abs(v))),
  };
}

type Report = (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;
type BnRelu = (x: tf.Tensor4D, p: BatchNormParams, training: boolean, report?: Report) => tf.Tensor4D;

/** The unfused composition the fused op replaces (what `convModule` ran before). */
const composed: BnRelu = (x, p, training, report) => tf.relu(batchNorm(x, p, training, report));
const fused: BnRelu = (x, p, training, report) => batchNormRelu(x, p, training, report);

/** Output and the gradients of x, weight and bias for a seeded output gradient; the reports made on the way. */
function run(f: BnRelu, x: tf.Tensor4D, p: BatchNormParams, training: boolean): { values: Float32Array[]; reports: Array<{ mean: Float32Array; variance: Float32Array; count: number }> } {
  const reports: Array<{ mean: Float32Array; variance: Float32Array; count: number }> = [];
  const report: Report = (mean, variance, count) => reports.push({ mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array, count });
  const values = tf.tidy(() => {
    const dy = rand(x.shape, 77) as tf.Tensor4D;
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, { ...p, weight: w, bias: b }, training, report))([x, p.weight, p.bias], dy);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
  return { values, reports };
}

function expectSame(x: tf.Tensor4D, p: BatchNormParams, training: boolean): void {
  const before = tf.memory().numTensors;
  const got = run(fused, x, p, training);
  const want = run(composed, x, p, training);
  expect(tf.memory().numTensors).toBe(before);
  got.values.forEach((g, i) => expect(relativeMaxError(g, want.values[i]!), ["y", "dx", "dgamma", "dbeta"][i]).toBeLessThanOrEqual(TOLERANCE));
  expect(got.reports.map((r) => r.count)).toEqual(want.reports.map((r) => r.count));
  expect(got.reports).toHaveLength(training ? 1 : 0);
  got.reports.forEach((r, i) => {
    expect(relativeMaxError(r.mean, want.reports[i]!.mean), "mean").toBeLessThanOrEqual(STATS_TOLERANCE);
    expect(relativeMaxError(r.variance, want.reports[i]!.variance), "variance").toBeLessThanOrEqual(STATS_TOLERANCE);
  });
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`batchNormRelu on ${backend}: the fused kernel equals relu(batchNorm(…)) (output, dx, dgamma, dbeta, reported statistics)`, () => {
    beforeAll(() => initBackend(backend, { log: () => undefined }));

    it("has the kernel registered", () => expect(backendHasKernel(BATCH_NORM_RELU)).toBe(true));

    // Odd H/W, 1×1 maps, batch 1 and 2, channel counts not multiples of 4, UPerNet-like sizes.
    const shapes = [[2, 5, 7, 6], [1, 3, 5, 5], [1, 1, 1, 3], [2, 1, 1, 7], [1, 2, 2, 9], [2, 9, 3, 13], [2, 8, 8, 64], [1, 16, 16, 36]] as const;
    for (const shape of shapes) {
      for (const training of [true, false]) {
        it(`[${shape.join(", ")}], ${training ? "training (batch statistics)" : "eval (running statistics)"}`, () => {
          const x = rand(shape, 3, 2, 0.5) as tf.Tensor4D;
          const p = params(shape[3], 10);
          expectSame(x, p, training);
          tf.dispose([x, ...Object.values(p)]);
        });
      }
    }

    it("ReLU at exactly zero: pre-activations that are exactly 0 pass no gradient, as tf.relu's", () => {
      // Channel 0 constant (x̂ = 0) with beta 0; channel 1 gamma 0, beta 0; channel 2 gamma 0, beta 0.5
      // (all pass); channels 3, 4 random. Batch 1, 1×1: every pre-activation is beta.
      const [n, h, w, c] = [2, 3, 5, 5];
      const values = seededNormal(n * h * w * c, 5).map((v, i) => (i % c === 0 ? 1.5 : v));
      const x = tf.tensor4d(values, [n, h, w, c]);
      const p = { ...params(c, 20), weight: tf.tensor1d([1.3, 0, 0, 0.7, -1.1]), bias: tf.tensor1d([0, 0, 0.5, 0.1, 0]) };
      const one = tf.tensor4d([0.3, -2, 1, 4, 0.25], [1, 1, 1, c]);
      for (const training of [true, false]) {
        const bn = training ? p : { ...p, runningMean: tf.tensor1d([1.5, 0, 0, 0, 0]), runningVar: tf.ones([c]) };
        expectSame(x, bn, training);
        expectSame(one, bn, training);
        const [y, dx, dgamma, dbeta] = run(fused, x, bn, training).values;
        for (let i = 0; i < x.size; i += c) {
          for (const j of [0, 1]) expect([y![i + j], dx![i + j]]).toEqual([0, 0]);
        }
        expect([dgamma![0], dbeta![0], dgamma![1], dbeta![1]]).toEqual([0, 0, 0, 0]);
        if (!training) tf.dispose([bn.runningMean, bn.runningVar]);
      }
      tf.dispose([x, one, ...Object.values(p)]);
    });

    it("eval: the gradients of the running mean and variance equal tf.batchNorm's", () => {
      const x = rand([2, 3, 5, 7], 31, 2) as tf.Tensor4D;
      const p = params(7, 40);
      const grads = (f: BnRelu): Float32Array[] =>
        tf.tidy(() =>
          tf
            .grads((a: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, { ...p, runningMean: m, runningVar: v }, false), rand(x.shape, 9))))([x, p.runningMean, p.runningVar])
            .map((t) => t.dataSync() as Float32Array),
        );
      const [got, want] = [grads(fused), grads(composed)];
      got.forEach((g, i) => expect(relativeMaxError(g, want[i]!), ["dx", "dmean", "dvariance"][i]).toBeLessThanOrEqual(TOLERANCE));
      tf.dispose([x, ...Object.values(p)]);
    });
  });
}

describe("batchNormRelu: errors and fallback", () => {
  beforeAll(() => initBackend("cpu"));

  it("rejects mismatched parameter shapes in one line naming the kernel", () => {
    const p = params(3, 1);
    expect(() => batchNormRelu(tf.zeros([1, 2, 2, 4]) as tf.Tensor4D, p, true)).toThrow("TranssegBatchNormRelu: gamma has shape [3], expected [4]");
    tf.dispose(Object.values(p));
  });

  it("falls back to relu(batchNorm(…)) where the backend lacks the kernel (e.g. tfjs-node), reports included", () => {
    const x = rand([2, 3, 3, 5], 8) as tf.Tensor4D;
    const p = params(5, 12);
    for (const config of fusedKernels("cpu")) tf.unregisterKernel(config.kernelName, "cpu");
    try {
      expect(backendHasKernel(BATCH_NORM_RELU)).toBe(false);
      for (const training of [true, false]) {
        const [got, want] = [run(fused, x, p, training), run(composed, x, p, training)];
        expect(got.values.map((v) => Array.from(v))).toEqual(want.values.map((v) => Array.from(v)));
        expect(got.reports).toEqual(want.reports);
      }
    } finally {
      for (const config of fusedKernels("cpu")) tf.registerKernel(config);
    }
    tf.dispose([x, ...Object.values(p)]);
  });
});
