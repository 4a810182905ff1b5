import type { BenchSuite } from "../suite.js";
import { inflateSuite } from "./inflate.js";
import { metricsSuite } from "./metrics.js";
import { niftiSuite } from "./nifti.js";
import { predictSuite } from "./predict.js";

/** Performance suites run by `transseg-bench perf`, in order. */
export const builtinSuites = {
  inflate: inflateSuite,
  nifti: niftiSuite,
  metrics: metricsSuite,
  predict: predictSuite,
} as const satisfies Record<string, BenchSuite>;
