import * as tf from "@tensorflow/tfjs";
import { inflateCheckpoint } from "@transseg/inflate";
import { readSafetensors, type TensorMap } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SegConfigInput } from "@transseg/model";
import { createSegmentationModel } from "./load.js";
import type { SegmentationModel } from "./model.js";
import { TEST_BACKENDS, useTestBackend } from "./testing/backends.js";
import { fixture, HAVE_SHARED_FIXTURES, relativeMaxError, SHARED_FIXTURES } from "@transseg/model/testing";

// SPEC §2 identities on the 2D fixtures inflated by @transseg/inflate (window 5, 64x64, 1 channel):
// center: 3D(any window) = 2D(centre slice); average: 3D(depth-constant) = 2D(slice);
// repeat: 3D(depth-constant) = 2D(K x slice). The 2D model is the `force_2d` model (patch depth 1)
// with the same decoder initialisation. Features of every block and the logits agree within 1e-5
// of their largest magnitude (float rounding only); a control shows the comparison can fail.
const TOL = 1e-5;
const WINDOW = 5;
const IMG = [64, 64] as const;

function config(kind: "beit" | "vit", force2d: boolean): SegConfigInput {
  return {
    encoder: { kind, dim: 64, depth: 4, heads: 4, img: IMG, window: WINDOW, force_2d: force2d, in_channels: 1 },
    decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 1, 2, 3] },
    classes: 3,
  };
}

function inflated(map: TensorMap, strategy: string, window: number): TensorMap {
  return inflateCheckpoint(map, { strategy, window, img: IMG, inChannels: 1 }).tensors;
}

function compare(a: SegmentationModel, xa: tf.Tensor5D, b: SegmentationModel, xb: tf.Tensor5D): number {
  const fa = a.forwardWithFeatures(xa);
  const fb = b.forwardWithFeatures(xb);
  let err = relativeMaxError(fa.logits.dataSync(), fb.logits.dataSync());
  fa.features.forEach((f, i) => (err = Math.max(err, relativeMaxError(f.dataSync(), fb.features[i]!.dataSync()))));
  tf.dispose([fa.logits, fb.logits, ...fa.features, ...fb.features]);
  return err;
}

describe.skipIf(!HAVE_SHARED_FIXTURES)(`inflation identities on ${SHARED_FIXTURES}/{beit,vit}2d.safetensors`, () => {
  for (const backend of TEST_BACKENDS) {
    for (const kind of ["beit", "vit"] as const) {
      describe(`${kind} on ${backend}`, () => {
        const models = new Map<string, SegmentationModel>();
        let window: tf.Tensor5D; // random along depth
        let constant: tf.Tensor5D; // depth-constant
        beforeAll(async () => {
          await useTestBackend(backend);
          const map = readSafetensors(fixture(`${kind}2d.safetensors`)).tensors;
          models.set("2d", createSegmentationModel(config(kind, true), { encoder: inflated(map, "center", 1), seed: 7 }));
          for (const s of ["center", "average", "repeat"]) models.set(s, createSegmentationModel(config(kind, false), { encoder: inflated(map, s, WINDOW), seed: 7 }));
          window = tf.randomUniform([2, 1, WINDOW, ...IMG], 0, 1, "float32", 5) as tf.Tensor5D;
          constant = tf.tile(tf.randomUniform([2, 1, 1, ...IMG], 0, 1, "float32", 6), [1, 1, WINDOW, 1, 1]) as tf.Tensor5D;
        });
        afterAll(() => {
          for (const m of models.values()) m.dispose();
          tf.dispose([window, constant]);
        });

        it("center: the 3D model on any window equals the 2D model on its centre slice", () => {
          expect(compare(models.get("center")!, window, models.get("2d")!, window)).toBeLessThan(TOL);
        });
        it("average: on a depth-constant window the 3D model equals the 2D model", () => {
          expect(compare(models.get("average")!, constant, models.get("2d")!, constant)).toBeLessThan(TOL);
        });
        it("repeat: on a depth-constant window the 3D model equals the 2D model on K x the slice", () => {
          const scaled = tf.mul(constant, WINDOW) as tf.Tensor5D;
          expect(compare(models.get("repeat")!, constant, models.get("2d")!, scaled)).toBeLessThan(TOL);
          scaled.dispose();
        });
        it("control: average on a window that varies along depth differs from the 2D model", () => {
          expect(compare(models.get("average")!, window, models.get("2d")!, window)).toBeGreaterThan(1e-3);
        });
      });
    }
  }
});
