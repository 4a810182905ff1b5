/**
 * The conformance kit's rules as one call that throws, without a test runner: what a program
 * (e.g. the CLI's `--plugin`) runs on a strategy it loads, and what `testInflationStrategy`
 * registers as separate tests.
 */
import type { InflationStrategy } from "./strategy.js";
import {
  checkConvIdentity,
  checkDeclaration,
  checkDepthWeights,
  checkDeterministic,
  checkInputUntouched,
  checkShapeLaw,
  type StrategyCheckConfig,
} from "./testing/checks.js";

/** The checks in the order they run: a name (for the message) and the check. */
export const STRATEGY_CHECKS = [
  ["declaration", checkDeclaration],
  ["shape law", checkShapeLaw],
  ["input untouched", checkInputUntouched],
  ["deterministic", checkDeterministic],
  ["declared depth weights", checkDepthWeights],
  ["declared identity", checkConvIdentity],
] as const satisfies readonly (readonly [string, (s: InflationStrategy, c?: StrategyCheckConfig) => void])[];

/**
 * Runs every conformance check on `strategy` (the identity checks only when it declares an
 * identity) and throws the first failure as one line: `<check>: <problem>`, e.g.
 * `input untouched: K=1: inflate modified its input kernel at 0 (0.5 -> 0)`.
 */
export function checkStrategyConformance<O extends object>(strategy: InflationStrategy<O>, config: StrategyCheckConfig = {}): void {
  const s = strategy as InflationStrategy;
  if (typeof s !== "object" || s === null) throw new Error(`declaration: a strategy is an object, got ${s === null ? "null" : typeof s}`);
  if (typeof s.inflate !== "function") throw new Error(`declaration: strategy "${String(s.id)}" has no inflate function`);
  if (s.identity !== undefined && typeof s.identity?.depthWeights !== "function") throw new Error(`declaration: strategy "${String(s.id)}" declares an identity without a depthWeights function`);
  for (const [name, check] of STRATEGY_CHECKS) {
    if (!s.identity && (check === checkDepthWeights || check === checkConvIdentity)) continue;
    try {
      check(s, config);
    } catch (e) {
      throw new Error(`${name}: ${String((e as Error)?.message ?? e).split("\n")[0]}`);
    }
  }
}
