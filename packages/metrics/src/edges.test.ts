import { describe, expect, it } from "vitest";
import { surfaceEdges } from "./edges.js";
import { bruteForceEdges, randomBlobs } from "./testing/index.js";

const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

describe("surfaceEdges: mask XOR erode(mask), cross element, border counts", () => {
  it("a 3x3x3 cube inside the array: all but the centre", () => {
    const shape = [5, 5, 5];
    const m = new Uint8Array(125);
    for (let z = 1; z < 4; z++) for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) m[x + 5 * (y + 5 * z)] = 1;
    const e = surfaceEdges(m, { shape });
    expect(count(e)).toBe(26);
    expect(e[2 + 5 * (2 + 5 * 2)]).toBe(0);
  });

  it("voxels on the array border are edges (outside counts as background)", () => {
    expect(count(surfaceEdges(new Uint8Array(64).fill(1), { shape: [4, 4, 4] }))).toBe(64 - 8);
    expect(count(surfaceEdges(new Uint8Array(27).fill(1), { shape: [3, 3, 3] }))).toBe(26);
    expect(count(surfaceEdges(new Uint8Array(5).fill(1), { shape: [5] }))).toBe(2);
  });

  it("the cross, not the full neighbourhood: diagonal gaps do not make edges (2D plus)", () => {
    // 5x5 with a full 3x3 block whose centre has all 4 axis neighbours: only the centre is interior
    const m = new Uint8Array(25);
    for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) m[x + 5 * y] = 1;
    m[1 + 5 * 1] = 0; // remove a corner: the centre keeps its 4 axis neighbours
    const e = surfaceEdges(m, { shape: [5, 5] });
    expect(e[2 + 5 * 2]).toBe(0);
    expect(count(e)).toBe(7);
  });

  it("one label of a label volume", () => {
    const v = new Int16Array([0, 2, 2, 2, 1, 2, 2]);
    expect(Array.from(surfaceEdges(v, { shape: [7], label: 2 }))).toEqual([0, 1, 0, 1, 0, 1, 1]);
  });

  it("equals the brute-force definition on random 2D and 3D masks", () => {
    for (const [shape, seed] of [[[13, 9], 1], [[7, 8, 6], 2], [[5, 4, 3], 3]] as const) {
      const m = randomBlobs(shape, 1, seed, 0.05);
      expect(Array.from(surfaceEdges(m, { shape }))).toEqual(Array.from(bruteForceEdges(m, shape)));
    }
  });
});
