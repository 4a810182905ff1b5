/** Per-step constants of `torch.optim.AdamW` (see `adamwCoefficients`). */
export interface AdamWCoefficients {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** `1 − lr·weightDecay` for decayed parameters, 1 for the others. */
  readonly decayFactor: number;
  /** `lr / (1 − β1ᵗ)`. */
  readonly stepSize: number;
  /** `√(1 − β2ᵗ)`. */
  readonly bc2Sqrt: number;
}

/** The constants of step `t` (1-based) at learning rate `lr`; `weightDecay` 0 for no-decay parameters. */
export function adamwCoefficients(o: { beta1: number; beta2: number; eps: number; weightDecay: number }, lr: number, t: number): AdamWCoefficients {
  if (!(t >= 1)) throw new Error(`AdamW: step must be ≥ 1, got ${t}`);
  return {
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    decayFactor: 1 - lr * o.weightDecay,
    stepSize: lr / (1 - o.beta1 ** t),
    bc2Sqrt: Math.sqrt(1 - o.beta2 ** t),
  };
}

/**
 * One `torch.optim.AdamW` update of one parameter on host arrays, in float64 per element: with
 * `g = gradScale · grad`, `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²` (both stored back in
 * place as float32, the precision of the saved state), then
 * `p ← p·decayFactor − stepSize · m / (√v / bc2Sqrt + eps)` (decoupled decay first, as torch).
 * Returns the new parameter values in `out` (a fresh array unless given; may be `param`).
 */
export function adamwUpdateHost(
  param: Float32Array,
  grad: Float32Array,
  gradScale: number,
  m: Float32Array,
  v: Float32Array,
  c: AdamWCoefficients,
  out: Float32Array = new Float32Array(param.length),
): Float32Array {
  const n = param.length;
  if (grad.length !== n || m.length !== n || v.length !== n || out.length !== n) {
    throw new Error(`adamwUpdateHost: lengths differ (param ${n}, grad ${grad.length}, m ${m.length}, v ${v.length}, out ${out.length})`);
  }
  const { beta1, beta2, eps, decayFactor, stepSize, bc2Sqrt } = c;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const invBc2Sqrt = 1 / bc2Sqrt;
  for (let i = 0; i < n; i++) {
    const g = grad[i]! * gradScale;
    const mi = beta1 * m[i]! + a1 * g;
    const vi = beta2 * v[i]! + a2 * g * g;
    m[i] = mi;
    v[i] = vi;
    out[i] = param[i]! * decayFactor - (stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps);
  }
  return out;
}
