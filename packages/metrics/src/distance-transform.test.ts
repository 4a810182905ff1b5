import { describe, expect, it } from "vitest";
import { distanceTransform, squaredDistanceTransform } from "./distance-transform.js";
import { bruteForceDistanceTransform, seededRandom } from "./testing/index.js";

/** Relative tolerance: both sides sum the same terms in the same order; ties may pick another site. */
const TOL = 1e-12;

function randomFeatures(size: number, density: number, seed: number): Uint8Array {
  const rnd = seededRandom(seed);
  const m = new Uint8Array(size);
  for (let i = 0; i < size; i++) m[i] = rnd() < density ? 1 : 0;
  return m;
}

function expectClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    if (e === Number.POSITIVE_INFINITY) expect(actual[i]).toBe(e);
    else expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(TOL * Math.max(1, e));
  }
}

describe("distanceTransform: exact EDT against brute force", () => {
  const cases: [string, number[], number[]][] = [
    ["1D", [31], [0.7]],
    ["2D isotropic", [17, 23], [1, 1]],
    ["2D anisotropic", [19, 12], [0.7, 1.9]],
    ["3D anisotropic", [11, 9, 7], [0.8, 1.1, 2.5]],
    ["3D thin axis", [13, 3, 10], [1.3, 0.4, 0.9]],
    ["4D", [4, 5, 3, 4], [1, 2, 0.5, 1.5]],
  ];
  for (const [name, shape, spacing] of cases) {
    it(`${name} ${shape.join("x")} spacing ${spacing.join(",")}, sparse to dense`, () => {
      const size = shape.reduce((a, b) => a * b, 1);
      for (const [k, density] of [0.002, 0.02, 0.2, 0.7].entries()) {
        const f = randomFeatures(size, density, 100 + k);
        if (!f.includes(1)) f[Math.floor(size / 3)] = 1;
        expectClose(distanceTransform(f, { shape, spacing }), bruteForceDistanceTransform(f, shape, spacing));
      }
    });
  }

  it("a single feature gives exact squared distances", () => {
    const f = new Uint8Array(3 * 2 * 2);
    f[0] = 1; // (0, 0, 0)
    const sq = squaredDistanceTransform(f, { shape: [3, 2, 2], spacing: [2, 3, 5] });
    // (2, 1, 1): 4^2 + 3^2 + 5^2
    expect(sq[2 + 3 * (1 + 2 * 1)]).toBe(16 + 9 + 25);
    expect(sq[1]).toBe(4);
    expect(sq[0]).toBe(0);
  });

  it("no feature: Infinity everywhere; spacing defaults to 1", () => {
    expect(Array.from(distanceTransform(new Uint8Array(6), { shape: [3, 2] }))).toEqual(new Array(6).fill(Infinity));
    expect(Array.from(distanceTransform(new Uint8Array([0, 0, 1]), { shape: [3] }))).toEqual([2, 1, 0]);
  });
});
