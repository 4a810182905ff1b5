export { checkProfileConformance } from "./profile.js";
export { checkTransformConformance, patternSample, type TransformConformanceOptions } from "./transform.js";
