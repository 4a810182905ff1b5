import type { BenchSuite } from "../suite.js";
import { inflateSuite } from "./inflate.js";

/** Performance suites run by `transseg-bench perf`, in order. */
export const builtinSuites = {
  inflate: inflateSuite,
} as const satisfies Record<string, BenchSuite>;
