import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getProfile, synthesizeDataset } from "@transseg/datasets";
import { readCheckpoint } from "@transseg/weights";
import { initBackend } from "@transseg/vit3d";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinBudgets, type StudyBudget } from "./budgets.js";
import { mergeStudies } from "./merge.js";
import { pretrain2d } from "./pretrain.js";
import type { StudyResults } from "./results.js";
import { withoutTiming } from "./results.js";
import { runStudy } from "./run-study.js";

const ENCODER = { kind: "beit", dim: 16, depth: 2, heads: 2, mlp_ratio: 2, patch: 8 } as const;

/** A budget small enough for a unit test: 2 steps of one 32×32 window, 5 cases of 32×32×6. */
const tinyBudget = {
  id: "tiny",
  description: "unit-test budget",
  train: { img: [32, 32], steps: 2, batch: 1, lr: 1e-3, warmup: 1, dropout: 0, foregroundProbability: 0.9, valEvery: 0, valCases: 1, saveEvery: 100, logEvery: 1, workers: 0 },
  randomEncoder: ENCODER,
  randomPreset: null,
  synth: { cases: 5, size: 32, depth: 6 },
  bundledCheckpoint: false,
  predictBatch: 8,
  processes: 1,
} as const satisfies StudyBudget;

const registries = { budgets: { ...builtinBudgets, tiny: tinyBudget } };
const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as StudyResults;

describe("study: pre-train, run, shard + merge", () => {
  const root = mkdtempSync(join(tmpdir(), "bench-study-"));
  const ckpt = join(root, "enc2d.safetensors");
  const common = { budget: "tiny", datasets: ["Task04_Hippocampus", "Task05_Prostate"], variants: ["ours", "random"], seed: 7, pretrained: ckpt, backend: "wasm", threads: 1, log: () => {}, registries };

  beforeAll(async () => {
    await initBackend("wasm", { threads: 1 });
    await pretrain2d({ out: ckpt, work: join(root, "pretrain"), stepsPerProfile: 1, cases: 3, size: 32, encoder: ENCODER, img: [32, 32], batch: 1 });
  });

  it("pre-training keeps only the 2D encoder, in canonical BEiT names, one input channel, with its recipe", async () => {
    const c = await readCheckpoint(ckpt);
    const names = [...c.tensors.keys()];
    expect(names.every((n) => !n.startsWith("encoder.") && !n.startsWith("decoder."))).toBe(true);
    expect(names).toContain("cls_token");
    expect(names).toContain("blocks.1.attn.relative_position_bias_table");
    expect(c.tensors.get("patch_embed.proj.weight")?.shape).toEqual([16, 1, 8, 8]);
    const meta = JSON.parse(c.metadata.transseg_pretrain!) as { format: string; profiles: string[]; stages: { steps: number }[] };
    expect(meta).toMatchObject({ format: "transseg-pretrain-2d/1", profiles: ["BTCV"], stages: [{ profile: "BTCV", steps: 1 }] });
  });

  it("shard 0/2 + shard 1/2 merged give the same results.json as one unsharded run (timing aside)", async () => {
    const whole = join(root, "whole");
    const r = await runStudy({ ...common, out: whole });
    expect(r.ran).toEqual(["Task04_Hippocampus/ours", "Task04_Hippocampus/random", "Task05_Prostate/ours", "Task05_Prostate/random"]);
    expect(r.results.missing).toEqual([]);
    const s0 = await runStudy({ ...common, out: join(root, "s0"), shard: { index: 0, count: 2 } });
    const s1 = await runStudy({ ...common, out: join(root, "s1"), shard: { index: 1, count: 2 } });
    expect(s0.ran).toEqual(["Task04_Hippocampus/ours", "Task05_Prostate/ours"]);
    expect(s1.ran).toEqual(["Task04_Hippocampus/random", "Task05_Prostate/random"]);
    expect(s0.results.missing).toEqual(s1.ran);
    const merged = mergeStudies([join(root, "s0"), join(root, "s1")], join(root, "merged"), registries);
    expect(merged.results.missing).toEqual([]);
    expect(withoutTiming(readResults(join(root, "merged")))).toEqual(withoutTiming(readResults(whole)));

    const a = readResults(whole);
    const job = a.jobs.find((j) => j.key === "Task05_Prostate/ours")!;
    expect(job).toMatchObject({ variant: "ours", label: "Ours", strategy: "center", data: "synthetic", steps: 2, seeds: { train: 7, split: 1234 } });
    expect(Object.keys(job.dice)).toEqual(["1", "2"]);
    expect(job.train).toMatchObject({ variant: "3d", init: "checkpoint", checkpoint: ckpt, inflation: "center", img: [32, 32] });
    expect(a.jobs.find((j) => j.key === "Task05_Prostate/random")!.train).toMatchObject({ variant: "2d", init: "random", encoder: ENCODER });
    for (const f of ["results.md", "report.html"]) expect(existsSync(join(root, "merged", f))).toBe(true);
    expect(readFileSync(join(root, "merged", "report.html"), "utf8")).toContain("data:image/png;base64,");
  });

  it("uses <root>/<TaskName>/dataset.json when present (real data: the paper's numbers beside ours)", async () => {
    const realRoot = join(root, "msd");
    await synthesizeDataset({ profile: getProfile("Task04_Hippocampus"), outDir: join(realRoot, "Task04_Hippocampus"), cases: 5, testCases: 0, size: 32, depth: 6, seed: 99 });
    const r = await runStudy({ ...common, datasets: ["Task04_Hippocampus"], variants: ["ours"], root: realRoot, out: join(root, "real") });
    expect(r.results.jobs[0]).toMatchObject({ key: "Task04_Hippocampus/ours", data: "real", seeds: { data: null } });
    expect(existsSync(join(root, "real", "data"))).toBe(false);
    const md = readFileSync(join(root, "real", "results.md"), "utf8");
    expect(md).toContain("| dataset | data | Ours | paper Ours |");
    expect(md).toMatch(/\| Task04_Hippocampus \| real \| \d+\.\d\d \| 86\.83 \|/);
  });

  it("a second run in the same folder keeps finished jobs; a different study there is refused", async () => {
    const again = await runStudy({ ...common, out: join(root, "s0"), shard: { index: 0, count: 2 } });
    expect(again.ran).toEqual([]);
    expect(again.reused).toHaveLength(2);
    await expect(runStudy({ ...common, seed: 8, out: join(root, "s0") })).rejects.toThrow(/study\.json: the folder holds a different study/);
    expect(() => mergeStudies([join(root, "s0"), join(root, "pretrain")], join(root, "m2"), registries)).toThrow(/pretrain\/study\.json: not found/);
  });
});
