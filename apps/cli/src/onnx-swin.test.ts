import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createOnnxSession, exportOnnx } from "@transseg/onnx";
import { createSegmentationModel, type SegConfigInput } from "@transseg/vit3d";
import { relativeMaxError, useTestBackend } from "@transseg/vit3d/testing";
import { describe, expect, it } from "vitest";
import { cli, scratch } from "./test-helpers.js";

// Swin / Video Swin segmentation models (upernet-swint) exported to ONNX: ONNX Runtime's logits
// equal the TensorFlow.js model's within 1e-4 of the largest magnitude (inputs that pad at the
// patch embedding and at every stage, maps no larger than the window, shrunk Video Swin windows,
// force_2d), `transseg export` passes its own TensorFlow.js check, and the files pass
// onnx.checker's full check.
const PYTHON = ["/usr/bin/python3", "python3"].find((py) => spawnSync(py, ["-c", "import onnx"], { stdio: "ignore" }).status === 0);
if (!PYTHON) console.warn("onnx.checker part skipped: no python3 imports onnx");

const swin = { embed_dim: 8, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4] };
const cases: [string, SegConfigInput][] = [
  ["swin, 3 slices, 38×46 (input and every stage padded)", { encoder: { kind: "swin", ...swin, window: 3, img: [38, 46] }, decoder: { kind: "upernet-swint", channels: 16 }, classes: 3 }],
  ["swin, force_2d, 64×64", { encoder: { kind: "swin", ...swin, window: 5, force_2d: true, img: [64, 64] }, decoder: { kind: "upernet-swint", channels: 16 }, classes: 2 }],
  ["swin3d, 5 slices, 38×46 (depth and in-plane windows shrunk)", { encoder: { kind: "swin3d", ...swin, window: 5, img: [38, 46] }, decoder: { kind: "upernet-swint", channels: 16 }, classes: 3 }],
  ["swin3d, 19 slices, 72×64 (depth window 8 shifted)", { encoder: { kind: "swin3d", ...swin, window: 19, img: [72, 64] }, decoder: { kind: "upernet-swint", channels: 16 }, classes: 3 }],
];

describe("Swin models: exportOnnx agrees with the TensorFlow.js model", () => {
  for (const [name, config] of cases) {
    it(`${name}: logits within 1e-4`, async () => {
      await useTestBackend("wasm");
      const model = createSegmentationModel(config, { seed: 5 });
      const session = await createOnnxSession(exportOnnx(model.toTensorMap(), { config: model.config }), { threads: 1 });
      try {
        const e = model.config.encoder;
        const shape = [2, 1, e.window, e.img[0], e.img[1]] as const;
        const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37));
        const expected = tf.tidy(() => model.forward(tf.tensor5d(x, [...shape])).dataSync() as Float32Array);
        const { logits, shape: outShape } = await session.run(x, shape);
        expect(outShape).toEqual([2, config.classes, e.img[0], e.img[1]]);
        const err = relativeMaxError(logits, expected);
        console.log(`${name}: ONNX Runtime vs TensorFlow.js ${err.toExponential(2)}`);
        expect(err).toBeLessThan(1e-4);
      } finally {
        await session.release();
        model.dispose();
      }
    }, 120_000);
  }

  it("transseg export checks a Swin checkpoint against TensorFlow.js; the file passes onnx.checker (full check)", async () => {
    const dir = scratch("cli-onnx-swin-");
    for (const [i, [, config]] of [cases[0]!, cases[2]!].entries()) {
      const model = createSegmentationModel(config, { seed: 2 });
      const ckpt = join(dir, `m${i}.safetensors`);
      model.saveCheckpoint(ckpt);
      model.dispose();
      const onnx = join(dir, `m${i}.onnx`);
      const r = await cli("export", "--checkpoint", ckpt, "--onnx", onnx, "--backend", "wasm", "--quiet");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/matches TensorFlow.js within/);
      if (PYTHON) {
        const check = spawnSync(PYTHON, ["-c", "import onnx, sys\nonnx.checker.check_model(sys.argv[1], full_check=True)\nprint('ok')", onnx], { encoding: "utf8" });
        expect(check.stderr).toBe("");
        expect(check.stdout.trim()).toBe("ok");
      }
    }
  }, 300_000);
});
