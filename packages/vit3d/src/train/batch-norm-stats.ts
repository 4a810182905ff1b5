import * as tf from "@tensorflow/tfjs";
import type { SegmentationModel } from "../model.js";

/** PyTorch's BatchNorm2d default momentum. */
export const BATCH_NORM_MOMENTUM = 0.1;

interface TapeNodeView {
  readonly kernelName: string;
  readonly inputs: Readonly<Record<string, tf.Tensor | undefined>>;
  readonly saved?: readonly tf.Tensor[];
}

/** BatchNorm layers of a model: scale-variable id → running statistics variables. */
export function batchNormLayers(model: SegmentationModel): Map<number, { name: string; mean: tf.Variable; variance: tf.Variable }> {
  const out = new Map<number, { name: string; mean: tf.Variable; variance: tf.Variable }>();
  const names = new Set(model.params.names());
  for (const [name, p] of model.params.entries()) {
    if (!name.endsWith(".running_mean")) continue;
    const base = name.slice(0, -".running_mean".length);
    if (!names.has(`${base}.weight`) || !names.has(`${base}.running_var`)) continue;
    out.set(model.params.get(`${base}.weight`).id, { name: base, mean: p.variable, variance: model.params.get(`${base}.running_var`) });
  }
  return out;
}

/**
 * Updates the BatchNorm running statistics from the batch statistics of the training forward
 * just recorded, as PyTorch does during a training forward: `running = (1 − m)·running + m·batch`,
 * with the unbiased batch variance for `running_var`.
 *
 * WORKAROUND: the model's training-mode BatchNorm (`ops/norm.ts`) computes the batch statistics
 * but hands them to nobody. They are read here from the gradient tape that
 * `tf.variableGrads` records: each `FusedBatchNorm` node saves `[x, mean, variance, scale]` for its
 * gradient, and its `scale` input is the layer's weight variable, which names the layer. Call it
 * inside the function given to `tf.variableGrads`, after the forward. Returns the layer names
 * updated (every layer exactly once per forward; throws if the tape holds none while
 * `layers` is not empty, so a change in TensorFlow.js cannot go unnoticed).
 */
export function updateRunningStatistics(layers: ReturnType<typeof batchNormLayers>, momentum = BATCH_NORM_MOMENTUM): string[] {
  if (layers.size === 0) return [];
  const tape = (tf.engine().state as unknown as { activeTape: TapeNodeView[] | null }).activeTape;
  if (!tape) throw new Error("updateRunningStatistics: no gradient tape is recording (call it inside tf.variableGrads)");
  const done: string[] = [];
  for (const node of tape) {
    if (node.kernelName !== "FusedBatchNorm") continue;
    const scale = node.inputs.scale;
    const layer = scale ? layers.get(scale.id) : undefined;
    if (!layer) continue;
    const [x, mean, variance] = node.saved ?? [];
    if (!x || !mean || !variance) throw new Error(`updateRunningStatistics: FusedBatchNorm of "${layer.name}" saved no statistics`);
    const n = x.size / mean.size;
    tf.tidy(() => {
      layer.mean.assign(tf.add(tf.mul(layer.mean, 1 - momentum), tf.mul(mean, momentum)));
      layer.variance.assign(tf.add(tf.mul(layer.variance, 1 - momentum), tf.mul(variance, (momentum * n) / Math.max(1, n - 1))));
    });
    done.push(layer.name);
  }
  if (done.length === 0) throw new Error("updateRunningStatistics: the gradient tape holds no BatchNorm statistics (TensorFlow.js internals changed?)");
  return done;
}
