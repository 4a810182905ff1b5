import * as tf from "@tensorflow/tfjs";

/** One input of a spec: random normal floats (seeded), or given values (e.g. int32 indices). */
export interface SpecInput {
  readonly shape: readonly number[];
  readonly dtype?: "float32" | "int32" | "bool";
  readonly values?: readonly number[];
  /** Differentiate the output with respect to this input (float32 only). */
  readonly grad?: boolean;
  /** Scale of the random values (default 1). */
  readonly scale?: number;
}

/** A forward computation compared across backends, with its gradients. */
export interface KernelSpec {
  readonly name: string;
  readonly inputs: Readonly<Record<string, SpecInput>>;
  readonly forward: (t: Readonly<Record<string, tf.Tensor>>) => tf.Tensor;
  /**
   * The forward is linear in this input (the others fixed): also check the adjoint identity
   * ⟨f(x), dy⟩ = ⟨x, ∂/∂x⟩ on every backend, which catches a gradient both backends get wrong.
   */
  readonly linearIn?: string;
}

export interface SpecResult {
  readonly output: Float32Array | Int32Array | Uint8Array;
  readonly shape: readonly number[];
  readonly grads: Readonly<Record<string, Float32Array>>;
  /** With `linearIn`: ⟨f(x), dy⟩ and ⟨x, ∂/∂x⟩. */
  readonly adjoint?: readonly [number, number];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Deterministic normal-ish values (mulberry32 + Box–Muller), so every backend sees the same inputs. */
export function seededNormal(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function makeInput(spec: KernelSpec, name: string, input: SpecInput): tf.Tensor {
  const size = input.shape.reduce((a, b) => a * b, 1);
  if (input.values !== undefined) return tf.tensor(input.values as number[], input.shape as number[], input.dtype ?? "float32");
  const scale = input.scale ?? 1;
  const values = seededNormal(size, seedOf(`${spec.name}/${name}`)).map((v) => v * scale);
  return tf.tensor(values, input.shape as number[], "float32");
}

/** Runs `spec` forward and backward (with a seeded output gradient) on `backend`. */
export async function runSpec(spec: KernelSpec, backend: string): Promise<SpecResult> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed`);
  let result: SpecResult | undefined;
  tf.tidy(() => {
    const all: Record<string, tf.Tensor> = {};
    for (const [name, input] of Object.entries(spec.inputs)) all[name] = makeInput(spec, name, input);
    const output = spec.forward(all);
    const wrt = Object.entries(spec.inputs).filter(([, input]) => input.grad === true).map(([name]) => name);
    const grads: Record<string, Float32Array> = {};
    const dyValues = seededNormal(output.size, seedOf(`${spec.name}/dy`));
    if (wrt.length > 0) {
      const dy = tf.tensor(dyValues, output.shape, "float32");
      const f = (...xs: tf.Tensor[]): tf.Tensor => spec.forward({ ...all, ...Object.fromEntries(wrt.map((name, i) => [name, xs[i]!])) });
      const gs = tf.grads(f)(wrt.map((name) => all[name]!), dy);
      wrt.forEach((name, i) => (grads[name] = gs[i]!.dataSync() as Float32Array));
    }
    const values = output.dataSync() as Float32Array;
    const linear = spec.linearIn;
    if (linear === undefined) {
      result = { output: values, shape: output.shape, grads };
      return;
    }
    const gx = grads[linear];
    if (gx === undefined) throw new Error(`${spec.name}: linearIn "${linear}" is not an input with grad: true`);
    result = { output: values, shape: output.shape, grads, adjoint: [dot(values, dyValues), dot(all[linear]!.dataSync(), gx)] };
  });
  return result!;
}

export interface Mismatch {
  readonly spec: string;
  /** `output` or `d/<input>`. */
  readonly what: string;
  readonly maxAbsDiff: number;
  readonly allowed: number;
}

/** Largest |a − b| and the allowed difference `tolerance · max(1, max |reference|)`. */
export function compareArrays(candidate: ArrayLike<number>, reference: ArrayLike<number>, tolerance: number): { maxAbsDiff: number; allowed: number } {
  if (candidate.length !== reference.length) return { maxAbsDiff: Infinity, allowed: 0 };
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(candidate[i]! - reference[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return { maxAbsDiff: diff, allowed: tolerance * scale };
}

/**
 * Runs every spec on `reference` and `candidate` and lists where they differ by more than
 * `tolerance · max(1, max |reference|)` (outputs and every gradient). Integer and boolean
 * outputs must match exactly. Specs with `linearIn` must also satisfy the adjoint identity on
 * both backends to `tolerance · max(1, |⟨f(x), dy⟩|)`.
 */
export async function compareBackends(specs: readonly KernelSpec[], options: { reference: string; candidate: string; tolerance: number }): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const spec of specs) {
    const ref = await runSpec(spec, options.reference);
    const got = await runSpec(spec, options.candidate);
    const exact = !(ref.output instanceof Float32Array);
    const checks: Array<[string, ArrayLike<number>, ArrayLike<number>, number]> = [["output", got.output, ref.output, exact ? 0 : options.tolerance]];
    if (ref.shape.join() !== got.shape.join()) mismatches.push({ spec: spec.name, what: `shape [${got.shape.join(", ")}] vs [${ref.shape.join(", ")}]`, maxAbsDiff: Infinity, allowed: 0 });
    for (const [name, g] of Object.entries(ref.grads)) checks.push([`d/${name}`, got.grads[name] ?? [], g, options.tolerance]);
    for (const [backend, result] of [[options.reference, ref], [options.candidate, got]] as const) {
      if (result.adjoint === undefined) continue;
      const [lhs, rhs] = result.adjoint;
      const allowed = options.tolerance * Math.max(1, Math.abs(lhs));
      if (!(Math.abs(lhs - rhs) <= allowed)) mismatches.push({ spec: spec.name, what: `adjoint identity on ${backend}: ⟨f(x), dy⟩ = ${lhs} vs ⟨x, dx⟩ = ${rhs}`, maxAbsDiff: Math.abs(lhs - rhs), allowed });
    }
    for (const [what, a, b, tolerance] of checks) {
      const { maxAbsDiff, allowed } = compareArrays(a, b, tolerance);
      if (!(maxAbsDiff <= allowed)) mismatches.push({ spec: spec.name, what, maxAbsDiff, allowed });
    }
  }
  return mismatches;
}
