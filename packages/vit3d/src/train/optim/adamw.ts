import * as tf from "@tensorflow/tfjs";
import { f32Entry, type TensorEntry } from "@transseg/weights";
import { adamwCoefficients, adamwUpdateHost } from "./adamw-host.js";
import { resolvePlacement, runsOnHost, type OptimizerPlacement } from "./placement.js";

export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay of the parameters not in `noDecay` (default 0.05, the paper's). */
  readonly weightDecay?: number;
  /** Where the update arithmetic runs (default `auto`: on the host for `cpu` and `wasm`). */
  readonly placement?: OptimizerPlacement;
  /**
   * With the update on the host, parameters with more values than this still use tensor ops
   * (default `HOST_UPDATE_MAX_VALUES`; 0: none on the host, Infinity: all).
   */
  readonly hostMaxValues?: number;
}

/**
 * Largest parameter the host path updates in JS loops. Measured on wasm (1 thread), per
 * parameter and step: 4096 values 25 µs on the host vs 78 µs as tensor ops, 8192: 50 vs 80,
 * 16384: 120 vs 118, 32768: 330 vs 143 — the loop costs ~6–10 ns per value (float64 sqrt and
 * divide, reading parameter and gradient), the ~10 kernels ~80 µs of dispatch plus ~4 ns per value.
 */
export const HOST_UPDATE_MAX_VALUES = 16384;

/** A gradient as the optimizer takes it: a tensor, or its values already read to the host. */
export type GradientValues = tf.Tensor | Float32Array;

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

/** A moment lives where the last update ran: a host array or a backend variable. */
type Moment = Float32Array | tf.Variable;

/**
 * `torch.optim.AdamW` on named tf.Variables: `p −= lr·wd·p` (decoupled, only where `decay`), then
 * Adam with bias correction, `p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)`. The learning rate
 * is given per step (the schedule lives outside). Moments are created lazily, so a fresh
 * optimizer and one restored with `setState` behave identically.
 *
 * On the host (see `OptimizerPlacement`) the update of a parameter of up to `hostMaxValues` values
 * is one read of its gradient and its values, a float64 loop and one `assign`, with the moments
 * kept as Float32Arrays; larger parameters, and all of them elsewhere, take ~10 tensor ops each.
 * Both give the same values up to float32 rounding.
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly placement: OptimizerPlacement;
  readonly hostMaxValues: number;
  #step = 0;
  readonly #m = new Map<string, Moment>();
  readonly #v = new Map<string, Moment>();

  constructor(
    readonly params: readonly OptimizedParam[],
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.05;
    this.placement = resolvePlacement(options.placement ?? "auto");
    this.hostMaxValues = options.hostMaxValues ?? HOST_UPDATE_MAX_VALUES;
    if (!(this.hostMaxValues >= 0)) throw new Error(`AdamW: hostMaxValues must be ≥ 0, got ${this.hostMaxValues}`);
  }

  /** Optimizer steps taken. */
  get step(): number {
    return this.#step;
  }

  /** Whether updates run on the host with the active backend (see `updatesOnHost` per parameter). */
  onHost(): boolean {
    return runsOnHost(this.placement);
  }

  /** Per parameter, whether its update runs in a host loop with the active backend. */
  updatesOnHost(): boolean[] {
    const host = this.onHost();
    return this.params.map((p) => host && p.variable.size <= this.hostMaxValues);
  }

  #tensorMoment(map: Map<string, Moment>, p: OptimizedParam, tag: string): tf.Variable {
    const cur = map.get(p.name);
    if (cur instanceof tf.Variable) return cur;
    const init = cur ? () => tf.tensor(cur, p.variable.shape, "float32") : () => tf.zerosLike(p.variable);
    const m = tf.tidy(() => tf.variable(init(), false, `${tag}/${p.name}/${p.variable.name}`));
    map.set(p.name, m);
    return m;
  }

  #hostMoment(map: Map<string, Moment>, p: OptimizedParam): Float32Array {
    const cur = map.get(p.name);
    if (cur instanceof Float32Array) return cur;
    const m = cur ? (cur.dataSync() as Float32Array).slice() : new Float32Array(p.variable.size);
    cur?.dispose();
    map.set(p.name, m);
    return m;
  }

  /**
   * One update with gradient `gradScale · grads[i]` for `params[i]` at learning rate `lr` (the
   * scale folds micro-batch averaging and clipping in without another pass). Gradients may come
   * as tensors or as host values (only read): each is read or uploaded as its update needs.
   */
  apply(grads: readonly GradientValues[], lr: number, gradScale = 1): void {
    if (grads.length !== this.params.length) throw new Error(`AdamW: ${grads.length} gradients for ${this.params.length} parameters`);
    grads.forEach((g, i) => {
      const p = this.params[i]!;
      const size = g instanceof Float32Array ? g.length : g.size;
      if (size !== p.variable.size) throw new Error(`AdamW: gradient of "${p.name}" has ${size} values, the parameter ${p.variable.size}`);
    });
    const t = ++this.#step;
    const { beta1, beta2, eps, weightDecay } = this;
    const coef = [adamwCoefficients({ beta1, beta2, eps, weightDecay: 0 }, lr, t), adamwCoefficients({ beta1, beta2, eps, weightDecay }, lr, t)] as const;
    const onHost = this.updatesOnHost();
    this.params.forEach((p, i) => {
      const g = grads[i]!;
      const c = coef[p.decay ? 1 : 0];
      if (onHost[i]) {
        const m = this.#hostMoment(this.#m, p);
        const v = this.#hostMoment(this.#v, p);
        const values = g instanceof Float32Array ? g : (g.dataSync() as Float32Array);
        const next = adamwUpdateHost(p.variable.dataSync() as Float32Array, values, gradScale, m, v, c);
        tf.tidy(() => p.variable.assign(tf.tensor(next, p.variable.shape, "float32")));
        return;
      }
      const m = this.#tensorMoment(this.#m, p, "exp_avg");
      const v = this.#tensorMoment(this.#v, p, "exp_avg_sq");
      tf.tidy(() => {
        const gt = g instanceof Float32Array ? tf.tensor(g, p.variable.shape, "float32") : g;
        const decayed = c.decayFactor !== 1 ? tf.mul(p.variable, c.decayFactor) : p.variable;
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(gt, (1 - beta1) * gradScale));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(gt), (1 - beta2) * gradScale * gradScale));
        const denom = tf.add(tf.div(tf.sqrt(v1), c.bc2Sqrt), eps);
        m.assign(m1);
        v.assign(v1);
        p.variable.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), c.stepSize)));
      });
    });
  }

  getState(): AdamWState {
    const tensors = new Map<string, TensorEntry>();
    const read = (m: Moment) => (m instanceof Float32Array ? m : (m.dataSync() as Float32Array)).slice();
    for (const p of this.params) {
      const m = this.#m.get(p.name);
      const v = this.#v.get(p.name);
      if (!m || !v) continue;
      tensors.set(`exp_avg.${p.name}`, f32Entry(p.variable.shape, read(m)));
      tensors.set(`exp_avg_sq.${p.name}`, f32Entry(p.variable.shape, read(v)));
    }
    return { step: this.#step, tensors };
  }

  /** Restores `getState()` output; throws naming the first missing or mis-shaped moment. */
  setState(state: AdamWState, file = "optimizer state"): void {
    for (const p of this.params) {
      for (const tag of ["exp_avg", "exp_avg_sq"] as const) {
        const e = state.tensors.get(`${tag}.${p.name}`);
        if (!e) {
          if (state.step === 0) continue;
          throw new Error(`${file}: missing "${tag}.${p.name}"`);
        }
        const same = e.shape.length === p.variable.shape.length && e.shape.every((d, i) => d === p.variable.shape[i]);
        if (!same) throw new Error(`${file}: "${tag}.${p.name}" has shape [${e.shape.join(", ")}], expected [${p.variable.shape.join(", ")}]`);
      }
    }
    this.#step = state.step;
    for (const p of this.params) {
      for (const [tag, map] of [["exp_avg", this.#m], ["exp_avg_sq", this.#v]] as const) {
        const e = state.tensors.get(`${tag}.${p.name}`);
        if (!e) continue;
        const old = map.get(p.name);
        if (old instanceof tf.Variable) old.dispose();
        const values = e.read();
        map.set(p.name, values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>));
      }
    }
  }

  dispose(): void {
    for (const m of [...this.#m.values(), ...this.#v.values()]) if (m instanceof tf.Variable) m.dispose();
    this.#m.clear();
    this.#v.clear();
  }
}
