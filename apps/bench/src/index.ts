export type { BenchContext, BenchResult, BenchSuite, Measurement } from "./suite.js";
export { builtinSuites } from "./suites/index.js";
export { formatPerfTable, runPerf, type PerfOptions, type PerfRow } from "./perf.js";
export { demoTrainOptions, runDemo, type DemoOptions, type DemoResult } from "./demo.js";
export { BUNDLED_CHECKPOINT, runStudy, studySettings, type RunStudyOptions, type RunStudyResult } from "./study/run-study.js";
export { mergeStudies, type MergeResult } from "./study/merge.js";
export { slurmScripts, writeSlurmPlan, type SlurmPlanOptions, type SlurmScripts } from "./study/slurm.js";
export { pretrain2d, type Pretrain2dOptions, type Pretrain2dResult } from "./study/pretrain.js";
