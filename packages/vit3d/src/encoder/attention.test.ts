import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { TEST_BACKENDS } from "../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { attentionCore, PER_HEAD_MIN_WORK, perHeadAttention, relativeBias, splitHeads, type RelativeBias } from "./attention.js";

// Numerics of the attention pieces on every test backend: the q/k/v split is pure data movement
// (exact against the rank-5 transpose it replaces); batched and per-head attention agree to 1e-5
// relative (forward and gradients), as do one gather for all heads and per-head gathers.

const seeded = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

/** The former formulation: `[B, N, 3, h, hd] → [3, B·h, N, hd]` in one rank-5 transpose. */
function splitRank5(qkv: tf.Tensor3D, heads: number): tf.Tensor3D[] {
  const [b, n, c] = qkv.shape;
  const hd = c / (3 * heads);
  return tf.unstack(tf.transpose(qkv.reshape([b, n, 3, heads, hd]), [2, 0, 3, 1, 4]).reshape([3, b * heads, n, hd])) as tf.Tensor3D[];
}

/** Gathers per head from the transposed table (the former per-head bias). */
function perHeadGathers(table: tf.Tensor2D, index: tf.Tensor1D, n: number): tf.Tensor2D[] {
  return (tf.unstack(tf.transpose(table, [1, 0])) as tf.Tensor1D[]).map((c) => tf.gather(c, index).reshape([n, n]) as tf.Tensor2D);
}

function index(n: number, rows: number, seed: number): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from({ length: n * n }, (_, i) => (i * 7 + seed * 13 + ((i / n) | 0)) % rows), "int32");
}

for (const backend of TEST_BACKENDS) {
  describe(`attention pieces on ${backend}`, () => {
    beforeAll(() => initBackend(backend, { threads: 1 }));

    it("splitHeads equals the rank-5 transpose exactly (B 1–3, non-square shapes)", () => {
      for (const [b, n, heads, hd] of [[1, 17, 4, 16], [2, 65, 6, 8], [3, 5, 2, 3], [2, 1, 3, 4]] as const) {
        tf.tidy(() => {
          const qkv = seeded([b, n, 3 * heads * hd], b * 100 + n) as tf.Tensor3D;
          const got = splitHeads(qkv, heads);
          const want = splitRank5(qkv, heads);
          got.forEach((t, i) => {
            expect(t.shape).toEqual([b * heads, n, hd]);
            expect(Array.from(t.dataSync())).toEqual(Array.from(want[i]!.dataSync()));
          });
        });
      }
      expect(() => splitHeads(tf.zeros([1, 2, 10]) as tf.Tensor3D, 2)).toThrow("splitHeads: 10 channels are not 3 × 2 heads × an integer head size");
    });

    it("splitHeads' gradient is the rank-5 transpose's", () => {
      tf.tidy(() => {
        const qkv = seeded([2, 9, 3 * 2 * 4], 7) as tf.Tensor3D;
        const w = [seeded([4, 9, 4], 8), seeded([4, 9, 4], 9), seeded([4, 9, 4], 10)];
        const loss = (split: (x: tf.Tensor3D, h: number) => tf.Tensor3D[]) => (x: tf.Tensor) => tf.addN(split(x as tf.Tensor3D, 2).map((t, i) => tf.sum(tf.mul(t, w[i]!)))) as tf.Scalar;
        const got = tf.grad(loss(splitHeads))(qkv);
        const want = tf.grad(loss(splitRank5))(qkv);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      });
    });

    it("one gather for all heads equals per-head gathers, values and table gradient", () => {
      tf.tidy(() => {
        const [n, heads, rows] = [7, 3, 20];
        const table = seeded([rows, heads], 3) as tf.Tensor2D;
        const idx = index(n, rows, 1);
        const full = relativeBias(table, idx, n, false) as { full: tf.Tensor3D };
        const split = relativeBias(table, idx, n, true) as { perHead: tf.Tensor2D[] };
        const want = perHeadGathers(table, idx, n);
        expect(full.full.shape).toEqual([heads, n, n]);
        want.forEach((w, h) => {
          expect(Array.from(split.perHead[h]!.dataSync())).toEqual(Array.from(w.dataSync()));
          expect(Array.from(tf.slice(full.full, [h, 0, 0], [1, -1, -1]).dataSync())).toEqual(Array.from(w.dataSync()));
        });
        const weights = seeded([heads, n, n], 4);
        const gotGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.stack([...(relativeBias(t, idx, n, true) as { perHead: tf.Tensor2D[] }).perHead]), weights)) as tf.Scalar)(table);
        const wantGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.stack(perHeadGathers(t as tf.Tensor2D, idx, n)), weights)) as tf.Scalar)(table);
        expect(relativeMaxError(gotGrad.dataSync(), wantGrad.dataSync())).toBeLessThan(1e-6);
      });
    });

    for (const withBias of [true, false]) {
      it(`batched and per-head attention agree, forward and gradients (${withBias ? "relative bias" : "no bias"})`, () => {
        for (const [b, heads, n, hd] of [[2, 4, 17, 16], [2, 3, 41, 8], [1, 2, 9, 5]] as const) {
          tf.tidy(() => {
            const bh = b * heads;
            const rows = 2 * n + 1;
            const q = seeded([bh, n, hd], 11) as tf.Tensor3D;
            const kT = seeded([bh, hd, n], 12) as tf.Tensor3D;
            const v = seeded([bh, n, hd], 13) as tf.Tensor3D;
            const table = seeded([rows, heads], 14);
            const idx = index(n, rows, 2);
            const weights = seeded([bh, n, hd], 15);
            const run = (perHead: boolean, biasPerHead: boolean) =>
              tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor, t: tf.Tensor) => {
                const bias: RelativeBias | null = withBias ? relativeBias(t, idx, n, biasPerHead) : null;
                // keep the table in the graph without a bias, so that every run has 4 gradients
                const out = attentionCore(a as tf.Tensor3D, k as tf.Tensor3D, c as tf.Tensor3D, bias, heads, perHead);
                return tf.add(tf.sum(tf.mul(out, weights)), withBias ? 0 : tf.mul(tf.sum(t), 0)) as tf.Scalar;
              })([q, kT, v, table]);
            const ref = run(false, false);
            const value = (perHead: boolean, biasPerHead: boolean) => attentionCore(q, kT, v, withBias ? relativeBias(table, idx, n, biasPerHead) : null, heads, perHead);
            const refOut = value(false, false).dataSync();
            for (const [perHead, biasPerHead] of [[true, true], [true, false], [false, true]] as const) {
              expect(relativeMaxError(value(perHead, biasPerHead).dataSync(), refOut), `forward ${perHead}/${biasPerHead}`).toBeLessThan(1e-5);
              run(perHead, biasPerHead).forEach((g, i) => expect(relativeMaxError(g.dataSync(), ref[i]!.dataSync()), `gradient ${i}, ${perHead}/${biasPerHead}, B ${b} N ${n}`).toBeLessThan(1e-5));
            }
          });
        }
      });
    }

    it(`runs head by head only on wasm and from N² · hd = ${PER_HEAD_MIN_WORK}`, () => {
      expect(perHeadAttention(17, 16)).toBe(false); // tiny training: batched
      expect(perHeadAttention(33, 16)).toBe(false);
      expect(perHeadAttention(33, 64)).toBe(backend === "wasm");
      expect(perHeadAttention(65, 64)).toBe(backend === "wasm"); // small training
      expect(perHeadAttention(1025, 64)).toBe(backend === "wasm"); // BEiT-base inference at 512²
      expect(perHeadAttention(Math.ceil(Math.sqrt(PER_HEAD_MIN_WORK)), 1)).toBe(backend === "wasm");
      expect(perHeadAttention(Math.floor(Math.sqrt(PER_HEAD_MIN_WORK - 1)), 1)).toBe(false);
    });
  });
}
