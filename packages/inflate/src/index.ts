export type { DepthWeightsIdentity, InflationStrategy, Kernel2dShape, Kernel3dShape } from "./strategy.js";
export { checkKernelArgs, inflateWithDepthWeights, kernel3dShape } from "./strategy.js";
export { builtinStrategies } from "./strategies/index.js";
export { center } from "./strategies/center.js";
export { average } from "./strategies/average.js";
export { repeat } from "./strategies/repeat.js";
export { gaussian, gaussianWeights, type GaussianOptions } from "./strategies/gaussian.js";
export { resolveStrategy, resolveStrategyOptions, type StrategyRegistry } from "./resolve-strategy.js";
export { checkStrategyConformance, STRATEGY_CHECKS } from "./conformance.js";
export type { StrategyCheckConfig } from "./testing/checks.js";
export { adaptInputChannels, type ShapedKernel } from "./channel-adaptation.js";
export { CUBIC_A, cubicTaps, cubicWeights, resizeBicubic, type CubicTaps } from "./bicubic.js";
export type { Grid2d } from "./grid.js";
export { resizePositionEmbedding, type PositionEmbeddingTarget, type ResizedPositionEmbedding } from "./position-embedding.js";
export { EXTRA_BIAS_ROWS, resizeRelativePositionBiasTable, type ResizedBiasTable } from "./relative-position-bias.js";
export { INFLATION_METADATA_KEY, inflationMetadata, planInflation, type InflateOptions, type InflationMetadata, type InflationPlan, type ResolvedInflateOptions } from "./options.js";
export {
  inflateCheckpoint,
  PATCH_KERNEL,
  POS_EMBED,
  SHARED_BIAS_TABLE,
  type InflationReport,
  type InflationResult,
  type TensorChange,
  type TensorNote,
} from "./inflate-checkpoint.js";
export {
  inflateSwinCheckpoint,
  planSwinInflation,
  swinInflationMetadata,
  SWIN_PATCH_KERNEL,
  tileSwinBiasTable,
  type ResolvedSwinInflateOptions,
  type SwinInflateOptions,
  type SwinInflationReport,
  type SwinInflationResult,
} from "./swin.js";
