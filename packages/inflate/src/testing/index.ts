/**
 * Conformance kit for inflation strategies (`@transseg/inflate/testing`). In a vitest test file:
 *
 *   import { testInflationStrategy } from "@transseg/inflate/testing";
 *   testInflationStrategy(myStrategy);
 */
import { describe, it } from "vitest";
import type { InflationStrategy } from "../strategy.js";
import {
  checkConvIdentity,
  checkDeclaration,
  checkDepthWeights,
  checkDeterministic,
  checkInputUntouched,
  checkShapeLaw,
  type StrategyCheckConfig,
} from "./checks.js";

export * from "./checks.js";
export { checkStrategyConformance } from "../conformance.js";
export { patchConv2d, patchConv3d, windowSlice } from "./patch-conv.js";
export { randomFloat32, seededRandom } from "./random.js";

/** Registers the conformance tests of one strategy (a vitest `describe` block). */
export function testInflationStrategy<O extends object>(strategy: InflationStrategy<O>, config: StrategyCheckConfig = {}): void {
  const s = strategy as InflationStrategy;
  const suffix = config.strategyOptions ? ` with ${JSON.stringify(config.strategyOptions)}` : "";
  describe(`inflation strategy "${s.id}"${suffix} conformance`, () => {
    it("declares an id and a description", () => checkDeclaration(s));
    it("shape law: [O, C, kh, kw] -> [O, C, K, kh, kw] for several K including 1, fresh array", () => checkShapeLaw(s, config));
    it("leaves its input untouched", () => checkInputUntouched(s, config));
    it("is deterministic", () => checkDeterministic(s, config));
    if (s.identity) {
      it("kernel = w_k × kernel2d at depth k (declared depth weights)", () => checkDepthWeights(s, config));
      it(`identity: ${s.identity.statement}`, () => checkConvIdentity(s, config));
    } else {
      it.skip(`declares no identity (add \`identity\` to have it checked)`, () => {});
    }
  });
}
