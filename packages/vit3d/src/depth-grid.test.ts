import * as tf from "@tensorflow/tfjs";
import { f32Entry, readSafetensors, toFloat32, type TensorEntry } from "@transseg/weights";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSegmentationModel } from "./load.js";
import type { SegmentationModel } from "./model.js";
import { TEST_BACKENDS, useTestBackend } from "./testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";

// Gd > 1: window 9, patch depth 3 -> 3x2x2 tokens, against the PyTorch reference encoder
// (fixtures written by __fixtures__/gen_depth_grid.py; the BEiT bias table is random, so the full
// 3D relative position index is exercised). Tolerance: 1e-4 of the largest feature magnitude.
const here = dirname(fileURLToPath(import.meta.url));

for (const backend of TEST_BACKENDS) {
  for (const kind of ["beit", "vit"] as const) {
    describe(`${kind} encoder with Gd = 3 on ${backend}`, () => {
      const ckpt = readSafetensors(join(here, "__fixtures__", `depth_grid_${kind}.safetensors`));
      const cfg = JSON.parse(ckpt.metadata.config!) as { window: number; patch_depth: number; img: [number, number]; dim: number; depth: number; heads: number };
      let model: SegmentationModel;
      beforeAll(async () => {
        await useTestBackend(backend);
        const encoder = new Map<string, TensorEntry>();
        for (const [k, v] of ckpt.tensors) if (k.startsWith("weights.")) encoder.set(k.slice(8), v);
        model = createSegmentationModel(
          { encoder: { kind, dim: cfg.dim, depth: cfg.depth, heads: cfg.heads, img: cfg.img, window: cfg.window, patch_depth: cfg.patch_depth }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 1, 1, 1] }, classes: 2 },
          { encoder, seed: 3 },
        );
      });
      afterAll(() => model?.dispose());

      it("has a 3x2x2 token grid", () => expect(model.grid).toEqual([3, 2, 2]));

      it("every block's features match the reference", () => {
        const e = ckpt.tensors.get("input")!;
        const x = tf.tensor5d(toFloat32(e), e.shape as [number, number, number, number, number]);
        const feats = model.encode(x);
        for (let i = 0; i < cfg.depth; i++) {
          const want = ckpt.tensors.get(`features.${i}`)!;
          expect(feats[i]!.shape).toEqual(want.shape);
          expect(relativeMaxError(feats[i]!.dataSync(), toFloat32(want))).toBeLessThan(1e-4);
        }
        tf.dispose([x, ...feats]);
      });

      it("decodes to [B, classes, H, W] without leaking", () => {
        const x = tf.zeros([1, 1, 9, 32, 32]) as tf.Tensor5D;
        tf.dispose(model.forward(x));
        const before = tf.memory().numTensors;
        const y = model.forward(x);
        expect(y.shape).toEqual([1, 2, 32, 32]);
        y.dispose();
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
      });
    });
  }
}

describe("encoder tensors are checked", () => {
  it("names a wrong shape", () => {
    const bad = new Map([["cls_token", f32Entry([1, 1, 16], new Float32Array(16))]]);
    expect(() => createSegmentationModel({ encoder: { kind: "vit", dim: 32, depth: 1, heads: 2, img: [32, 32] }, decoder: { kind: "setr-pup" }, classes: 2 }, { encoder: bad })).toThrow(
      /cls_token" has shape \[1, 1, 16\] but the model needs \[1, 1, 32\]/,
    );
  });
  it("names an unknown decoder with a suggestion", () => {
    expect(() => createSegmentationModel({ encoder: { kind: "vit", dim: 32, depth: 1, heads: 2, img: [32, 32] }, decoder: { kind: "upernt" }, classes: 2 })).toThrow(
      'unknown decoder "upernt": did you mean "upernet"? (known: upernet, setr-pup, convtrans, unetr, upernet-swint)',
    );
  });
});
