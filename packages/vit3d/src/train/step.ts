import * as tf from "@tensorflow/tfjs";
import type { SegmentationModel } from "../model.js";
import { batchNormLayers, BATCH_NORM_MOMENTUM, updateRunningStatistics, type RunningStatistics } from "./batch-norm-stats.js";
import { forwardChannelsLast } from "./forward.js";
import type { SegLoss } from "./losses/types.js";
import { AdamW, type AdamWOptions, type GradientValues } from "./optim/adamw.js";
import { clipByGlobalNorm, clipCoefficient, globalNormHost } from "./optim/clip.js";
import { noDecayNames } from "./optim/no-decay.js";
import { hashSeed } from "@transseg/model";

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
 * Sums of micro-batch gradients: as host values (float32, as the backend's add) where `host[i]`,
 * else as tensors. The first micro-batch's gradients stay alive until `dispose` (their host
 * values are read without a copy and never written); later ones are disposed once added.
 */
class GradientSums {
  readonly values: GradientValues[] = [];
  readonly #first: tf.Tensor[] = [];
  /** Whether `values[i]` is an array of ours (not one read from a tensor). */
  readonly #own: boolean[] = [];

  constructor(readonly host: readonly boolean[]) {}

  add(grads: readonly tf.Tensor[]): void {
    if (grads.length !== this.host.length) throw new Error(`${grads.length} gradients for ${this.host.length} parameters`);
    if (this.#first.length === 0) {
      this.#first.push(...grads);
      grads.forEach((g, i) => this.values.push(this.host[i] ? (g.dataSync() as Float32Array) : g));
      return;
    }
    grads.forEach((g, i) => {
      const prev = this.values[i]!;
      if (prev instanceof Float32Array) {
        const x = g.dataSync() as Float32Array;
        // the first micro-batch's values may be the tensor's own storage (cpu): add into a copy
        const acc = this.#own[i] ? prev : Float32Array.from(prev);
        this.#own[i] = true;
        for (let j = 0; j < acc.length; j++) acc[j]! += x[j]!;
        this.values[i] = acc;
      } else {
        this.values[i] = tf.add(prev, g);
        if (prev !== this.#first[i]) prev.dispose();
      }
      g.dispose();
    });
  }

  /** Disposes every gradient and partial sum still alive. */
  dispose(): void {
    const first = new Set(this.#first);
    tf.dispose(this.values.filter((v): v is tf.Tensor => v instanceof tf.Tensor && !first.has(v)));
    tf.dispose(this.#first);
    this.#first.length = 0;
    this.values.length = 0;
  }
}

/**
 * The training step of a model: per micro-batch the loss and gradients (summed, then divided by
 * the number of micro-batches, as accumulating `loss / N` does in PyTorch), global-norm clipping,
 * then AdamW at the step's learning rate. Every intermediate tensor is disposed. Where the
 * optimizer runs on the host (`AdamWOptions.placement`, default on `cpu` and `wasm`) the
 * gradients are read once and the averaging, clipping and update cost no kernels.
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
    const onHost = this.optimizer.updatesOnHost();
    const sums = new GradientSums(onHost);
    let lossSum = 0;
    try {
      for (const [m, b] of batches.entries()) {
        const r = lossAndGrads(this.model, this.#vars, this.options.loss, b, {
          training,
          bn: this.#bn,
          ...(this.options.batchNormMomentum === undefined ? {} : { momentum: this.options.batchNormMomentum }),
          ...(seed === undefined ? {} : { seed: hashSeed(seed, `micro${m}`) }),
        });
        lossSum += r.loss;
        sums.add(r.grads);
      }
      const micro = batches.length;
      const gradNorm = this.optimizer.onHost() ? this.#updateOnHost(sums, micro, lr) : this.#updateOnBackend(sums.values as tf.Tensor[], micro, lr);
      return { loss: lossSum / micro, gradNorm };
    } finally {
      sums.dispose();
    }
  }

  /** The clip bound, or null when clipping is off. */
  #maxNorm(): number | null {
    const maxNorm = this.options.clipNorm ?? 1;
    return maxNorm > 0 && Number.isFinite(maxNorm) ? maxNorm : null;
  }

  /**
   * Averaging and clipping folded into one gradient scale, the norm from host values (and one
   * reduction over the gradients that stay tensors); AdamW then runs no kernels for host values.
   */
  #updateOnHost(sums: GradientSums, micro: number, lr: number): number {
    const host = sums.values.filter((g): g is Float32Array => g instanceof Float32Array);
    const tensors = sums.values.filter((g): g is tf.Tensor => !(g instanceof Float32Array));
    let squares = globalNormHost(host) ** 2;
    if (tensors.length > 0) squares += tf.tidy(() => tf.addN(tensors.map((g) => tf.sum(tf.square(g)))).dataSync()[0]!);
    const gradNorm = Math.sqrt(squares) / micro;
    const maxNorm = this.#maxNorm();
    const coef = maxNorm === null ? 1 : clipCoefficient(gradNorm, maxNorm);
    this.optimizer.apply(sums.values, lr, coef / micro);
    return gradNorm;
  }

  /** Averaging, clipping and AdamW as tensor ops on the backend. */
  #updateOnBackend(sum: readonly tf.Tensor[], micro: number, lr: number): number {
    let grads = [...sum];
    const owned: tf.Tensor[] = [];
    try {
      if (micro > 1) {
        grads = grads.map((g) => tf.div(g, micro));
        owned.push(...grads);
      }
      const maxNorm = this.#maxNorm();
      let gradNorm: number;
      if (maxNorm !== null) {
        const clipped = clipByGlobalNorm(grads, maxNorm);
        grads = clipped.grads;
        owned.push(...grads);
        gradNorm = clipped.norm;
      } else {
        gradNorm = tf.tidy(() => Math.sqrt(grads.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0)));
      }
      this.optimizer.apply(grads, lr);
      return gradNorm;
    } finally {
      tf.dispose(owned);
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
