import * as tf from "@tensorflow/tfjs";
import { f32Entry, type TensorEntry } from "@transseg/weights";

export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay of the parameters not in `noDecay` (default 0.05, the paper's). */
  readonly weightDecay?: number;
}

/** A parameter the optimizer updates. */
export interface OptimizedParam {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly decay: boolean;
}

/** Serialisable optimizer state: the step count and both moments of every parameter (TensorFlow.js layout). */
export interface AdamWState {
  readonly step: number;
  /** `exp_avg.<name>` and `exp_avg_sq.<name>`, F32, shapes as the variables. */
  readonly tensors: ReadonlyMap<string, TensorEntry>;
}

/**
 * `torch.optim.AdamW` on named tf.Variables: `p −= lr·wd·p` (decoupled, only where `decay`), then
 * Adam with bias correction, `p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)`. The learning rate
 * is given per step (the schedule lives outside). Moments are created lazily, so a fresh
 * optimizer and one restored with `setState` behave identically.
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  #step = 0;
  readonly #m = new Map<string, tf.Variable>();
  readonly #v = new Map<string, tf.Variable>();

  constructor(
    readonly params: readonly OptimizedParam[],
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.05;
  }

  /** Optimizer steps taken. */
  get step(): number {
    return this.#step;
  }

  #moment(map: Map<string, tf.Variable>, p: OptimizedParam, tag: string): tf.Variable {
    let m = map.get(p.name);
    if (!m) {
      m = tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false, `${tag}/${p.name}/${p.variable.name}`));
      map.set(p.name, m);
    }
    return m;
  }

  /** One update with `grads[i]` for `params[i]` at learning rate `lr`. */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    if (grads.length !== this.params.length) throw new Error(`AdamW: ${grads.length} gradients for ${this.params.length} parameters`);
    const t = ++this.#step;
    const bc1 = 1 - this.beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
    const stepSize = lr / bc1;
    this.params.forEach((p, i) => {
      const g = grads[i]!;
      const m = this.#moment(this.#m, p, "exp_avg");
      const v = this.#moment(this.#v, p, "exp_avg_sq");
      tf.tidy(() => {
        const decayed = p.decay && this.weightDecay !== 0 ? tf.mul(p.variable, 1 - lr * this.weightDecay) : p.variable;
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v1), bc2Sqrt), this.eps);
        m.assign(m1);
        v.assign(v1);
        p.variable.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), stepSize)));
      });
    });
  }

  getState(): AdamWState {
    const tensors = new Map<string, TensorEntry>();
    for (const p of this.params) {
      const m = this.#m.get(p.name);
      const v = this.#v.get(p.name);
      if (!m || !v) continue;
      tensors.set(`exp_avg.${p.name}`, f32Entry(m.shape, (m.dataSync() as Float32Array).slice()));
      tensors.set(`exp_avg_sq.${p.name}`, f32Entry(v.shape, (v.dataSync() as Float32Array).slice()));
    }
    return { step: this.#step, tensors };
  }

  /** Restores `getState()` output; throws naming the first missing or mis-shaped moment. */
  setState(state: AdamWState, file = "optimizer state"): void {
    this.#step = state.step;
    for (const p of this.params) {
      for (const [tag, map] of [["exp_avg", this.#m], ["exp_avg_sq", this.#v]] as const) {
        const e = state.tensors.get(`${tag}.${p.name}`);
        if (!e) {
          if (state.step === 0) continue;
          throw new Error(`${file}: missing "${tag}.${p.name}"`);
        }
        const same = e.shape.length === p.variable.shape.length && e.shape.every((d, i) => d === p.variable.shape[i]);
        if (!same) throw new Error(`${file}: "${tag}.${p.name}" has shape [${e.shape.join(", ")}], expected [${p.variable.shape.join(", ")}]`);
        const m = this.#moment(map, p, tag);
        tf.tidy(() => m.assign(tf.tensor(e.read() as Float32Array, p.variable.shape, "float32")));
      }
    }
  }

  dispose(): void {
    for (const m of [...this.#m.values(), ...this.#v.values()]) m.dispose();
    this.#m.clear();
    this.#v.clear();
  }
}
