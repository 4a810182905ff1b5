import * as tf from "@tensorflow/tfjs";
import { readSafetensors, toFloat32 } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSegmentationModel } from "./load.js";
import type { SegmentationModel } from "./model.js";
import { TEST_BACKENDS, useTestBackend } from "./testing/backends.js";
import { fixture, HAVE_SHARED_FIXTURES, relativeMaxError, SHARED_FIXTURES } from "@transseg/model/testing";

// Parity with the PyTorch reference (shared/ref/transseg_ref.py): logits and last-block features
// within 1e-4 of their largest magnitude, on every backend.
const TOL = 1e-4;

describe.skipIf(!HAVE_SHARED_FIXTURES)(`parity with ${SHARED_FIXTURES}/seg_*.safetensors`, () => {
  for (const backend of TEST_BACKENDS) {
    for (const kind of ["beit", "vit"] as const) {
      describe(`${kind} on ${backend}`, () => {
        let model: SegmentationModel;
        const io = HAVE_SHARED_FIXTURES ? readSafetensors(fixture(`seg_${kind}_io.safetensors`)).tensors : new Map();
        beforeAll(async () => {
          await useTestBackend(backend);
          model = await loadSegmentationModel(fixture(`seg_${kind}.safetensors`));
        });
        afterAll(() => model?.dispose());

        const input = () => tf.tensor5d(toFloat32(io.get("input")!), io.get("input")!.shape as [number, number, number, number, number]);

        it("logits match the reference", () => {
          const x = input();
          const logits = model.forward(x);
          expect(logits.shape).toEqual(io.get("logits")!.shape);
          const err = relativeMaxError(logits.dataSync(), toFloat32(io.get("logits")!));
          tf.dispose([x, logits]);
          expect(err).toBeLessThan(TOL);
        });

        it("last block features match the reference", () => {
          const x = input();
          const [last] = model.encode(x, [(model.config.encoder as { depth: number }).depth - 1]);
          expect(last!.shape).toEqual(io.get("features_last")!.shape);
          const err = relativeMaxError(last!.dataSync(), toFloat32(io.get("features_last")!));
          tf.dispose([x, last!]);
          expect(err).toBeLessThan(TOL);
        });

        it("leaks no tensors across forward calls", () => {
          const x = input();
          tf.dispose(model.forward(x));
          const before = tf.memory().numTensors;
          for (let i = 0; i < 2; i++) tf.dispose(model.forward(x));
          const r = model.forwardWithFeatures(x);
          tf.dispose([r.logits, ...r.features]);
          expect(tf.memory().numTensors).toBe(before);
          x.dispose();
        });
      });
    }
  }
});
