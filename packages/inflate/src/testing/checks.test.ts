// The kit must catch broken strategies: each check is run on a strategy with one defect.
import { describe, expect, it } from "vitest";
import { average } from "../strategies/average.js";
import { center } from "../strategies/center.js";
import { inflateWithDepthWeights, type InflationStrategy, type Kernel2dShape } from "../strategy.js";
import { checkConvIdentity, checkDeclaration, checkDepthWeights, checkDeterministic, checkInputUntouched, checkShapeLaw } from "./checks.js";

const base = {
  id: "broken",
  description: "a strategy with one defect, for testing the kit",
  identity: { statement: "w_k = 1/K", depthWeights: (k: number) => new Array<number>(k).fill(1 / k) },
  inflate: (x: Float32Array, s: Kernel2dShape, k: number) => average.inflate(x, s, k),
} satisfies InflationStrategy;

describe("conformance kit catches defects", () => {
  it("a well-formed strategy passes every check", () => {
    for (const check of [checkDeclaration, checkShapeLaw, checkInputUntouched, checkDeterministic, checkDepthWeights, checkConvIdentity]) check(base);
  });
  it("a bad id, a missing description, an unmarked beyond-the-paper strategy", () => {
    expect(() => checkDeclaration({ ...base, id: "Centre" })).toThrow(/lower-case/);
    expect(() => checkDeclaration({ ...base, description: "" })).toThrow(/needs a description/);
    expect(() => checkDeclaration({ ...base, beyondPaper: true })).toThrow(/must say "beyond the paper"/);
  });
  it("a wrong output size, K = 1 returning its input, K = 1 missing from the depths", () => {
    expect(() => checkShapeLaw({ ...base, inflate: (x, s, k) => average.inflate(x, s, Math.max(1, k - 1)) })).toThrow(/K=2.*returned/);
    expect(() => checkShapeLaw({ ...base, inflate: (x, s, k) => (k === 1 ? x : average.inflate(x, s, k)) })).toThrow(/shares memory/);
    expect(() => checkShapeLaw(base, { depths: [3, 5] })).toThrow(/K = 1/);
  });
  it("a strategy that scales its input in place", () => {
    const mutating = { ...base, inflate: (x: Float32Array, s: Kernel2dShape, k: number) => { x[0] = 0; return average.inflate(x, s, k); } };
    expect(() => checkInputUntouched(mutating)).toThrow(/modified its input kernel at 0/);
  });
  it("a non-deterministic strategy", () => {
    let calls = 0;
    const noisy = { ...base, inflate: (x: Float32Array, s: Kernel2dShape, k: number) => inflateWithDepthWeights(x, s, new Array<number>(k).fill(1 + 1e-3 * calls++)) };
    expect(() => checkDeterministic(noisy)).toThrow(/two calls differ/);
  });
  it("a declared identity the kernel does not satisfy", () => {
    const lying = { ...base, identity: center.identity };
    expect(() => checkDepthWeights(lying)).toThrow(/declared w_0 × kernel2d/);
    expect(() => checkConvIdentity(lying)).toThrow(/any window: output 0/);
    expect(() => checkDepthWeights({ ...base, identity: { statement: "x", depthWeights: () => [1] } })).toThrow(/must give 2 finite weights/);
  });
  it("a strategy whose kernel is not separable over depth fails the conv identity", () => {
    // Right weights on average, but the kernel at depth 0 is transposed in-plane: only the identity catches it.
    const transposed = {
      ...base,
      inflate(x: Float32Array, s: Kernel2dShape, k: number) {
        const out = average.inflate(x, s, k);
        if (k > 1 && s[2] === s[3]) {
          const p = s[2];
          for (let pair = 0; pair < s[0] * s[1]; pair++) {
            const b = pair * k * p * p;
            const plane = out.slice(b, b + p * p);
            for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[b + i * p + j] = plane[j * p + i]!;
          }
        }
        return out;
      },
    };
    expect(() => checkConvIdentity(transposed)).toThrow(/K=2, any window/);
  });
});
