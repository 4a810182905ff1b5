import * as tf from "@tensorflow/tfjs";
import { f32Entry, numel, toFloat32, type TensorEntry, type TensorMap } from "@transseg/weights";
import { tfShape, toTfLayout, toTorchLayout, type ParamLayout } from "./layout.js";
import { hashSeed, mulberry32, normalSamples } from "./rng.js";

/** How a fresh parameter is initialised. `fan` bounds/std are computed by the caller. */
export type ParamInit =
  | { readonly kind: "zeros" }
  | { readonly kind: "ones" }
  | { readonly kind: "normal"; readonly std: number }
  | { readonly kind: "trunc-normal"; readonly std: number }
  | { readonly kind: "uniform"; readonly bound: number };

/** One parameter or buffer of a model, named and shaped as on disk (PyTorch layout). */
export interface ParamSpec {
  readonly name: string;
  /** PyTorch shape. */
  readonly shape: readonly number[];
  readonly layout: ParamLayout;
  readonly init: ParamInit;
  /** False for buffers such as BatchNorm running statistics. */
  readonly trainable: boolean;
}

/** Reads a parameter (TensorFlow.js layout) by its canonical name. */
export type ParamGetter = (name: string) => tf.Tensor;

export function spec(name: string, shape: readonly number[], layout: ParamLayout, init: ParamInit, trainable = true): ParamSpec {
  return { name, shape, layout, init, trainable };
}

/** Values of a fresh parameter, deterministic for (seed, name). */
export function initValues(p: ParamSpec, seed: number): Float32Array {
  const n = numel(p.shape);
  const init = p.init;
  switch (init.kind) {
    case "zeros":
      return new Float32Array(n);
    case "ones":
      return new Float32Array(n).fill(1);
    case "normal":
      return normalSamples(n, mulberry32(hashSeed(seed, p.name))).map((v) => v * init.std);
    case "trunc-normal": {
      const rand = mulberry32(hashSeed(seed, p.name));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let v: number;
        do v = normalSamples(1, rand)[0]!;
        while (Math.abs(v) > 2);
        out[i] = v * init.std;
      }
      return out;
    }
    case "uniform": {
      const rand = mulberry32(hashSeed(seed, p.name));
      return new Float32Array(n).map(() => (2 * rand() - 1) * init.bound);
    }
  }
}

let variableCounter = 0;

/** A parameter held as a tf.Variable in TensorFlow.js layout. */
export interface Param {
  readonly spec: ParamSpec;
  readonly variable: tf.Variable;
}

/**
 * The parameters of a model, keyed by canonical (on-disk) name. Values live in tf.Variables in
 * TensorFlow.js layout; `toTensorMap()` converts back to PyTorch layout exactly.
 */
export class ParamStore {
  readonly #params = new Map<string, Param>();

  get size(): number {
    return this.#params.size;
  }

  names(): string[] {
    return [...this.#params.keys()];
  }

  entries(): IterableIterator<[string, Param]> {
    return this.#params.entries();
  }

  /** Adds a parameter from PyTorch-layout values. */
  add(p: ParamSpec, torchValues: Float32Array): void {
    if (this.#params.has(p.name)) throw new Error(`duplicate parameter "${p.name}"`);
    if (torchValues.length !== numel(p.shape)) throw new Error(`parameter "${p.name}": ${torchValues.length} values for shape [${p.shape.join(", ")}]`);
    const values = toTfLayout(p.layout, p.shape, torchValues);
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, tfShape(p.layout, p.shape), "float32"), p.trainable, `${p.name}#${++variableCounter}`));
    this.#params.set(p.name, { spec: p, variable });
  }

  get(name: string): tf.Variable {
    const p = this.#params.get(name);
    if (!p) throw new Error(`no parameter "${name}"`);
    return p.variable;
  }

  /** A getter that prefixes names (e.g. `encoder.`). */
  getter(prefix: string): ParamGetter {
    return (name) => this.get(prefix + name);
  }

  /** Trainable variables (BatchNorm running statistics excluded). */
  trainableVariables(): tf.Variable[] {
    return [...this.#params.values()].filter((p) => p.spec.trainable).map((p) => p.variable);
  }

  /** Values in PyTorch layout, as a TensorMap (F32, names sorted as inserted). */
  toTensorMap(): TensorMap {
    const out = new Map<string, TensorEntry>();
    for (const [name, p] of this.#params) {
      const data = toTorchLayout(p.spec.layout, p.spec.shape, p.variable.dataSync() as Float32Array);
      out.set(name, f32Entry(p.spec.shape, data.slice()));
    }
    return out;
  }

  dispose(): void {
    for (const p of this.#params.values()) p.variable.dispose();
    this.#params.clear();
  }
}

/** Float32 values of an entry, checked against the expected PyTorch shape. */
export function entryValues(entry: TensorEntry, p: ParamSpec, fail: (problem: string) => never): Float32Array {
  const same = entry.shape.length === p.shape.length && entry.shape.every((d, i) => d === p.shape[i]);
  if (!same) fail(`tensor "${p.name}" has shape [${entry.shape.join(", ")}] but the model needs [${p.shape.join(", ")}]`);
  if (!["F32", "F16", "BF16", "F64"].includes(entry.dtype)) fail(`tensor "${p.name}" has dtype ${entry.dtype}; expected a float type`);
  return toFloat32(entry);
}
