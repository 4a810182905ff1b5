import { getProfile, synthesizeDataset } from "@transseg/datasets";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init-backend.js";
import { TINY_SYNTH_RECIPE } from "./recipes.js";
import { train } from "./trainer.js";

// The must-show of training: TINY_SYNTH_RECIPE (random init, 3d variant) on a synthetic
// Task09_Spleen dataset reaches a validation Dice far above chance within its few hundred steps.
// Measured runs reach TINY_SYNTH_RECIPE.reference.valDice; the threshold leaves a margin for
// backend differences and is never lowered to make a run pass.
const MIN_DICE = 0.75;
const dir = mkdtempSync(join(tmpdir(), "transseg-converge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("convergence on synthetic spleen data", () => {
  it(`TINY_SYNTH_RECIPE reaches validation Dice ≥ ${MIN_DICE}`, async () => {
    await initBackend("wasm", { threads: 2 });
    const d = TINY_SYNTH_RECIPE.dataset;
    const data = join(dir, d.task);
    await synthesizeDataset({ profile: getProfile(d.task), outDir: data, size: d.size, cases: d.cases, testCases: d.testCases, seed: d.seed });
    const dice: number[] = [];
    const r = await train({ ...TINY_SYNTH_RECIPE.train, data, out: join(dir, "run") }, { onValidation: (v) => dice.push(v.val_dice) });
    console.log(`convergence: val Dice ${dice.map((v) => v.toFixed(3)).join(" → ")} in ${r.seconds.toFixed(0)} s`);
    expect(r.stopped).toBe("completed");
    expect(dice.at(-1)).toBeGreaterThanOrEqual(MIN_DICE);
  }, 1_800_000);
});
