import type { BenchSuite } from "../suite.js";
import { inflateSuite } from "./inflate.js";
import { metricsSuite } from "./metrics.js";
import { niftiSuite } from "./nifti.js";

/** Performance suites run by `transseg-bench perf`, in order. */
export const builtinSuites = {
  inflate: inflateSuite,
  nifti: niftiSuite,
  metrics: metricsSuite,
} as const satisfies Record<string, BenchSuite>;
