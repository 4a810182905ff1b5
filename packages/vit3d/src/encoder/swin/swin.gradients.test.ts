import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeSwinConfig, type SwinEncoderConfig } from "@transseg/model";
import { relativeMaxError } from "@transseg/model/testing";
import { f32Entry, readSafetensors, toFloat32, writeSafetensors, type TensorMap } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { swinForward } from "./forward.js";
import { randomSwinTensors, referenceSkipReason, runSwinReference, swinStore } from "./testing.js";

// Gradients of both Swin kinds on tiny configurations against PyTorch autograd (the test's
// reference, `__fixtures__/swin_reference.py grad`): d/dθ of Σ_s ⟨stage_s, w_s⟩ for every encoder
// tensor (the stage norms excepted: the reference's outputs are taken before them) and the input,
// within 1e-4 of each tensor's largest magnitude, on cpu and wasm — shifted windows with masks,
// padding at every stage, patch merging of odd maps, shrunk Video Swin windows.
const TOL = 1e-4;
const SKIP = referenceSkipReason("torch");
if (SKIP) console.warn(`Swin gradients against PyTorch skipped: ${SKIP}`);

const CASES: { config: SwinEncoderConfig; batch: number }[] = [
  { config: normalizeSwinConfig({ kind: "swin", embed_dim: 8, depths: [2, 2, 1, 1], heads: [1, 2, 2, 4], window: 3, img: [36, 44] }), batch: 2 },
  { config: normalizeSwinConfig({ kind: "swin3d", embed_dim: 8, depths: [2, 2, 1, 1], heads: [1, 2, 2, 4], window_size: [2, 7, 7], window: 5, img: [36, 44] }), batch: 2 },
];

let dir = "";

describe.skipIf(SKIP !== "")("Swin gradients equal PyTorch's", () => {
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "swin-grad-"))));
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const backend of TEST_BACKENDS) {
    for (const [k, c] of CASES.entries()) {
      it(`${backend}: ${c.config.kind}, ${c.config.window} slices at ${c.config.img.join("×")}`, async () => {
        await initBackend(backend, { threads: 1 });
        const e = c.config;
        const shape = [c.batch, e.in_channels, e.window, e.img[0], e.img[1]];
        const tensors = randomSwinTensors(e, 40 + k);
        const n = shape.reduce((a, b) => a * b, 1);
        const x = f32Entry(shape, Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.71 + k)));
        const store = swinStore(e, tensors);
        const xt = tf.variable(tf.tensor(toFloat32(x), shape), true, `swin-grad-input-${backend}-${k}`);
        const stageShapes = tf.tidy(() => swinForward(xt as unknown as tf.Tensor5D, store.getter("encoder."), e, { stageNorms: false }).map((o) => o.shape));
        const weights = stageShapes.map((s, i) => f32Entry(s, Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, (_, j) => Math.cos(j * 0.13 + i))));
        const inFile = join(dir, `grad-${k}-${backend}.safetensors`);
        const outFile = join(dir, `grad-${k}-${backend}.out.safetensors`);
        const map: TensorMap = new Map([...[...tensors].map(([name, v]) => [`encoder.${name}`, v] as const), ["io.input", x], ...weights.map((w, i) => [`io.w.${i}`, w] as const)]);
        writeSafetensors(inFile, map, { metadata: { config: JSON.stringify(e) } });
        runSwinReference(["grad", inFile, outFile]);
        const want = readSafetensors(outFile).tensors;
        const names = [...store.entries()].filter(([name]) => !/^encoder\.norm\d\./.test(name)).map(([name]) => name);
        const layouts = new Map([...store.entries()].map(([name, p]) => [name, p.spec.layout]));
        const vars = [...names.map((name) => store.get(name)), xt];
        const ws = weights.map((w) => tf.tensor(toFloat32(w), [...w.shape]));
        const { value, grads } = tf.variableGrads(() => {
          const outs = swinForward(xt as unknown as tf.Tensor5D, store.getter("encoder."), e, { stageNorms: false });
          return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, ws[i]!)))) as tf.Scalar;
        }, vars);
        // the loss is a sum of terms of both signs: compare it to the sum of their magnitudes
        const magnitude = tf.tidy(() => tf.addN(swinForward(xt as unknown as tf.Tensor5D, store.getter("encoder."), e, { stageNorms: false }).map((o, i) => tf.sum(tf.abs(tf.mul(o, ws[i]!))))).dataSync()[0]!);
        expect(Math.abs(value.dataSync()[0]! - toFloat32(want.get("loss")!)[0]!) / magnitude).toBeLessThan(1e-5);
        const worst: [string, number][] = [];
        for (const [i, v] of vars.entries()) {
          const name = i < names.length ? names[i]!.slice("encoder.".length) : "io.input";
          const layout = i < names.length ? layouts.get(names[i]!) : "plain";
          const g = grads[v.name]!;
          const ref = toFloat32(want.get(`grad.${name}`)!);
          // the store holds linears and the patch kernel as [in, out]; compare in PyTorch layout
          const got = layout === "linear" || layout === "patch" ? tf.transpose(g).dataSync() : g.dataSync();
          worst.push([name, relativeMaxError(got, ref)]);
        }
        const bad = worst.filter(([, err]) => !(err < TOL));
        expect(bad, `largest: ${worst.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([nm, err]) => `${nm} ${err.toExponential(2)}`).join(", ")}`).toEqual([]);
        tf.dispose([value, ...Object.values(grads), ...ws, xt]);
        store.dispose();
      }, 180_000);
    }
  }
});

if (SKIP) it.skip(`Swin gradients against PyTorch: ${SKIP}`, () => {});
