import * as tf from "@tensorflow/tfjs";
import type { SegmentationModel } from "../model.js";
import { batchNormLayers, BATCH_NORM_MOMENTUM, updateRunningStatistics, type RunningStatistics } from "./batch-norm-stats.js";
import { forwardChannelsLast } from "./forward.js";
import type { SegLoss } from "./losses/types.js";
import { AdamW, type AdamWOptions } from "./optim/adamw.js";
import { clipByGlobalNorm } from "./optim/clip.js";
import { noDecayNames } from "./optim/no-decay.js";
import { hashSeed } from "../rng.js";

/** The dropout seed of optimizer step `step` (0-based) of a run seeded `runSeed`. */
export function stepSeed(runSeed: number, step: number): number {
  return hashSeed(runSeed, `step${step}`);
}

/** One micro-batch: windows `[B, C, D, H, W]` and centre-slice labels `[B, H, W]`. */
export interface MicroBatch {
  readonly image: Float32Array;
  readonly label: Int32Array;
  readonly shape: readonly [number, number, number, number, number];
}

export interface StepResult {
  /** Mean loss over the micro-batches. */
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

export interface TrainStepperOptions extends AdamWOptions {
  readonly loss: SegLoss;
  /** Clip the global gradient norm to this (default 1.0; 0 or Infinity = off). */
  readonly clipNorm?: number;
  /** Training mode in the forward (BatchNorm batch statistics, dropout; default true). */
  readonly training?: boolean;
  readonly batchNormMomentum?: number;
}

export interface LossAndGradsOptions {
  /** Training mode: batch statistics (running statistics updated), dropout. */
  readonly training: boolean;
  /** BatchNorm layers to update (default `batchNormLayers(model)`). */
  readonly bn?: ReadonlyMap<string, RunningStatistics>;
  readonly momentum?: number;
  /** Seed of the forward's dropout masks (omitted: unseeded). */
  readonly seed?: number;
}

/**
 * Loss and gradients of one micro-batch (gradients in the order of `vars`). In training mode the
 * forward uses batch statistics and updates the BatchNorm running statistics of `bn` from them
 * (every layer exactly once, else it throws), and dropout masks drawn from `seed`.
 */
export function lossAndGrads(model: SegmentationModel, vars: readonly tf.Variable[], loss: SegLoss, batch: MicroBatch, o: LossAndGradsOptions): { loss: number; grads: tf.Tensor[] } {
  const training = o.training;
  const x = tf.tensor5d(batch.image, [...batch.shape]);
  const y = tf.tensor3d(batch.label, [batch.shape[0], batch.shape[3], batch.shape[4]], "int32");
  try {
    const stats = training ? updateRunningStatistics(o.bn ?? batchNormLayers(model), o.momentum ?? BATCH_NORM_MOMENTUM) : null;
    const { value, grads } = tf.variableGrads(() => {
      const options = { training, ...(stats ? { onBatchStatistics: stats.onBatchStatistics } : {}), ...(o.seed === undefined ? {} : { seed: o.seed }) };
      return loss.compute(forwardChannelsLast(model, x, options), y);
    }, [...vars]);
    stats?.checkComplete();
    const out = vars.map((v) => {
      const g = grads[v.name];
      if (!g) throw new Error(`no gradient for parameter variable "${v.name}"`);
      return g;
    });
    const lossValue = value.dataSync()[0]!;
    value.dispose();
    return { loss: lossValue, grads: out };
  } finally {
    x.dispose();
    y.dispose();
  }
}

/**
 * The training step of a model: per micro-batch the loss and gradients (summed, then divided by
 * the number of micro-batches, as accumulating `loss / N` does in PyTorch), global-norm clipping,
 * then AdamW at the step's learning rate. Every intermediate tensor is disposed.
 */
export class TrainStepper {
  readonly optimizer: AdamW;
  readonly #vars: tf.Variable[];
  readonly #bn: ReadonlyMap<string, RunningStatistics>;

  constructor(
    readonly model: SegmentationModel,
    readonly options: TrainStepperOptions,
  ) {
    const names = model.params.names();
    const noDecay = noDecayNames(names);
    const params = [...model.params.entries()].filter(([, p]) => p.spec.trainable).map(([name, p]) => ({ name, variable: p.variable, decay: !noDecay.has(name) }));
    this.#vars = params.map((p) => p.variable);
    this.#bn = batchNormLayers(model);
    this.optimizer = new AdamW(params, options);
  }

  /**
   * One optimizer step. `seed` (e.g. `stepSeed(runSeed, step)`) makes the dropout masks a
   * function of the step, so a resumed run replays them exactly; micro-batch m uses
   * `hashSeed(seed, "micro" + m)`. Omitted: unseeded dropout.
   */
  step(batches: readonly MicroBatch[], lr: number, seed?: number): StepResult {
    if (batches.length === 0) throw new Error("TrainStepper.step: no micro-batches");
    const training = this.options.training ?? true;
    let sum: tf.Tensor[] | null = null;
    let lossSum = 0;
    for (const [m, b] of batches.entries()) {
      const r = lossAndGrads(this.model, this.#vars, this.options.loss, b, {
        training,
        bn: this.#bn,
        ...(this.options.batchNormMomentum === undefined ? {} : { momentum: this.options.batchNormMomentum }),
        ...(seed === undefined ? {} : { seed: hashSeed(seed, `micro${m}`) }),
      });
      lossSum += r.loss;
      if (sum === null) sum = r.grads;
      else {
        const prev: tf.Tensor[] = sum;
        sum = prev.map((g, i) => tf.add(g, r.grads[i]!));
        tf.dispose([...prev, ...r.grads]);
      }
    }
    let grads = sum!;
    if (batches.length > 1) {
      const prev = grads;
      grads = prev.map((g) => tf.div(g, batches.length));
      tf.dispose(prev);
    }
    const maxNorm = this.options.clipNorm ?? 1;
    let gradNorm = Number.NaN;
    if (maxNorm > 0 && Number.isFinite(maxNorm)) {
      const clipped = clipByGlobalNorm(grads, maxNorm);
      tf.dispose(grads);
      grads = clipped.grads;
      gradNorm = clipped.norm;
    } else {
      gradNorm = tf.tidy(() => Math.sqrt(grads.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0)));
    }
    this.optimizer.apply(grads, lr);
    tf.dispose(grads);
    return { loss: lossSum / batches.length, gradNorm };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
