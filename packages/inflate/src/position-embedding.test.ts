import { describe, expect, it } from "vitest";
import { resizeBicubic } from "./bicubic.js";
import { resizePositionEmbedding } from "./position-embedding.js";
import { randomFloat32 } from "./testing/random.js";

describe("resizePositionEmbedding", () => {
  const dim = 3;
  it("keeps extra tokens first, resizes the grid, repeats it over depth in (d, h, w) order", () => {
    for (const extra of [0, 1, 2]) {
      const pe = randomFloat32((extra + 16) * dim, extra + 1); // 4x4 source grid
      const r = resizePositionEmbedding(pe, [1, extra + 16, dim], { extraTokens: extra, grid: [3, 5], depthGrid: 2 });
      expect(r.shape).toEqual([1, extra + 2 * 15, dim]);
      expect(r.sourceGrid).toEqual([4, 4]);
      expect([...r.data.subarray(0, extra * dim)]).toEqual([...pe.subarray(0, extra * dim)]);
      const grid = resizeBicubic(pe.subarray(extra * dim), [4, 4], [3, 5], dim);
      expect([...r.data.subarray(extra * dim, extra * dim + 15 * dim)]).toEqual([...grid]);
      expect([...r.data.subarray(extra * dim + 15 * dim)]).toEqual([...grid]);
    }
  });
  it("is the identity for the same grid and one depth token", () => {
    const pe = randomFloat32(17 * dim, 9);
    expect([...resizePositionEmbedding(pe, [1, 17, dim], { extraTokens: 1, grid: [4, 4], depthGrid: 1 }).data]).toEqual([...pe]);
  });
  it("fails clearly on a grid that is not square or a bad shape", () => {
    expect(() => resizePositionEmbedding(new Float32Array(16 * dim), [1, 16, dim], { extraTokens: 1, grid: [2, 2], depthGrid: 1 }))
      .toThrow(/pos_embed grid tokens \(16 - 1 extra\): 15 is not a square number/);
    expect(() => resizePositionEmbedding(new Float32Array(6), [2, 1, 3], { extraTokens: 1, grid: [2, 2], depthGrid: 1 })).toThrow(/\[1, tokens, dim\]/);
    expect(() => resizePositionEmbedding(new Float32Array(6), [1, 5, 3], { extraTokens: 1, grid: [2, 2], depthGrid: 1 })).toThrow(/6 values but shape \[1, 5, 3\] needs 15/);
  });
});
