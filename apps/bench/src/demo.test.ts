import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoTrainOptions, runDemo } from "./demo.js";
import { BUNDLED_ENCODERS } from "./study/bundled.js";

describe("transseg-bench demo", () => {
  it("starts from the bundled 2D encoder, inflated, with vit3d's tiny recipe", () => {
    const o = demoTrainOptions();
    expect(existsSync(BUNDLED_ENCODERS.medical)).toBe(true);
    expect(o).toMatchObject({ init: "checkpoint", checkpoint: BUNDLED_ENCODERS.medical, steps: 300, valEvery: 300 });
    expect(o).not.toHaveProperty("encoder");
  });

  it("synthesizes, trains, predicts the held-out split and prints a Dice / HD95 table (shortened run)", async () => {
    const out = mkdtempSync(join(tmpdir(), "demo-"));
    const logs: string[] = [];
    const r = await runDemo({ out, cases: 5, size: 32, steps: 2, backend: "wasm", log: (m) => logs.push(m), trainOverrides: { batch: 2, workers: 0 } });
    expect(logs.some((l) => l.includes("[4/4] evaluating"))).toBe(true);
    expect(r.table.split("\n")[0]).toBe("| case | class | Dice | HD95 (mm) |");
    expect(r.table).toMatch(/\| mean \| spleen \| [\d.]+ \| ([\d.]+|inf|-) \|/);
    expect(readdirSync(join(out, "predictions")).length).toBeGreaterThan(0);
    expect(existsSync(join(r.runDir, "best.safetensors"))).toBe(true);
  }, 120_000);
});
