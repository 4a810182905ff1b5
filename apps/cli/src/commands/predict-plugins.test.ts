import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readNifti, writeNifti } from "@transseg/datasets";
import { createSegmentationModel, initBackend } from "@transseg/vit3d";
import { beforeAll, describe, expect, it } from "vitest";
import { myHead } from "../../test-plugins/every-kind.js";
import { cli, scratch } from "../test-helpers.js";

const plugin = resolve(import.meta.dirname, "../../test-plugins/every-kind.ts");

describe("transseg predict / export with a plugin's decoder", () => {
  const dir = scratch("cli-predict-plugins-");
  const checkpoint = join(dir, "my-head.safetensors");
  const volume = join(dir, "vol.nii.gz");

  beforeAll(async () => {
    await initBackend("cpu");
    const model = createSegmentationModel(
      { encoder: { kind: "beit", dim: 16, depth: 2, heads: 2, patch: 8, img: [32, 32], window: 3, in_channels: 1 }, decoder: { kind: "my-head", channels: 8, layer_idxs: [0, 1, 1, 1] }, classes: 2 },
      { decoders: { "my-head": myHead } },
    );
    model.saveCheckpoint(checkpoint);
    model.dispose();
    await writeNifti(volume, { data: Float32Array.from({ length: 20 * 24 * 4 }, (_, i) => (i % 13) / 13), shape: [20, 24, 4] });
  }, 60_000);

  it("predict: a checkpoint whose head is a plugin's runs on TensorFlow.js with --plugin", async () => {
    const out = join(dir, "pred.nii.gz");
    const r = await cli("predict", "--checkpoint", checkpoint, "--input", volume, "--output", out, "--backend", "cpu", "--clip", "0,1", "--plugin", plugin);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("decoder my-head");
    expect(r.stderr).toContain('engine: tfjs (decoder "my-head" has no ONNX export)');
    expect((await readNifti(out)).shape).toEqual([20, 24, 4]);
  }, 60_000);

  it("without the plugin the decoder is unknown: exit 2, one line naming the checkpoint", async () => {
    const out = join(dir, "none.nii.gz");
    const r = await cli("predict", "--checkpoint", checkpoint, "--input", volume, "--output", out, "--engine", "tfjs", "--backend", "cpu", "--clip", "0,1", "--quiet");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^transseg: .*my-head\.safetensors: unknown decoder "my-head"/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("export: a plugin's head has no ONNX export, said in one line", async () => {
    const r = await cli("export", "--checkpoint", checkpoint, "--onnx", join(dir, "m.onnx"), "--plugin", plugin, "--quiet");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^transseg: .*my-head\.safetensors: unknown ONNX decoder "my-head": did you mean "[a-z-]+"\? \(known: upernet, [^)]*\)\n$/);
    expect(existsSync(join(dir, "m.onnx"))).toBe(false);
  }, 60_000);
});
