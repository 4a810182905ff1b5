import { numel, toFloat32, type TensorEntry } from "@transseg/weights";
import type { ParamLayout } from "./layout.js";
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

/** Float32 values of an entry, checked against the expected PyTorch shape. */
export function entryValues(entry: TensorEntry, p: ParamSpec, fail: (problem: string) => never): Float32Array {
  const same = entry.shape.length === p.shape.length && entry.shape.every((d, i) => d === p.shape[i]);
  if (!same) fail(`tensor "${p.name}" has shape [${entry.shape.join(", ")}] but the model needs [${p.shape.join(", ")}]`);
  if (!["F32", "F16", "BF16", "F64"].includes(entry.dtype)) fail(`tensor "${p.name}" has dtype ${entry.dtype}; expected a float type`);
  return toFloat32(entry);
}
