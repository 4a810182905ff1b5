export { checkProfileConformance } from "./profile.js";
export { checkTransformConformance, patternSample, type TransformConformanceOptions } from "./transform.js";
export { writeAcdcRawTree, writeBtcvRawTree, writeMsdTree, type RawTree } from "../layout/raw/test-trees.js";
