import type { BenchSuite } from "../suite.js";
import { inflateSuite } from "./inflate.js";
import { niftiSuite } from "./nifti.js";

/** Performance suites run by `transseg-bench perf`, in order. */
export const builtinSuites = {
  inflate: inflateSuite,
  nifti: niftiSuite,
} as const satisfies Record<string, BenchSuite>;
