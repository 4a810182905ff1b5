import { describe, expect, it } from "vitest";
import { resizeBicubic } from "./bicubic.js";
import { resizeRelativePositionBiasTable } from "./relative-position-bias.js";
import { randomFloat32 } from "./testing/random.js";

/** What the reference model's relative_position_index looks up for tokens i, j (no cls) of a (gd, gh, gw) grid. */
function tableRow(i: number, j: number, [gd, gh, gw]: readonly [number, number, number]): number {
  const coord = (t: number) => [Math.floor(t / (gh * gw)), Math.floor(t / gw) % gh, t % gw] as const;
  const [di, hi, wi] = coord(i);
  const [dj, hj, wj] = coord(j);
  return (di - dj + gd - 1) * (2 * gh - 1) * (2 * gw - 1) + (hi - hj + gh - 1) * (2 * gw - 1) + (wi - wj + gw - 1);
}

describe("resizeRelativePositionBiasTable", () => {
  const heads = 2;
  it("resizes the grid part per head, tiles it 2Gd-1 times, appends the 3 extra rows", () => {
    const table = randomFloat32((7 * 7 + 3) * heads, 1); // source grid 4x4
    const r = resizeRelativePositionBiasTable(table, [52, heads], [3, 2], 2);
    expect(r.sourceGrid).toEqual([4, 4]);
    const core = resizeBicubic(table.subarray(0, 49 * heads), [7, 7], [5, 3], heads);
    expect(r.shape).toEqual([3 * 15 + 3, heads]);
    for (let t = 0; t < 3; t++) expect([...r.data.subarray(t * core.length, (t + 1) * core.length)]).toEqual([...core]);
    expect([...r.data.subarray(3 * core.length)]).toEqual([...table.subarray(49 * heads)]);
  });
  it("gives a depth-invariant bias: tokens at any two depths see the 2D bias of their (h, w) offset", () => {
    const table = randomFloat32((7 * 7 + 3) * heads, 2);
    const r = resizeRelativePositionBiasTable(table, [52, heads], [4, 4], 3); // same grid: no resize
    const g3 = [3, 4, 4] as const;
    const g2 = [1, 4, 4] as const;
    for (let i = 0; i < 48; i += 5) {
      for (let j = 0; j < 48; j += 3) {
        const row3 = tableRow(i, j, g3);
        const row2 = tableRow(i % 16, j % 16, g2);
        for (let h = 0; h < heads; h++) expect(r.data[row3 * heads + h]).toBe(table[row2 * heads + h]);
      }
    }
  });
  it("rejects tables whose grid part is not an odd square", () => {
    expect(() => resizeRelativePositionBiasTable(new Float32Array(10 * heads), [10, heads], [2, 2], 1)).toThrow(/7 is not a square number/);
    expect(() => resizeRelativePositionBiasTable(new Float32Array(19 * heads), [19, heads], [2, 2], 1)).toThrow(/4x4 square; expected an odd side/);
  });
});
