import { CheckpointError, toFloat32, type TensorMap } from "@transseg/weights";

/** A tensor the export reads: full `transseg-seg/1` name and PyTorch shape. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Reads the checkpoint's tensors by name for the export: every tensor must exist with the
 * shape the config implies (F16/BF16 widened to F32); errors name the file and the tensor.
 */
export class TensorSource {
  constructor(
    readonly tensors: TensorMap,
    readonly file: string,
  ) {}

  fail(problem: string): never {
    throw new CheckpointError(this.file, problem);
  }

  /** Values of `spec.name` as float32, shape checked. */
  get(spec: TensorSpec): Float32Array {
    const e = this.tensors.get(spec.name);
    if (!e) this.fail(`missing tensor "${spec.name}"`);
    if (!sameShape(e.shape, spec.shape)) this.fail(`tensor "${spec.name}" has shape [${e.shape.join(", ")}] but the model needs [${spec.shape.join(", ")}]`);
    return toFloat32(e);
  }

  /** Checks that every spec is present with its shape and nothing unexpected is there (before any work). */
  check(specs: readonly TensorSpec[], what: string): void {
    const known = new Set(specs.map((s) => s.name));
    const ignored = (k: string) => k.endsWith("num_batches_tracked") || k.endsWith("relative_position_index");
    const extra = [...this.tensors.keys()].filter((k) => !known.has(k) && !ignored(k));
    if (extra.length) this.fail(`unexpected tensor${extra.length > 1 ? "s" : ""} for this ${what} config: ${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", …" : ""}`);
    for (const s of specs) {
      const e = this.tensors.get(s.name);
      if (!e) this.fail(`missing tensor "${s.name}"`);
      if (!sameShape(e.shape, s.shape)) this.fail(`tensor "${s.name}" has shape [${e.shape.join(", ")}] but the model needs [${s.shape.join(", ")}]`);
    }
  }
}
