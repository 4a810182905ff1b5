import { getProfile } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { initModel } from "./init-model.js";
import { resolveTrainOptions } from "./options.js";
import { TINY_SYNTH_RECIPE } from "./recipes.js";

describe("TINY_SYNTH_RECIPE", () => {
  it("names a known task and resolves into a patch-8 model whose logits match img", async () => {
    const profile = getProfile(TINY_SYNTH_RECIPE.dataset.task);
    const o = resolveTrainOptions({ ...TINY_SYNTH_RECIPE.train, data: "unused", out: "unused" }, profile);
    expect(o).toMatchObject({ steps: 400, batch: 8, lr: 3e-3, augment: false, init: "random", img: [64, 64] });
    const { model } = await initModel(o, profile, profile.labels);
    expect(model.grid).toEqual([1, 8, 8]);
    expect(model.config.decoder).toMatchObject({ kind: "upernet", channels: 32, dropout: 0.1 });
    model.dispose();
    expect(TINY_SYNTH_RECIPE.reference.valDice).toBeGreaterThan(0.75); // what convergence.slow.test.ts asserts
  });
});
