export { createRng, type Rng } from "./rng.js";
export { EMPTY_LAYOUT, fieldRun, flipBits, mutateBytes, setBytes, setField, splice, truncate, writeField, type Field, type FieldKind, type Layout, type Mutated } from "./mutate.js";
export { mutateJson } from "./json-mutate.js";
export { fileOf, stacked, withFile, type FuzzFile, type FuzzInput, type FuzzSeed, type FuzzTarget } from "./target.js";
export { builtinTargets } from "./targets/index.js";
export { ALLOCATION_FLOOR, inputFor, MAX_MESSAGE, runInput, type InputResult, type Outcome } from "./run-inputs.js";
export { formatReports, runFuzz, type FuzzOptions, type TargetReport } from "./run-fuzz.js";
