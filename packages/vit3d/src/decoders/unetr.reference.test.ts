import * as tf from "@tensorflow/tfjs";
import { f32Entry, writeSafetensors, type TensorEntry } from "@transseg/weights";
import { torchPython } from "@transseg/weights/testing";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelEncoderConfig } from "@transseg/model";
import { createSegmentationModel } from "../load.js";
import { useTestBackend } from "../testing/backends.js";
import type { Decoder, DecoderContext } from "./decoder.js";
import { unetrDecoder as unetrLiteral } from "./unetr.js";

const unetrDecoder: Decoder = unetrLiteral;

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "unetr_torch_check.py");
const PYTHON = torchPython(["torch", "numpy"]);
const HAVE_TORCH = PYTHON !== undefined;
if (!HAVE_TORCH) console.warn("unetr reference test skipped: no python3 imports torch and numpy (set TRANSSEG_PYTHON)");

/**
 * The head against an independent PyTorch implementation (`__fixtures__/unetr_torch_check.py`,
 * torch's conv3d / conv_transpose3d / instance_norm): same tensors in PyTorch layouts, same
 * encoder features, logits within 1e-5 of the largest magnitude. Checks the layouts, the
 * ConvTranspose tap order, the concat order and the centre-token choice.
 */
describe.skipIf(!HAVE_TORCH)("unetr equals a PyTorch implementation of the same head", () => {
  beforeAll(() => useTestBackend("cpu"));

  for (const [patch, img] of [[16, [32, 48]], [8, [16, 24]]] as const) {
    it(`patch ${patch}, window 9, patch depth 3, img ${img.join("x")} (non-square)`, () => {
      const m = createSegmentationModel(
        { encoder: { kind: "vit", dim: 16, depth: 4, heads: 2, patch, img, window: 9, patch_depth: 3, in_channels: 1 }, decoder: { kind: "unetr", feature_size: 4 }, classes: 3 },
        { seed: 7, decoders: { unetr: unetrDecoder } },
      );
      const dir = mkdtempSync(join(tmpdir(), "unetr-ref-"));
      try {
        const [gd, gh, gw] = m.grid;
        const ctx: DecoderContext<ModelEncoderConfig> = { encoder: m.config.encoder, config: m.config.decoder, classes: 3, grid: [gh, gw] };
        const x = tf.randomUniform([2, 1, 9, img[0], img[1]], 0, 1, "float32", 11) as tf.Tensor5D;
        const feats = m.encode(x, unetrDecoder.layers(ctx));
        const logits = tf.tidy(() => {
          const folded = feats.map((f) => f.reshape([2, gd * gh, gw, 16]) as tf.Tensor4D);
          return tf.transpose(unetrDecoder.forward(folded, m.params.getter("decoder."), ctx, { training: false }), [0, 3, 1, 2]);
        });
        const tensors = new Map<string, TensorEntry>([...m.toTensorMap()].filter(([k]) => k.startsWith("decoder.")));
        feats.forEach((f, i) => tensors.set(`feat.${i}`, f32Entry(f.shape, f.dataSync() as Float32Array)));
        tensors.set("logits", f32Entry(logits.shape, logits.dataSync() as Float32Array));
        tf.dispose([x, logits, ...feats]);
        const file = join(dir, "case.safetensors");
        writeSafetensors(file, tensors, { metadata: { case: JSON.stringify({ grid: [gd, gh, gw] }) } });
        const run = spawnSync(PYTHON!, [SCRIPT, file], { encoding: "utf8" });
        expect(run.stderr).toBe("");
        const { rel_err } = JSON.parse(run.stdout) as { rel_err: number };
        expect(rel_err).toBeLessThan(1e-5);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        m.dispose();
      }
    });
  }
});
