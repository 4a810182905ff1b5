import * as tf from "@tensorflow/tfjs";
import { f32Entry, numel, type TensorEntry, type TensorMap } from "@transseg/weights";
import { tfShape, toTfLayout, toTorchLayout, type ParamSpec } from "@transseg/model";

export { entryValues, initValues, spec, type ParamInit, type ParamSpec } from "@transseg/model";

/** Reads a parameter (TensorFlow.js layout) by its canonical name. */
export type ParamGetter = (name: string) => tf.Tensor;

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
