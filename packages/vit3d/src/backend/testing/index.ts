export { compareArrays, compareBackends, runSpec, seededNormal, type KernelSpec, type Mismatch, type SpecInput, type SpecResult } from "./compare-backends.js";
export { convSpecs } from "./conv-specs.js";
export { opSpecs } from "./op-specs.js";
export { upernetStepSpec } from "./upernet-step-spec.js";
