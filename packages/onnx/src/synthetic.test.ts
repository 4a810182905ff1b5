import { describe, expect, it } from "vitest";
import { exportOnnx } from "./export.js";
import { gatherRelativeBias } from "./encoder-graph.js";
import { adaptivePoolMatrix } from "./pooling.js";
import { createOnnxSession } from "./session.js";
import { syntheticCheckpoint } from "./synthetic.js";
import { relativePositionIndex } from "@transseg/model";

const small = { encoder: { kind: "beit", dim: 16, depth: 2, heads: 2, img: [32, 64] as const, window: 3 }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 1, 0, 1] }, classes: 2 };

describe("syntheticCheckpoint", () => {
  it("is a transseg-seg/1 checkpoint, the same for the same seed", () => {
    const a = syntheticCheckpoint(small, 7);
    const b = syntheticCheckpoint(small, 7);
    const c = syntheticCheckpoint(small, 8);
    expect(JSON.parse(a.metadata.transseg!).format).toBe("transseg-seg/1");
    expect([...a.tensors.keys()]).toContain("encoder.blocks.1.attn.relative_position_bias_table");
    expect(a.tensors.get("decoder.fpn1.0.weight")!.shape).toEqual([16, 16, 2, 2]);
    for (const [k, e] of a.tensors) expect(e.read()).toEqual(b.tensors.get(k)!.read());
    expect(a.tensors.get("encoder.cls_token")!.read()).not.toEqual(c.tensors.get("encoder.cls_token")!.read());
    const v = a.tensors.get("decoder.bottleneck.bn.running_var")!.read() as Float32Array;
    expect(v.every((x) => x >= 0.5 && x < 1.5)).toBe(true);
  });

  it("exports and runs (non-square, window 3)", async () => {
    const s = await createOnnxSession(exportOnnx(syntheticCheckpoint(small, 1)), { threads: 1 });
    const out = await s.run(new Float32Array(3 * 32 * 64).fill(0.5), [1, 1, 3, 32, 64]);
    expect(out.shape).toEqual([1, 2, 32, 64]);
    expect(out.logits.every(Number.isFinite)).toBe(true);
    await s.release();
  });
});

describe("export-time helpers", () => {
  it("adaptive pooling bins follow PyTorch's rule (2 -> 6: overlapping single-input bins)", () => {
    expect(Array.from(adaptivePoolMatrix(2, 6))).toEqual([1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
    // 5 -> 3: bins [0,2) [1,4) [3,5)
    const m = adaptivePoolMatrix(5, 3);
    expect(Array.from(m).map((x) => +x.toFixed(6))).toEqual([0.5, 0.5, 0, 0, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0, 0, 0, 0, 0.5, 0.5].map((x) => +x.toFixed(6)));
  });

  it("the gathered relative bias is table[index] per head", () => {
    const grid = [2, 2, 3] as const;
    const rows = 3 * 3 * 5 + 3;
    const table = Float32Array.from({ length: rows * 2 }, (_, i) => i);
    const bias = gatherRelativeBias(table, 2, grid);
    const idx = relativePositionIndex(grid);
    for (let p = 0; p < idx.length; p++) for (let h = 0; h < 2; h++) expect(bias[h * idx.length + p]).toBe(idx[p]! * 2 + h);
  });
});
