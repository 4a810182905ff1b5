import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCheckpoint, readSafetensorsHeader } from "@transseg/weights";
import { initBackend } from "@transseg/vit3d";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinBudgets, quickBudget, quickSwinBudget, type StudyBudget } from "./budgets.js";
import { BUNDLED_ENCODERS } from "./bundled.js";
import { pretrain2d } from "./pretrain.js";
import type { StudyJob } from "./jobs.js";
import { jobTrainOptions } from "./run-job.js";
import { runStudy } from "./run-study.js";
import { builtinVariants } from "./variants.js";
import { budgetForEncoder, TINY_SWIN } from "./swin.js";

// `transseg-bench run --encoder swin`: the quick table with a tiny Swin (budget quick-swin) — a
// 2D Swin pre-trained the bench's way, inflated for "ours" / taken as it is for "2d", a random
// tiny Swin for "random", upernet-swint everywhere. Here on a unit-test budget (2 steps of one
// 32×32 window) with every variant on one dataset.
const tinySwinBudget = {
  ...quickSwinBudget,
  id: "tiny-swin",
  train: { img: [32, 32], steps: 2, batch: 1, lr: 1e-3, warmup: 1, dropout: 0, foregroundProbability: 0.9, valEvery: 0, valCases: 1, saveEvery: 100, logEvery: 1, workers: 0, decoderChannels: 8 },
  synth: { cases: 5, size: 32, depth: 6 },
  seeds: [0],
  sources: [],
  processes: 1,
} as const satisfies StudyBudget;

describe("the Swin study (--encoder swin)", () => {
  it("--encoder swin selects quick-swin: the quick budget's data and recipe with the tiny Swin and its bundled 2D source", () => {
    expect(budgetForEncoder("quick", "swin")).toBe("quick-swin");
    expect(budgetForEncoder("quick", undefined)).toBe("quick");
    expect(budgetForEncoder("standard", "beit")).toBe("standard");
    expect(() => budgetForEncoder("standard", "swin")).toThrow('--encoder swin: budget "standard" has no Swin version (quick has: quick-swin)');
    expect(() => budgetForEncoder("quick", "vit")).toThrow('--encoder must be beit or swin (got "vit")');
    expect(builtinBudgets["quick-swin"]).toBe(quickSwinBudget);
    // the decoder width its description names, for every variant's jobs (not upernet-swint's default 512)
    expect(quickSwinBudget.description).toContain(`upernet-swint(${quickSwinBudget.train.decoderChannels})`);
    for (const variant of ["ours", "2d", "random"] as const) {
      const source = variant === "random" ? null : "swin-medical";
      const job: StudyJob = { key: `ACDC/${variant}/s0`, dataset: "ACDC", column: variant, label: variant, variant, source, strategy: null, seed: 0, index: 0 };
      const settings = { steps: null, splitSeed: 1234 } as unknown as Parameters<typeof jobTrainOptions>[1]["settings"];
      const ctx = { settings, budget: quickSwinBudget, variant: builtinVariants[variant], source: source ? { name: source, file: BUNDLED_ENCODERS[source] } : null };
      expect(jobTrainOptions(job, ctx as Parameters<typeof jobTrainOptions>[1]).decoderChannels).toBe(64);
    }
    expect(quickSwinBudget).toMatchObject({ train: { ...quickBudget.train, decoderChannels: 64 }, synth: quickBudget.synth, seeds: quickBudget.seeds, randomEncoder: TINY_SWIN, sources: ["swin-medical"] });
  });

  it("the bundled 2D Swin: TransSeg's names, a one-channel Conv2d patch kernel, its recipe", async () => {
    expect(existsSync(BUNDLED_ENCODERS["swin-medical"])).toBe(true);
    const c = await readCheckpoint(BUNDLED_ENCODERS["swin-medical"]);
    expect(c.tensors.get("patch_embed.proj.weight")!.shape).toEqual([16, 1, 4, 4]);
    expect(c.tensors.get("layers.2.blocks.1.attn.relative_position_bias_table")!.shape).toEqual([169, 4]);
    expect(JSON.parse(readSafetensorsHeader(BUNDLED_ENCODERS["swin-medical"]).metadata.transseg_pretrain!)).toMatchObject({ kind: "medical-like", encoder: TINY_SWIN });
  });

  describe("a run", () => {
    const root = mkdtempSync(join(tmpdir(), "bench-swin-"));
    const ckpt = join(root, "swin2d.safetensors");
    beforeAll(async () => {
      await initBackend("wasm", { threads: 1 });
      await pretrain2d({ out: ckpt, work: join(root, "pretrain"), steps: 1, cases: 3, size: 32, encoder: TINY_SWIN, img: [32, 32], batch: 1, decoderChannels: 8 });
    }, 120_000);

    it("ours, 2d and random train and evaluate with Swin encoders and upernet-swint", async () => {
      const r = await runStudy({
        budget: "tiny-swin",
        datasets: ["Task04_Hippocampus"],
        variants: ["ours", "2d", "random"],
        seeds: [3],
        pretrained: ckpt,
        backend: "wasm",
        threads: 1,
        log: () => {},
        registries: { budgets: { ...builtinBudgets, "tiny-swin": tinySwinBudget } },
        out: join(root, "study"),
      });
      expect(r.results.missing).toEqual([]);
      expect(r.ran).toEqual(["Task04_Hippocampus/ours@pretrained/s3", "Task04_Hippocampus/2d@pretrained/s3", "Task04_Hippocampus/random/s3"]);
      for (const key of r.ran) {
        const cfg = JSON.parse(readSafetensorsHeader(join(root, "study", "runs", ...key.split("/"), "last.safetensors")).metadata.transseg!);
        expect(cfg.encoder, key).toMatchObject({ kind: "swin", embed_dim: 16, depths: [1, 1, 2, 1] });
        expect(cfg.decoder, key).toMatchObject({ kind: "upernet-swint", channels: 8 });
      }
      const ours = r.results.jobs.find((j) => j.key === "Task04_Hippocampus/ours@pretrained/s3")!;
      expect(ours.train).toMatchObject({ variant: "3d", init: "checkpoint", inflation: "center" });
      expect(Object.keys(ours.dice)).toEqual(["1", "2"]);
    }, 300_000);
  });
});
