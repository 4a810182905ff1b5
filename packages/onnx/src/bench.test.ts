import { describe, expect, it } from "vitest";
import { benchmarkOnnx } from "./bench.js";

describe("benchmarkOnnx", () => {
  it("times each batch size on a tiny model, interleaving the baseline after every run", async () => {
    const calls: number[] = [];
    const r = await benchmarkOnnx({
      config: { encoder: { kind: "vit", dim: 16, depth: 1, heads: 2, img: [32, 32], window: 3 }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 0, 0, 0] }, classes: 2 },
      batches: [1, 2],
      runs: 2,
      threads: 1,
      baseline: async (b) => (calls.push(b), 0.5 * b),
    });
    expect(calls).toEqual([1, 1, 1, 2, 2, 2]); // one warm-up, then one per timed run
    expect(r.threads).toBe(1);
    expect(r.batches.map((b) => [b.batch, b.seconds.length, b.baselineSecondsPerSlice])).toEqual([[1, 2, 0.5], [2, 2, 0.5]]);
    for (const b of r.batches) expect(b.slicesPerSecond).toBeCloseTo(1 / b.secondsPerSlice, 9);
  });
});
