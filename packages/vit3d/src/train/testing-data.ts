import { getProfile, synthesizeDataset } from "@transseg/datasets";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TrainOptions } from "./options.js";

/** A small synthetic Task09_Spleen dataset (6 cases: 4 train, 1 val, 1 test) in a fresh temp folder. */
export async function tinySpleenDataset(size = 32): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "transseg-train-"));
  const data = join(dir, "Task09_Spleen");
  await synthesizeDataset({ profile: getProfile("Task09_Spleen"), outDir: data, size, cases: 6, testCases: 0 });
  return data;
}

/** A tiny, fast, deterministic run (the default dropout 0.1, seeded per step; loader in the calling thread). */
export function tinyRunOptions(data: string, out: string, overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    data,
    out,
    steps: 4,
    batch: 2,
    lr: 1e-3,
    warmup: 1,
    encoder: { kind: "beit", dim: 32, depth: 2, heads: 2 },
    img: [32, 32],
    workers: 0,
    logEvery: 1,
    valEvery: 0,
    saveEvery: 2,
    foregroundProbability: 0.5,
    ...overrides,
  };
}
