import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createSegmentationModel } from "../../load.js";
import type { SegmentationModel } from "../../model.js";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { diceFocalLoss } from "../losses/dice-focal.js";
import { TrainStepper, type MicroBatch } from "../step.js";
import { AdamW } from "./adamw.js";
import { resolvePlacement, runsOnHost } from "./placement.js";

// The host path (averaging, clipping, AdamW in float64 loops) against the tensor-op path, through
// TrainStepper on a small BEiT + UPerNet: after each of several steps (one and two micro-batches,
// decayed and non-decayed parameters, clipping active, inactive and off) parameters and BatchNorm
// statistics agree to 1e-6 relative to each tensor's largest value, the moments to 1e-5, the loss
// and gradient norm to 1e-6 / 1e-5 relative.

function model(): SegmentationModel {
  return createSegmentationModel(
    { encoder: { kind: "beit", dim: 16, depth: 2, heads: 2, patch: 8, window: 3, in_channels: 1, img: [32, 32] }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 1, 0, 1] }, classes: 2 },
    { seed: 5 },
  );
}

function batch(offset: number): MicroBatch {
  const [b, c, d, h, w] = [2, 1, 3, 32, 32] as const;
  return {
    image: Float32Array.from({ length: b * c * d * h * w }, (_, i) => Math.sin(0.37 * i + offset)),
    label: Int32Array.from({ length: b * h * w }, (_, i) => ((i % w) + offset > 14 && ((i / w) | 0) % h > 10 ? 1 : 0)),
    shape: [b, c, d, h, w],
  };
}

const STEPS: readonly (readonly MicroBatch[])[] = [[batch(0)], [batch(1), batch(2)], [batch(3)], [batch(4), batch(5)]];

describe("optimizer placement ids", () => {
  it("auto means host on cpu and wasm, backend elsewhere; unknown ids are refused", () => {
    expect(runsOnHost("auto", "cpu")).toBe(true);
    expect(runsOnHost("auto", "wasm")).toBe(true);
    expect(runsOnHost("auto", "tensorflow")).toBe(false);
    expect(runsOnHost("backend", "wasm")).toBe(false);
    expect(runsOnHost("host", "tensorflow")).toBe(true);
    expect(() => resolvePlacement("hots")).toThrow(/did you mean "host"/);
    expect(() => new AdamW([], { hostMaxValues: -1 })).toThrow("AdamW: hostMaxValues must be ≥ 0, got -1");
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`host and backend placement on ${backend}`, () => {
    beforeAll(() => initBackend(backend, { threads: 1 }));

    const cases = [
      ["clipping active", 0.05, Infinity],
      ["clipping inactive", 1e4, Infinity],
      ["clipping off", 0, Infinity],
      ["clipping active, parameters over 500 values as tensor ops", 0.05, 500],
      ["clipping off, every parameter as tensor ops with the scale folded in", 0, 0],
    ] as const;
    for (const [label, clipNorm, hostMaxValues] of cases) {
      it(`give the same parameters, moments and norms over ${STEPS.length} steps (${label})`, () => {
        const models = [model(), model()] as const;
        const steppers = (["backend", "host"] as const).map((placement, i) => new TrainStepper(models[i]!, { loss: diceFocalLoss, clipNorm, weightDecay: 0.05, placement, hostMaxValues }));
        expect(steppers.map((st) => st.optimizer.onHost())).toEqual([false, true]);
        const split = new Set(steppers[1]!.optimizer.updatesOnHost());
        expect(split).toEqual(new Set(hostMaxValues === Infinity ? [true] : hostMaxValues === 0 ? [false] : [true, false]));
        const names = models[0].params.names();
        const first = new Map(names.map((n) => [n, (models[0].params.get(n).dataSync() as Float32Array).slice()]));
        STEPS.forEach((batches, s) => {
          const [a, b] = steppers.map((st) => st.step(batches, 2e-3, 100 + s));
          expect(Math.abs(b!.loss - a!.loss)).toBeLessThan(1e-6 * Math.abs(a!.loss));
          expect(Math.abs(b!.gradNorm - a!.gradNorm)).toBeLessThan(1e-5 * a!.gradNorm);
          if (clipNorm === 0.05) expect(a!.gradNorm).toBeGreaterThan(0.05); // the clip applies
          if (clipNorm === 1e4) expect(a!.gradNorm).toBeLessThan(1e4);
          for (const name of names) expect(relativeMaxError(models[1].params.get(name).dataSync(), models[0].params.get(name).dataSync()), `step ${s}: ${name}`).toBeLessThan(1e-6);
          const [sa, sb] = steppers.map((st) => st.optimizer.getState());
          expect(sb!.step).toBe(s + 1);
          expect(sa!.step).toBe(s + 1);
          for (const [key, e] of sa!.tensors) expect(relativeMaxError(sb!.tensors.get(key)!.read() as Float32Array, e.read() as Float32Array), `step ${s}: ${key}`).toBeLessThan(1e-5);
          // Start the next step from identical states: gradients that are rounding noise (a conv
          // bias before BatchNorm) become O(1) Adam updates, so two runs drift apart chaotically
          // whatever the optimizer arithmetic; what is compared is one step of each path.
          for (const name of names) models[1].params.get(name).assign(models[0].params.get(name));
          steppers[1]!.optimizer.setState(sa!);
        });
        // weights, biases, norms, tables and running statistics all changed, decayed or not
        const moved = names.filter((n) => relativeMaxError(models[0].params.get(n).dataSync(), first.get(n)!) > 1e-4);
        expect(moved.length).toBeGreaterThan(0.9 * names.length);
        steppers.forEach((st) => st.dispose());
        models.forEach((m) => m.dispose());
      });
    }

    it("moments move between placements (setState, then either path) without a change in values", () => {
      const models = [model(), model()] as const;
      const a = new TrainStepper(models[0], { loss: diceFocalLoss, placement: "host", hostMaxValues: 500 });
      const b = new TrainStepper(models[1], { loss: diceFocalLoss, placement: "backend" });
      a.step(STEPS[0]!, 1e-3, 1);
      b.optimizer.setState(a.optimizer.getState());
      for (const [name, p] of models[0].params.entries()) models[1].params.get(name).assign(p.variable);
      a.step(STEPS[1]!, 1e-3, 2);
      b.step(STEPS[1]!, 1e-3, 2);
      for (const [name, p] of models[0].params.entries()) expect(relativeMaxError(models[1].params.get(name).dataSync(), p.variable.dataSync()), name).toBeLessThan(1e-6);
      [a, b].forEach((st) => st.dispose());
      models.forEach((m) => m.dispose());
    });
  });
}
