import { describe, expect, it } from "vitest";
import { checkStrategyConformance } from "./conformance.js";
import { builtinStrategies } from "./strategies/index.js";
import { average } from "./strategies/average.js";
import { center } from "./strategies/center.js";
import type { InflationStrategy, Kernel2dShape } from "./strategy.js";

const good = {
  id: "half",
  description: "test strategy: half the kernel at every depth",
  identity: { statement: "w_k = 1/2", depthWeights: (k: number) => new Array<number>(k).fill(0.5) },
  inflate: (x: Float32Array, s: Kernel2dShape, k: number) => average.inflate(x, s, k).map((v) => (v * k) / 2),
} satisfies InflationStrategy;

describe("checkStrategyConformance (the kit without a test runner)", () => {
  it("passes the built-in strategies and a well-formed contributed one", () => {
    for (const s of Object.values(builtinStrategies)) expect(() => checkStrategyConformance(s as InflationStrategy)).not.toThrow();
    expect(() => checkStrategyConformance(good)).not.toThrow();
  });

  it("throws the first failing check as one line naming it", () => {
    const mutating = { ...good, inflate: (x: Float32Array, s: Kernel2dShape, k: number) => { x[0] = 0; return good.inflate(x, s, k); } };
    expect(() => checkStrategyConformance(mutating)).toThrow(/^input untouched: K=1: inflate modified its input kernel at 0 \(/);
    expect(() => checkStrategyConformance({ ...good, id: "Half" })).toThrow(/^declaration: strategy id "Half" must be lower-case/);
    expect(() => checkStrategyConformance({ ...good, identity: center.identity })).toThrow(/^declared depth weights: K=1: kernel at /);
    const throwing = { ...good, inflate: () => { throw new Error("boom\nsecond line"); } };
    expect(() => checkStrategyConformance(throwing)).toThrow(/^shape law: boom$/);
  });

  it("refuses objects that are not strategies before calling them", () => {
    expect(() => checkStrategyConformance({ id: "x", description: "no inflate here at all" } as never)).toThrow(/^declaration: strategy "x" has no inflate function/);
    expect(() => checkStrategyConformance({ ...good, identity: { statement: "s" } } as never)).toThrow(/without a depthWeights function/);
  });

  it("skips the identity checks of a strategy that declares none", () => {
    const { identity: _identity, ...plain } = good;
    expect(() => checkStrategyConformance({ ...plain, inflate: (x: Float32Array, s: Kernel2dShape, k: number) => average.inflate(x, s, k).map((v, i) => v + (i % 3)) })).not.toThrow();
  });
});
