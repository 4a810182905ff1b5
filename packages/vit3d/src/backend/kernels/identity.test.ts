import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { kernelFixes } from "../register-wasm-kernels.js";
import { seededNormal } from "../testing/index.js";
import { identityKernel } from "./identity.js";

interface RefCounts {
  refCount(dataId: tf.DataId): number;
}
const refCount = (t: tf.Tensor): number => (tf.backend() as unknown as RefCounts).refCount(t.dataId);
const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

beforeAll(async () => {
  expect((await initBackend("cpu")).name).toBe("cpu");
  expect((await initBackend("wasm", { log: () => undefined })).name).toBe("wasm");
});

describe("Identity on wasm: a reference-counted alias", () => {
  beforeAll(() => tf.setBackend("wasm"));

  it("is the registered wasm kernel", () => {
    const config = kernelFixes.wasm.find((k) => k.kernelName === "Identity");
    expect(config).toBeDefined();
    expect(tf.getKernel("Identity", "wasm")?.kernelFunc).toBe(config!.kernelFunc);
  });

  it("shares the data (no copy), keeps it until the last user is disposed, and frees it then", () => {
    const before = tf.memory();
    const x = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(y.shape).toEqual([2, 3]);
    expect(refCount(x)).toBe(2);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1); // one buffer, two tensors (the engine's numBytes counts per tensor)
    x.dispose();
    expect(refCount(y)).toBe(1);
    expect(values(y)).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  it("int32 and bool tensors alias too", () => {
    tf.tidy(() => {
      for (const x of [tf.tensor([3, -1, 7], [3], "int32"), tf.tensor([1, 0, 1], [3], "bool")]) {
        const y = tf.clone(x);
        expect(y.dtype).toBe(x.dtype);
        expect(values(y)).toEqual(values(x));
      }
    });
  });

  it("an alias stays intact when a variable it was taken from is assigned (assign swaps data, it does not write in place)", () => {
    const before = tf.memory();
    const initial = tf.tensor([1, 2, 3]);
    const v = tf.variable(initial);
    const saved = tf.clone(v);
    const next = tf.tensor([7, 8, 9]);
    v.assign(next);
    expect(values(saved)).toEqual([1, 2, 3]);
    expect(values(v)).toEqual([7, 8, 9]);
    tf.dispose([initial, saved, next, v]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  it("gradients through ops that save their inputs and outputs are unchanged (vs cpu), and leave no tensors behind", async () => {
    const shape = [2, 5, 6];
    const data = seededNormal(60, 11);
    const f = (x: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.exp(tf.tanh(x)), tf.square(tf.relu(x))));
    const run = (): number[] => {
      const before = tf.memory();
      const g = tf.tidy(() => values(tf.grad(f)(tf.tensor(data, shape))));
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
      return g;
    };
    const got = run();
    await tf.setBackend("cpu");
    const want = run();
    await tf.setBackend("wasm");
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i]!)));
  });

  it("rejects a backend without reference counting, naming it", () => {
    const kernel = identityKernel("test");
    const x = tf.tensor([1]);
    expect(() => kernel.kernelFunc({ inputs: { x }, attrs: {}, backend: {} as tf.KernelBackend })).toThrow(/backend "test" has no incRef/);
    x.dispose();
  });
});
