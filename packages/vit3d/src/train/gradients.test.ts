import * as tf from "@tensorflow/tfjs";
import { readSafetensors, toFloat32, type Checkpoint } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { initBackend } from "../backend/init-backend.js";
import { toTorchLayout } from "@transseg/model";
import { loadSegmentationModel } from "../load.js";
import type { SegmentationModel } from "../model.js";
import { TEST_BACKENDS } from "../testing/backends.js";
import { fixture, HAVE_SHARED_FIXTURES, relativeMaxError, SHARED_FIXTURES } from "@transseg/model/testing";
import { batchNormLayers } from "./batch-norm-stats.js";
import { diceFocalLoss } from "./losses/dice-focal.js";
import { lossAndGrads, type MicroBatch } from "./step.js";
import { TRAIN_FIXTURES } from "./testing-refs.js";

// Gradients of DiceFocal(model(input), target) for the shared fixture model seg_beit (dim 64,
// depth 4, img 64, upernet 32 channels) against PyTorch (__fixtures__/grads_seg_beit.safetensors
// from gen_train_refs.py), in eval mode (running BatchNorm statistics) and in training mode
// (batch statistics, dropout 0 as in the reference), plus the BatchNorm running statistics after
// the training forward. Tolerance: max |Δ| ≤ 1e-3 · max |expected| per tensor (float32 through
// 4 blocks and the UPerNet head; the forward alone agrees to 1e-4).
const TOL = 1e-3;
const refs = readSafetensors(join(TRAIN_FIXTURES, "grads_seg_beit.safetensors")).tensors;
const names = [...refs.keys()].filter((k) => k.startsWith("eval.grad.")).map((k) => k.slice("eval.grad.".length));

function torchGrad(model: SegmentationModel, name: string, grad: tf.Tensor): Float32Array {
  const spec = [...model.params.entries()].find(([n]) => n === name)![1].spec;
  return toTorchLayout(spec.layout, spec.shape, grad.dataSync() as Float32Array);
}

describe.skipIf(!HAVE_SHARED_FIXTURES)(`gradients match PyTorch on ${SHARED_FIXTURES}/seg_beit.safetensors`, () => {
  for (const backend of TEST_BACKENDS) {
    describe(backend, () => {
      const models: Partial<Record<"eval" | "train", SegmentationModel>> = {};
      let batch: MicroBatch;
      beforeAll(async () => {
        await initBackend(backend, { threads: 1 });
        const ckpt = readSafetensors(fixture("seg_beit.safetensors"));
        const io = readSafetensors(fixture("seg_beit_io.safetensors")).tensors.get("input")!;
        const config = JSON.parse(ckpt.metadata.transseg!) as { decoder: Record<string, unknown> };
        const noDropout: Checkpoint = { ...ckpt, metadata: { transseg: JSON.stringify({ ...config, decoder: { ...config.decoder, dropout: 0 } }) } };
        models.eval = await loadSegmentationModel(ckpt);
        models.train = await loadSegmentationModel(noDropout, { name: "seg_beit (dropout 0)" });
        batch = { image: toFloat32(io), label: refs.get("target")!.read() as Int32Array, shape: io.shape as MicroBatch["shape"] };
      });
      afterAll(() => Object.values(models).forEach((m) => m.dispose()));

      for (const mode of ["eval", "train"] as const) {
        it(`${mode} mode: loss and ${names.length} gradient tensors`, () => {
          const model = models[mode]!;
          const before = tf.memory().numTensors;
          const vars = names.map((n) => model.params.get(n));
          const r = lossAndGrads(model, vars, diceFocalLoss, batch, { training: mode === "train", bn: batchNormLayers(model) });
          const lossRef = toFloat32(refs.get(`${mode}.loss`)!)[0]!;
          expect(Math.abs(r.loss - lossRef) / lossRef).toBeLessThan(1e-4);
          names.forEach((n, i) => {
            const err = relativeMaxError(torchGrad(model, n, r.grads[i]!), toFloat32(refs.get(`${mode}.grad.${n}`)!));
            expect(err, `${n}`).toBeLessThan(TOL);
          });
          tf.dispose(r.grads);
          expect(tf.memory().numTensors).toBe(before);
          if (mode === "train") {
            for (const key of refs.keys()) {
              const m = /^train\.(.+\.running_(mean|var))$/.exec(key);
              if (!m) continue;
              const err = relativeMaxError(model.params.get(m[1]!).dataSync(), toFloat32(refs.get(key)!));
              expect(err, key).toBeLessThan(1e-4);
            }
          }
        });
      }
    });
  }
});
