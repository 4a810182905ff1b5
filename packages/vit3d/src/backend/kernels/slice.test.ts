import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { kernelFixes } from "../register-wasm-kernels.js";
import { seededNormal } from "../testing/index.js";
import { copyBox, sliceKernel, splitVKernel, unpackKernel } from "./slice.js";

/** Element-by-element reference of `copyBox`. */
function naiveBox(x: Float32Array, shape: readonly number[], begin: readonly number[], size: readonly number[]): Float32Array {
  const out = new Float32Array(size.reduce((a, b) => a * b, 1));
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    let src = 0;
    for (let a = size.length - 1; a >= 0; a--) {
      src += (begin[a]! + (rest % size[a]!)) * strides[a]!;
      rest = Math.floor(rest / size[a]!);
    }
    out[i] = x[src]!;
  }
  return out;
}

describe("copyBox (the heap-view slice copy)", () => {
  const cases: Array<[number[], number[], number[]]> = [
    [[5], [1], [3]],
    [[4, 6], [1, 0], [2, 6]],
    [[4, 6], [0, 2], [4, 3]],
    [[3, 4, 5], [1, 1, 1], [2, 2, 3]],
    [[2, 3, 4, 5], [0, 1, 0, 0], [2, 2, 4, 5]],
    [[2, 3, 4, 5, 6], [1, 0, 2, 1, 3], [1, 3, 2, 4, 2]],
    [[2, 3, 40, 2], [0, 1, 3, 0], [2, 2, 20, 2]],
    [[3, 4], [1, 2], [0, 2]],
  ];
  for (const [shape, begin, size] of cases) {
    it(`shape [${shape.join(",")}] begin [${begin.join(",")}] size [${size.join(",")}]`, () => {
      const x = seededNormal(shape.reduce((a, b) => a * b, 1), 3);
      const out = new Float32Array(size.reduce((a, b) => a * b, 1));
      copyBox(x, shape, begin, size, out);
      expect(out).toEqual(naiveBox(x, shape, begin, size));
    });
  }
});

describe("wasm Slice / Unpack / SplitV read the heap in place and equal cpu", () => {
  beforeAll(async () => {
    await initBackend("wasm", { threads: 1, log: () => undefined });
  });

  it("are registered by initBackend", () => {
    const names = kernelFixes.wasm.map((k) => k.kernelName);
    for (const k of [sliceKernel("wasm"), unpackKernel("wasm"), splitVKernel("wasm")]) expect(names).toContain(k.kernelName);
    expect(tf.getKernel("Slice", "wasm")?.kernelFunc).toBe(kernelFixes.wasm.find((k) => k.kernelName === "Slice")!.kernelFunc);
  });

  /** Runs `f` on wasm and on cpu with the same input; returns both outputs' values. */
  async function onBoth(shape: number[], dtype: "float32" | "int32", f: (x: tf.Tensor) => tf.Tensor | tf.Tensor[]): Promise<[number[][], number[][]]> {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = dtype === "int32" ? Int32Array.from(seededNormal(n, 5), (v) => Math.round(v * 100)) : seededNormal(n, 5);
    const run = (): number[][] =>
      tf.tidy(() => {
        const out = f(tf.tensor(values, shape, dtype));
        return (Array.isArray(out) ? out : [out]).map((t) => [...t.shape, -1, ...t.dataSync()]);
      });
    await tf.setBackend("wasm");
    const wasm = run();
    await tf.setBackend("cpu");
    const cpu = run();
    await tf.setBackend("wasm");
    return [wasm, cpu];
  }

  it("slice: contiguous, strided boxes, rank 1–6, int32", async () => {
    const cases: Array<[number[], number[], number[]]> = [
      [[16, 9], [3, 0], [5, 9]],
      [[2, 7, 6, 5], [1, 2, 1, 0], [1, 4, 3, 5]],
      [[2, 3, 4, 5, 6, 2], [0, 1, 1, 2, 0, 1], [2, 2, 3, 2, 6, 1]],
      [[10], [4], [6]],
    ];
    for (const [shape, begin, size] of cases) {
      for (const dtype of ["float32", "int32"] as const) {
        const [wasm, cpu] = await onBoth(shape, dtype, (x) => tf.slice(x, begin, size));
        expect(wasm).toEqual(cpu);
      }
    }
  });

  it("unstack along each axis, and split with sizes and counts", async () => {
    for (const axis of [0, 1, 2, -1]) {
      const [wasm, cpu] = await onBoth([3, 4, 5], "float32", (x) => tf.unstack(x, axis));
      expect(wasm).toEqual(cpu);
    }
    for (const [splits, axis] of [[[1, 3, 2], 1], [2, 0], [[2, -1], 2]] as const) {
      const [wasm, cpu] = await onBoth([4, 6, 5], "float32", (x) => tf.split(x, splits as number | number[], axis));
      expect(wasm).toEqual(cpu);
    }
  });

  it("outputs stay valid after the heap grows, and no tensor leaks", () => {
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => tf.range(0, 1000, 1, "float32").reshape([10, 100]));
    const parts = tf.unstack(x);
    const big = tf.zeros([64 * 1024 * 1024]); // forces the wasm heap to grow
    expect([...parts[7]!.dataSync().slice(0, 3)]).toEqual([700, 701, 702]);
    const tail = tf.slice(x, [9, 98], [1, 2]);
    expect([...tail.dataSync()]).toEqual([998, 999]);
    tf.dispose([x, big, tail, ...parts]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
