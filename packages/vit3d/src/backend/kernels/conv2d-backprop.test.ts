import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { withOriginalKernel } from "../register-wasm-kernels.js";
import { compareArrays, seededNormal } from "../testing/index.js";
import { conv2dBackpropFilter } from "./conv2d-backprop-filter.js";
import { conv2dBackpropInput } from "./conv2d-backprop-input.js";
import { FLIP_FILTER, flipFilterSwapChannels } from "./flip-filter.js";

/** Stated tolerance: max |ours − cpu| ≤ 1e-5 · max(1, max |cpu|). */
const TOLERANCE = 1e-5;

type Pad = "same" | "valid" | tf.backend_util.ExplicitPadding;
interface Case {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly k: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: Pad;
}

/** The UPerNet shapes (3×3 stride-1 same, 1×1, channel counts across the 32-wide transpose tiles) and the general cases. */
const cases: readonly Case[] = [
  { name: "3x3 s1 same, batch 2, non-square, 40 → 33 channels", x: [2, 7, 9, 40], k: [3, 3, 40, 33], strides: 1, pad: "same" },
  { name: "3x3 s1 same, 5 → 70 channels (fewer in than out)", x: [2, 4, 3, 5], k: [3, 3, 5, 70], strides: 1, pad: "same" },
  { name: "3x3 s1 same on 1x1 pixels", x: [2, 1, 1, 6], k: [3, 3, 6, 4], strides: 1, pad: "same" },
  { name: "3x3 s1 valid", x: [2, 6, 8, 3], k: [3, 3, 3, 4], strides: 1, pad: "valid" },
  { name: "5x3 s1 same (non-square kernel)", x: [1, 6, 7, 2], k: [5, 3, 2, 3], strides: 1, pad: "same" },
  { name: "4x4 s1 same (even kernel)", x: [2, 6, 5, 2], k: [4, 4, 2, 3], strides: 1, pad: "same" },
  { name: "3x3 s1 explicit padding, wider than the kernel on one side", x: [2, 5, 6, 3], k: [3, 3, 3, 2], strides: 1, pad: [[0, 0], [3, 0], [1, 2], [0, 0]] },
  { name: "1x1 s1", x: [2, 5, 6, 4], k: [1, 1, 4, 3], strides: 1, pad: "same" },
  { name: "3x3 s2 same (odd size)", x: [2, 7, 7, 3], k: [3, 3, 3, 4], strides: 2, pad: "same" },
  { name: "3x3 s[2,1] valid", x: [2, 9, 8, 2], k: [3, 3, 2, 3], strides: [2, 1], pad: "valid" },
  { name: "2x2 s2 same (kernel = stride)", x: [2, 7, 8, 3], k: [2, 2, 3, 4], strides: 2, pad: "same" },
  { name: "16x16 s16 valid (patch embedding)", x: [1, 32, 48, 3], k: [16, 16, 3, 8], strides: 16, pad: "valid" },
];

const random = (shape: readonly number[], seed: number): tf.Tensor => tf.tensor(seededNormal(shape.reduce((a, b) => a * b, 1), seed), [...shape]);

/** dx and dk of conv2d on `backend` (cpu: TensorFlow.js's own kernels, not the registered fix), for a seeded dy. */
async function referenceGrads(c: Case, backend: string): Promise<{ dy: Float32Array; dx: Float32Array; dk: Float32Array; yShape: number[] }> {
  await tf.setBackend(backend);
  if (backend === "cpu") return withOriginalKernel("Conv2DBackpropFilter", "cpu", () => gradsOnActiveBackend(c));
  return gradsOnActiveBackend(c);
}

function gradsOnActiveBackend(c: Case): { dy: Float32Array; dx: Float32Array; dk: Float32Array; yShape: number[] } {
  return tf.tidy(() => {
    const x = random(c.x, 1) as tf.Tensor4D;
    const k = random(c.k, 2) as tf.Tensor4D;
    const yShape = tf.conv2d(x, k, c.strides, c.pad).shape;
    const dy = random(yShape, 3);
    const [dx, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad))([x, k], dy);
    return { dy: dy.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, dk: dk!.dataSync() as Float32Array, yShape };
  });
}

function ours(c: Case, dyValues: Float32Array, yShape: number[], nchw: boolean): { dx: Float32Array; dk: Float32Array } {
  return tf.tidy(() => {
    const toLayout = (t: tf.Tensor4D): tf.Tensor4D => (nchw ? tf.transpose(t, [0, 3, 1, 2]) : t);
    const fromLayout = (t: tf.Tensor4D): tf.Tensor4D => (nchw ? tf.transpose(t, [0, 2, 3, 1]) : t);
    const x = toLayout(random(c.x, 1) as tf.Tensor4D);
    const k = random(c.k, 2) as tf.Tensor4D;
    const dy = toLayout(tf.tensor4d(dyValues, yShape as [number, number, number, number]));
    const common = { strides: c.strides, pad: c.pad, dataFormat: nchw ? ("NCHW" as const) : ("NHWC" as const) };
    const dx = conv2dBackpropInput(dy, k, { ...common, inputShape: x.shape });
    const dk = conv2dBackpropFilter(x, dy, { ...common, filterShape: c.k });
    return { dx: fromLayout(dx).dataSync() as Float32Array, dk: dk.dataSync() as Float32Array };
  });
}

beforeAll(async () => {
  expect((await initBackend("cpu")).name).toBe("cpu");
  expect((await initBackend("wasm", { log: () => undefined })).name).toBe("wasm");
});

describe("conv2dBackpropInput / conv2dBackpropFilter match the cpu backend's own kernels", () => {
  for (const backend of ["wasm", "cpu"]) {
    for (const nchw of [false, true]) {
      for (const c of cases) {
        it(`${backend}, ${nchw ? "NCHW" : "NHWC"}: ${c.name}`, async () => {
          const ref = await referenceGrads(c, "cpu");
          await tf.setBackend(backend);
          const got = ours(c, ref.dy, ref.yShape, nchw);
          for (const [what, a, b] of [["dx", got.dx, ref.dx], ["dk", got.dk, ref.dk]] as const) {
            const { maxAbsDiff, allowed } = compareArrays(a, b, TOLERANCE);
            expect(maxAbsDiff, `${what}: ${maxAbsDiff} > ${allowed}`).toBeLessThanOrEqual(allowed);
          }
        });
      }
    }
  }

  it("the cpu backend's Conv2DBackpropFilter is the registered fix, and the reference is TensorFlow.js's own", async () => {
    await tf.setBackend("cpu");
    const fix = tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc;
    const seen = await withOriginalKernel("Conv2DBackpropFilter", "cpu", () => tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc);
    expect(seen).not.toBe(fix);
    expect(tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc).toBe(fix);
  });

  it("conv2d's gradients on wasm and cpu go through the registered kernels and agree with TensorFlow.js's cpu kernels at UPerNet-like sizes", async () => {
    const c: Case = { name: "bottleneck", x: [2, 8, 6, 96], k: [3, 3, 96, 40], strides: 1, pad: "same" };
    const ref = await referenceGrads(c, "cpu");
    for (const backend of ["wasm", "cpu"]) {
      await tf.setBackend(backend);
      const got = gradsOnActiveBackend(c);
      for (const [a, b] of [[got.dx, ref.dx], [got.dk, ref.dk]] as const) {
        const { maxAbsDiff, allowed } = compareArrays(a, b, TOLERANCE);
        expect(maxAbsDiff).toBeLessThanOrEqual(allowed);
      }
    }
  });
});

describe("flipFilterSwapChannels", () => {
  beforeAll(() => tf.setBackend("wasm"));
  const expectFlipped = (shape: readonly [number, number, number, number]): void =>
    tf.tidy(() => {
      const k = random(shape, 7) as tf.Tensor4D;
      const got = flipFilterSwapChannels(k);
      const want = tf.transpose(tf.reverse(k, [0, 1]), [0, 1, 3, 2]);
      expect(got.shape).toEqual([shape[0], shape[1], shape[3], shape[2]]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    });
  for (const shape of [[3, 3, 40, 33], [2, 4, 3, 5], [1, 1, 7, 2], [5, 1, 1, 65]] as const) {
    it(`equals reverse over both spatial axes and the in/out swap, exactly, on wasm and cpu (kernel) and on the host path: [${shape.join(", ")}]`, async () => {
      for (const backend of ["wasm", "cpu"]) {
        await tf.setBackend(backend);
        expect(tf.getKernel(FLIP_FILTER, backend)).toBeDefined();
        expectFlipped(shape);
      }
      await tf.setBackend("wasm");
      const kernel = tf.getKernel(FLIP_FILTER, "wasm")!;
      tf.unregisterKernel(FLIP_FILTER, "wasm");
      try {
        expectFlipped(shape);
      } finally {
        tf.registerKernel(kernel);
      }
    });
  }

  it("rejects non-float32 filters with a clear error", () => {
    const k = tf.zeros([3, 3, 2, 2], "int32") as tf.Tensor4D;
    expect(() => flipFilterSwapChannels(k)).toThrow(/expected a float32 filter, got int32/);
    k.dispose();
  });
});
