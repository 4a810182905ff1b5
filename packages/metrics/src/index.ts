export type {
  AggregateResult,
  CaseMetrics,
  ClassMetrics,
  GridOptions,
  LabelArray,
  MeanMetrics,
  MetricCounts,
  MetricName,
  SurfaceMetrics,
} from "./types.js";
export { METRIC_NAMES } from "./types.js";
export { dice, iou, diceFromCounts, iouFromCounts, overlapOf } from "./overlap.js";
export { labelsPresent, labelRange } from "./labels.js";
export { percentile, percentileOfSorted } from "./percentile.js";
export { distanceTransform, squaredDistanceTransform } from "./distance-transform.js";
export { lowerEnvelope, envelopeScratch, type EnvelopeScratch } from "./lower-envelope.js";
export { surfaceEdges } from "./edges.js";
export { surfaceDistances, surfaceMetrics, type SurfaceDistances } from "./surface.js";
export { computeCaseMetrics, type CaseMetricsOptions } from "./case-metrics.js";
export { aggregate, btcvMean, classMean, metricByClass, BTCV_ORGAN_LABELS, type AggregateOptions } from "./aggregate.js";
export { MetricsAccumulator } from "./accumulator.js";
export { toJsonValue, fromJsonValue, type JsonMetricValue } from "./json.js";
