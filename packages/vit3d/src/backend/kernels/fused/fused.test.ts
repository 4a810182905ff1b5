import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { attentionCore, fusedAttention, relativeBias, splitHeads } from "../../../encoder/attention.js";
import { biasGelu, gelu, layerNorm, layerNormComposed } from "../../../ops/norm.js";
import { initBackend } from "../../init-backend.js";
import { seededNormal } from "../../testing/index.js";
import { readFileSync } from "node:fs";
import { FUSED_WASM_BASE64 } from "./fused-wasm.generated.js";
import { ATTENTION, BIAS_GELU, backendHasKernel, fusedKernels, LAYER_NORM } from "./index.js";

/** Stated tolerance: max |fused − composed| ≤ 2e-5 · max(1, max |composed|), values and every gradient. */
const TOLERANCE = 2e-5;

beforeAll(async () => {
  expect((await initBackend("cpu")).name).toBe("cpu");
  expect((await initBackend("wasm", { log: () => undefined })).name).toBe("wasm");
});

const rand = (shape: number[], seed: number, scale = 1): tf.Tensor => tf.tensor(seededNormal(shape.reduce((a, b) => a * b, 1), seed).map((v) => v * scale), shape);

/** f's value and its gradients (of ⟨f(xs), w⟩ with fixed random w) with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const y = f(...xs);
    const w = rand([...y.shape], 99);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function expectClose(got: Float32Array[], want: Float32Array[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => {
    const w = want[k]!;
    expect(g.length).toBe(w.length);
    let max = 1;
    let err = 0;
    for (let i = 0; i < w.length; i++) {
      max = Math.max(max, Math.abs(w[i]!));
      err = Math.max(err, Math.abs(g[i]! - w[i]!));
    }
    expect(err, `output ${k}`).toBeLessThanOrEqual(TOLERANCE * max);
  });
}

/** The unfused attention: split heads, scale q, batched softmax(q kᵀ + bias) v, merge heads. */
function composedAttention(qkv: tf.Tensor3D, gathered: tf.Tensor3D | null, heads: number, scale: number): tf.Tensor3D {
  const [b, n, c3] = qkv.shape;
  const hd = c3 / (3 * heads);
  const [q, k, v] = splitHeads(qkv, heads);
  const out = attentionCore(tf.mul(q, scale) as tf.Tensor3D, tf.transpose(k, [0, 2, 1]) as tf.Tensor3D, v, gathered ? { full: tf.transpose(gathered, [2, 0, 1]) as tf.Tensor3D } : null, heads, false);
  return tf.transpose(out.reshape([b, heads, n, hd]), [0, 2, 1, 3]).reshape([b, n, heads * hd]) as tf.Tensor3D;
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`fused kernels on ${backend} equal the unfused compositions (values and gradients)`, () => {
    beforeAll(() => initBackend(backend, { log: () => undefined }));

    it("has the kernels registered", () => {
      for (const name of [LAYER_NORM, BIAS_GELU, ATTENTION]) expect(backendHasKernel(name)).toBe(true);
    });

    for (const shape of [[1, 1], [3, 7], [2, 17, 64], [2, 5, 193], [4, 3, 2, 9]]) {
      it(`LayerNorm [${shape.join(", ")}]`, () => {
        const c = shape.at(-1)!;
        const xs = [rand(shape, 1, 3), rand([c], 2), rand([c], 3)];
        const shifted = [tf.add(xs[0]!, 4), xs[1]!, xs[2]!];
        for (const inputs of [xs, shifted]) expectClose(valueAndGrads((x, g, b) => layerNorm(x!, g!, b!), inputs), valueAndGrads((x, g, b) => layerNormComposed(x!, g!, b!), inputs));
        tf.dispose([...xs, shifted[0]!]);
      });
    }

    for (const shape of [[1, 1], [3, 7], [34, 256], [2, 5, 13]]) {
      it(`bias + GELU [${shape.join(", ")}]`, () => {
        const c = shape.at(-1)!;
        const xs = [rand(shape, 4, 3), rand([c], 5)];
        expectClose(valueAndGrads((x, b) => biasGelu(x!, b!), xs), valueAndGrads((x, b) => gelu(tf.add(x!, b!)), xs));
        tf.dispose(xs);
      });
    }

    const cases: Array<[number, number, number, number, boolean]> = [
      [1, 1, 1, 1, true],
      [1, 5, 1, 3, true],
      [2, 17, 4, 16, true],
      [3, 7, 3, 5, true],
      [2, 17, 3, 64, true],
      [2, 9, 2, 4, false],
    ];
    for (const [b, n, heads, hd, withBias] of cases) {
      it(`attention B ${b}, N ${n}, ${heads} heads of ${hd}${withBias ? ", relative bias" : ", no bias"}`, () => {
        const scale = hd ** -0.5;
        const xs = [rand([b, n, 3 * heads * hd], 6, 2), ...(withBias ? [rand([n, n, heads], 7)] : [])];
        const fused = (qkv?: tf.Tensor, bias?: tf.Tensor): tf.Tensor => fusedAttention(qkv as tf.Tensor3D, (bias ?? null) as tf.Tensor3D | null, heads, scale);
        const composed = (qkv?: tf.Tensor, bias?: tf.Tensor): tf.Tensor => composedAttention(qkv as tf.Tensor3D, (bias ?? null) as tf.Tensor3D | null, heads, scale);
        expectClose(valueAndGrads(fused, xs), valueAndGrads(composed, xs));
        tf.dispose(xs);
      });
    }

    it("relativeBias(…, 'fused') is the gathered table [N, N, heads]; its gradient reaches the table", () => {
      const n = 4;
      const table = rand([7, 3], 8);
      const index = tf.tensor1d(Array.from({ length: n * n }, (_, i) => (i * 5) % 7), "int32");
      const g = relativeBias(table, index, n, "fused");
      expect("gathered" in g && g.gathered.shape).toEqual([n, n, 3]);
      const full = relativeBias(table, index, n, false);
      if (!("gathered" in g) || !("full" in full)) throw new Error("unexpected bias kinds");
      expect(Array.from(tf.transpose(g.gathered, [2, 0, 1]).dataSync())).toEqual(Array.from(full.full.dataSync()));
      tf.dispose([table, index, g.gathered, full.full]);
    });
  });
}

describe("fused kernels: errors and fallbacks", () => {
  beforeAll(() => initBackend("cpu"));

  it("reject mismatched shapes in one line naming the kernel", () => {
    expect(() => tf.engine().runKernel(LAYER_NORM, { x: tf.zeros([2, 3]), gamma: tf.zeros([4]), beta: tf.zeros([3]) }, { epsilon: 1e-6 })).toThrow("TranssegLayerNorm: gamma has shape [4], expected [3]");
    expect(() => fusedAttention(tf.zeros([1, 2, 7]) as tf.Tensor3D, null, 1, 1)).toThrow("TranssegAttentionNoBias: 7 channels are not 3 × 1 heads × an integer head size");
    expect(() => fusedAttention(tf.zeros([1, 2, 6]) as tf.Tensor3D, tf.zeros([2, 2, 2]) as tf.Tensor3D, 1, 1)).toThrow("TranssegAttention: bias has shape [2, 2, 2], expected [2, 2, 1]");
    expect(() => tf.engine().runKernel(BIAS_GELU, { x: tf.zeros([2, 3], "int32"), bias: tf.zeros([3], "int32") })).toThrow("TranssegBiasGelu: inputs must be float32, got int32");
  });

  it("layerNorm and biasGelu fall back to the compositions where the backend lacks the kernels (e.g. tfjs-node)", () => {
    const x = rand([3, 5], 9);
    const g = rand([5], 10);
    const b = rand([5], 11);
    const withKernel = [layerNorm(x, g, b).dataSync(), biasGelu(x, b).dataSync()];
    for (const config of fusedKernels("cpu")) tf.unregisterKernel(config.kernelName, "cpu");
    try {
      expect(backendHasKernel(LAYER_NORM)).toBe(false);
      expect(Array.from(layerNorm(x, g, b).dataSync())).toEqual(Array.from(layerNormComposed(x, g, b).dataSync()));
      expect(Array.from(biasGelu(x, b).dataSync())).toEqual(Array.from(gelu(tf.add(x, b)).dataSync()));
      expectClose([withKernel[0]!, withKernel[1]!] as Float32Array[], [layerNorm(x, g, b).dataSync(), biasGelu(x, b).dataSync()] as Float32Array[]);
    } finally {
      for (const config of fusedKernels("cpu")) tf.registerKernel(config);
    }
  });

  it("the embedded module is c/fused.wasm, the output of c/build.sh", () => {
    const file = readFileSync(new URL("./c/fused.wasm", import.meta.url));
    expect(Buffer.from(FUSED_WASM_BASE64, "base64").equals(file)).toBe(true);
    expect((globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(file)).toBe(true);
  });
});
