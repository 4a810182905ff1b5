import * as tf from "@tensorflow/tfjs";
import { getProfile } from "@transseg/datasets";
import { readSafetensors, toFloat32 } from "@transseg/weights";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { fixture, HAVE_SHARED_FIXTURES, SHARED_FIXTURES } from "@transseg/model/testing";
import { builtinStrategies, type InflationStrategy } from "@transseg/inflate";
import { copyFileSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initModel, keepSpec, modelSpec } from "./init-model.js";
import { diceFocalLoss } from "./losses/dice-focal.js";
import { resolveTrainOptions, type TrainOptions } from "./options.js";
import { TrainStepper } from "./step.js";

const profile = getProfile("Task09_Spleen");
const labels = ["background", "spleen"];
const opts = (o: Partial<TrainOptions>) => resolveTrainOptions({ data: "unused", out: "unused", img: [32, 32], ...o }, profile);

beforeAll(() => initBackend("wasm", { threads: 1 })); // cpu is ~20x slower for the training step

describe.skipIf(!HAVE_SHARED_FIXTURES)(`init from the 2D fixture ${SHARED_FIXTURES}/beit2d.safetensors (RGB, 224 px)`, () => {
  // Channel adaptation sums the RGB kernels (then / 1 channel); centering puts the result in
  // the centre slice of the 3D kernel ("Ours") or in the only slice of the 2d variant.
  // The describe body runs even when skipped: read the fixture only when it is there.
  const w2d = HAVE_SHARED_FIXTURES ? readSafetensors(fixture("beit2d.safetensors")).tensors.get("patch_embed.proj.weight") : undefined;
  const summed = () => {
    const [o, c, p] = w2d!.shape as [number, number, number];
    const w = toFloat32(w2d!);
    const out = new Float32Array(o * p * p);
    for (let i = 0; i < o; i++) for (let ch = 0; ch < c; ch++) for (let j = 0; j < p * p; j++) out[i * p * p + j]! += w[(i * c + ch) * p * p + j]!;
    return out;
  };

  for (const variant of ["3d", "2d"] as const) {
    it(`${variant}: inflated patch kernel, architecture read from the checkpoint`, async () => {
      const { model, config } = await initModel(opts({ init: "checkpoint", checkpoint: fixture("beit2d.safetensors"), variant }), profile, labels);
      // modelSpec: the same config and the encoder weights the model holds, with no tensor made
      const before = tf.memory().numTensors;
      const spec = await modelSpec(opts({ init: "checkpoint", checkpoint: fixture("beit2d.safetensors"), variant }), profile, labels);
      expect(tf.memory().numTensors).toBe(before);
      expect(spec.config).toEqual(config);
      expect(spec.encoder!.get("patch_embed.proj.weight")!.shape).toEqual(model.toTensorMap().get("encoder.patch_embed.proj.weight")!.shape);
      expect(Array.from(toFloat32(spec.encoder!.get("patch_embed.proj.weight")!))).toEqual(Array.from(toFloat32(model.toTensorMap().get("encoder.patch_embed.proj.weight")!)));
      expect(config.encoder).toMatchObject({ kind: "beit", dim: 64, depth: 4, heads: 4, mlp_ratio: 4, patch: 16, force_2d: variant === "2d", in_channels: 1 });
      expect(config.decoder).toMatchObject({ channels: 64, layer_idxs: [0, 1, 2, 3] });
      expect(config.inflation).toBe("center");
      const k = model.toTensorMap().get("encoder.patch_embed.proj.weight")!;
      const depth = variant === "3d" ? 5 : 1;
      expect(k.shape).toEqual([64, 1, depth, 16, 16]);
      const got = toFloat32(k);
      const want = summed();
      const centre = Math.floor(depth / 2);
      let maxErr = 0;
      let offCentre = 0;
      for (let o = 0; o < 64; o++)
        for (let d = 0; d < depth; d++)
          for (let j = 0; j < 256; j++) {
            const v = got[(o * depth + d) * 256 + j]!;
            if (d === centre) maxErr = Math.max(maxErr, Math.abs(v - want[o * 256 + j]!));
            else offCentre = Math.max(offCentre, Math.abs(v));
          }
      expect(maxErr).toBeLessThan(1e-6);
      expect(offCentre).toBe(0);
      model.dispose();
    });
  }

  it("keepSpec: the next initModel with the same inputs takes the kept spec (no second read and inflation), once", async () => {
    let calls = 0;
    const center = builtinStrategies.center as InflationStrategy;
    const counting: InflationStrategy = { ...center, inflate: (kernel, shape, depth, options) => (calls++, center.inflate(kernel, shape, depth, options)) };
    const registries = { strategies: { ...builtinStrategies, center: counting } };
    const dir = mkdtempSync(join(tmpdir(), "keep-spec-"));
    try {
      const file = join(dir, "beit2d.safetensors");
      copyFileSync(fixture("beit2d.safetensors"), file);
      const o = opts({ init: "checkpoint", checkpoint: file });
      const spec = await keepSpec(o, profile, labels, registries);
      expect(calls).toBe(1);
      const first = await initModel(o, profile, labels, { ...registries }); // same registry objects, another wrapper
      expect(calls).toBe(1);
      expect(first.config).toEqual(spec.config);
      first.model.dispose();
      (await initModel(o, profile, labels, registries)).model.dispose(); // taken once: computed again
      expect(calls).toBe(2);
      // anything different computes afresh: other options, other registries, a touched checkpoint
      await keepSpec(o, profile, labels, registries);
      (await initModel(opts({ init: "checkpoint", checkpoint: file, seed: 9 }), profile, labels, registries)).model.dispose();
      expect(calls).toBe(4);
      await keepSpec(o, profile, labels, registries);
      (await initModel(o, profile, labels, { strategies: { ...registries.strategies } })).model.dispose();
      expect(calls).toBe(6);
      await keepSpec(o, profile, labels, registries);
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      (await initModel(o, profile, labels, registries)).model.dispose();
      expect(calls).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a 3D (already inflated) checkpoint of the wrong depth is refused with the file named", async () => {
    await expect(initModel(opts({ init: "checkpoint", checkpoint: fixture("beit2d_to3d_center.safetensors"), variant: "2d", img: [64, 64] }), profile, labels)).rejects.toThrow(
      /beit2d_to3d_center\.safetensors.*patch kernel depth 5 does not fit the 2d model \(needs 1\)/,
    );
  });
});

describe("training step", () => {
  it("random init from a preset-free tiny encoder; tensors stay flat over steps", async () => {
    const { model } = await initModel(opts({ encoder: { kind: "vit", dim: 32, depth: 2, heads: 2 } }), profile, labels);
    const stepper = new TrainStepper(model, { loss: diceFocalLoss });
    const batch = { image: Float32Array.from({ length: 2 * 5 * 32 * 32 }, (_, i) => Math.sin(i)), label: Int32Array.from({ length: 2 * 32 * 32 }, (_, i) => (i % 32 > 16 ? 1 : 0)), shape: [2, 1, 5, 32, 32] as const };
    const counts: number[] = [];
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) {
      losses.push(stepper.step([batch, batch], 1e-3).loss);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1)).size).toBe(1); // moments are created on the first step
    expect(losses[3]!).toBeLessThan(losses[0]!);
    stepper.dispose();
    model.dispose();
  });

  it("bad options fail with one line naming the option", () => {
    expect(() => opts({ window: 4 })).toThrow("train: window must be odd (got 4)");
    expect(() => opts({ batch: 0 })).toThrow("train: batch must be a positive integer (got 0)");
    expect(() => opts({ init: "checkpoint" })).toThrow('train: init "checkpoint" needs checkpoint');
    expect(() => opts({ preset: "beit-bse" })).toThrow(/unknown encoder preset "beit-bse".*did you mean "beit-base"\?/);
  });
});
