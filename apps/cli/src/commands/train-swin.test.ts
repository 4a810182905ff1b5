import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readNifti } from "@transseg/datasets";
import { initValues, normalizeSwinConfig, swinEncoderParams } from "@transseg/model";
import { f32Entry, readSafetensorsHeader, writeSafetensors, type TensorEntry } from "@transseg/weights";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

// Swin and Video Swin from the command line on a synthetic dataset: `--init random --encoder
// swin-tiny`, a 2D Swin checkpoint inflated to `swin` (centre) and, with `--encoder swin3d-tiny`,
// to Video Swin (average); each trains a few steps, records its encoder and upernet-swint (chosen
// automatically), and predicts a whole volume with TensorFlow.js and with ONNX Runtime (same labels).
const dir = scratch("cli-train-swin-");
const data = join(dir, "data");
const common = ["--img", "32x32", "--steps", "2", "--batch", "2", "--val-every", "0", "--save-every", "2", "--log-every", "1", "--backend", "wasm", "--threads", "1", "--workers", "0", "--decoder-channels", "16", "--quiet"];

let volume = "";
let swin2d = "";
beforeAll(async () => {
  const r = await cli("synth", "--task", "Task09_Spleen", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet");
  expect(r.code).toBe(0);
  volume = join(data, "imagesTr", readdirSync(join(data, "imagesTr")).sort()[0]!);
  // a small 2D Swin (3 channels, Conv2d patch kernel) under TransSeg's / Microsoft's names, without stage norms
  const e = normalizeSwinConfig({ kind: "swin", embed_dim: 16, depths: [2, 2, 2, 2], heads: [1, 2, 4, 4], window: 1, in_channels: 3, img: [224, 224] });
  const tensors = new Map<string, TensorEntry>();
  for (const s of swinEncoderParams(e)) {
    if (/^norm\d\./.test(s.name)) continue;
    const shape = s.name === "patch_embed.proj.weight" ? [16, 3, 4, 4] : s.shape;
    tensors.set(s.name, f32Entry(shape, initValues(s, 7)));
  }
  tensors.set("norm.weight", f32Entry([128], new Float32Array(128).fill(1)));
  tensors.set("norm.bias", f32Entry([128], new Float32Array(128)));
  swin2d = join(dir, "swin2d.safetensors");
  writeSafetensors(swin2d, tensors);
}, 60_000);

const RUNS: Record<string, { args: string[]; encoder: Record<string, unknown> }> = {
  "random swin-tiny": { args: ["--init", "random", "--encoder", "swin-tiny"], encoder: { kind: "swin", embed_dim: 96, depths: [2, 2, 6, 2], window: 5, patch_depth: 5, drop_path: 0.2 } },
  "2D Swin inflated to swin (centre)": { args: ["--init", "CKPT", "--window", "3"], encoder: { kind: "swin", embed_dim: 16, depths: [2, 2, 2, 2], heads: [1, 2, 4, 4], window_size: [7, 7], window: 3, patch_depth: 3, drop_path: 0.3 } },
  "2D Swin inflated to swin3d (average)": { args: ["--init", "CKPT", "--encoder", "swin3d-tiny", "--strategy", "average"], encoder: { kind: "swin3d", embed_dim: 16, window_size: [8, 7, 7], patch_depth: 2, drop_path: 0.1 } },
};

describe("transseg train / predict with Swin encoders", () => {
  for (const [name, run] of Object.entries(RUNS)) {
    it(`${name}: trains, records the Swin encoder and upernet-swint, predicts`, async () => {
      const out = join(dir, name.replace(/[^a-z0-9]+/gi, "-"));
      const args = run.args.map((a) => (a === "CKPT" ? swin2d : a));
      const r = await cli("train", "--data", data, ...args, "-o", out, ...common);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/: completed at step 2 in/);
      const ckpt = join(out, "last.safetensors");
      const config = JSON.parse(readSafetensorsHeader(ckpt).metadata.transseg!);
      expect(config.encoder).toMatchObject({ ...run.encoder, in_channels: 1, img: [32, 32] });
      expect(config.decoder).toMatchObject({ kind: "upernet-swint", channels: 16 });
      const labels = (engine: string) => join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}-${engine}.nii.gz`);
      // (swin-tiny's 28M parameters: TensorFlow.js only, to keep the test short)
      const engines = name.startsWith("random") ? ["tfjs"] : ["tfjs", "onnx"];
      for (const engine of engines) {
        const p = await cli("predict", "--checkpoint", ckpt, "--input", volume, "--output", labels(engine), "--engine", engine, "--backend", "wasm", "--threads", "1", "--quiet");
        expect(p.stderr).toBe("");
        expect(p.code).toBe(0);
      }
      const [image, a] = await Promise.all([readNifti(volume), readNifti(labels("tfjs"))]);
      expect(a.shape).toEqual(image.shape.slice(0, 3));
      expect(a.affine).toEqual(image.affine);
      if (engines.length === 1) return;
      const b = await readNifti(labels("onnx"));
      let same = 0;
      for (let i = 0; i < a.data.length; i++) if (a.data[i] === b.data[i]) same++;
      expect(same / a.data.length, "ONNX Runtime's labels equal TensorFlow.js's").toBeGreaterThanOrEqual(0.995);
    }, 300_000);
  }

  it("refuses a ViT head on a Swin encoder before training (exit 2)", async () => {
    const r = await cli("train", "--data", data, "--init", "random", "--encoder", "swin-tiny", "--decoder", "setr-pup", "-o", join(dir, "refused"), ...common.filter((a, i, all) => a !== "--decoder-channels" && all[i - 1] !== "--decoder-channels"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/decoder "setr-pup" needs a ViT\/BEiT encoder \(one token grid\), not the hierarchical "swin": use decoder "upernet-swint"/);
  }, 120_000);
});

