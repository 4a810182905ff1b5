import * as tf from "@tensorflow/tfjs";
import type { BatchStatisticsCallback } from "../decoders/decoder.js";
import type { SegmentationModel } from "../model.js";

/** PyTorch's BatchNorm2d default momentum. */
export const BATCH_NORM_MOMENTUM = 0.1;

/** The running statistics of one BatchNorm layer. */
export interface RunningStatistics {
  readonly mean: tf.Variable;
  readonly variance: tf.Variable;
}

/** BatchNorm layers of a model by full name (e.g. `decoder.fpn1.1`) → running statistics variables. */
export function batchNormLayers(model: SegmentationModel): Map<string, RunningStatistics> {
  const out = new Map<string, RunningStatistics>();
  const names = new Set(model.params.names());
  for (const [name, p] of model.params.entries()) {
    if (!name.endsWith(".running_mean")) continue;
    const base = name.slice(0, -".running_mean".length);
    if (!names.has(`${base}.weight`) || !names.has(`${base}.running_var`)) continue;
    out.set(base, { mean: p.variable, variance: model.params.get(`${base}.running_var`) });
  }
  return out;
}

/** A `BatchStatisticsCallback` that updates running statistics, and the layers it updated. */
export interface RunningStatisticsUpdater {
  /** Pass as `onBatchStatistics` of a training forward. */
  readonly onBatchStatistics: BatchStatisticsCallback;
  /** Layer names updated since the updater was made, in call order. */
  readonly updated: readonly string[];
  /** Throws unless every layer of `layers` was updated exactly once (one training forward). */
  checkComplete(): void;
}

/**
 * Updates BatchNorm running statistics from the batch statistics a training forward reports
 * (`ForwardOptions.onBatchStatistics`), as PyTorch does during a training forward:
 * `running = (1 − m)·running + m·batch`, with the unbiased batch variance (`count / (count − 1)`)
 * for `running_var`. An unknown layer name throws.
 */
export function updateRunningStatistics(layers: ReadonlyMap<string, RunningStatistics>, momentum = BATCH_NORM_MOMENTUM): RunningStatisticsUpdater {
  const updated: string[] = [];
  return {
    updated,
    onBatchStatistics(layer, mean, variance, count) {
      const r = layers.get(layer);
      if (!r) throw new Error(`updateRunningStatistics: the model reported statistics of an unknown BatchNorm layer "${layer}"`);
      tf.tidy(() => {
        r.mean.assign(tf.add(tf.mul(r.mean, 1 - momentum), tf.mul(mean, momentum)));
        r.variance.assign(tf.add(tf.mul(r.variance, 1 - momentum), tf.mul(variance, (momentum * count) / Math.max(1, count - 1))));
      });
      updated.push(layer);
    },
    checkComplete() {
      const seen = new Set(updated);
      const missing = [...layers.keys()].filter((l) => !seen.has(l));
      if (missing.length > 0 || updated.length !== layers.size) {
        throw new Error(`updateRunningStatistics: ${updated.length} updates for ${layers.size} BatchNorm layers${missing.length ? ` (missing: ${missing.join(", ")})` : " (a layer reported twice)"}`);
      }
    },
  };
}
