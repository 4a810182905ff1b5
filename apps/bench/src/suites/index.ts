import type { BenchSuite } from "../suite.js";
import { evalSuite } from "./eval.js";
import { inflateSuite } from "./inflate.js";
import { metricsSuite } from "./metrics.js";
import { niftiSuite } from "./nifti.js";
import { predictMemorySuite } from "./predict-memory.js";
import { predictSuite } from "./predict.js";
import { startupSuite } from "./startup.js";
import { trainSuite } from "./train.js";

/** Performance suites run by `transseg-bench perf`, in order. */
export const builtinSuites = {
  inflate: inflateSuite,
  nifti: niftiSuite,
  metrics: metricsSuite,
  eval: evalSuite,
  predict: predictSuite,
  "predict-memory": predictMemorySuite,
  train: trainSuite,
  startup: startupSuite,
} as const satisfies Record<string, BenchSuite>;
