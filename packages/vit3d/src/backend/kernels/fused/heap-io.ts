import type * as tf from "@tensorflow/tfjs";

/** The parts of tfjs-backend-wasm's `BackendWasm` the fused kernels use. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of the tensor's bytes in the wasm heap (no copy); invalid after the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/** The parts of tfjs-backend-cpu's `MathBackendCPU` the fused kernels use. */
interface CpuBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/**
 * Runs a fused kernel body over float32 arrays: `body(inputs, outputs)` reads the inputs and
 * writes every element of the outputs (of `outShapes`). On wasm the arrays are views of the
 * heap (no copies; the outputs are allocated first, because allocating may grow — and so
 * detach — the heap); on cpu they are the tensors' own arrays and fresh outputs.
 */
export function runFused(kernelName: string, backend: unknown, inputs: readonly tf.TensorInfo[], outShapes: readonly number[][], body: (ins: Float32Array[], outs: Float32Array[]) => void): tf.TensorInfo[] {
  for (const t of inputs) if (t.dtype !== "float32") throw new Error(`${kernelName}: inputs must be float32, got ${t.dtype}`);
  const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  const wasm = backend as Partial<WasmHeapBackend>;
  if (typeof wasm.typedArrayFromHeap === "function" && typeof wasm.makeOutput === "function") {
    const outInfos = outShapes.map((s) => wasm.makeOutput!([...s], "float32"));
    const view = (t: tf.TensorInfo): Float32Array => wasm.typedArrayFromHeap!(t) as Float32Array;
    body(inputs.map(view), outInfos.map(view));
    return outInfos;
  }
  const cpu = backend as Partial<CpuBackend>;
  if (typeof cpu.readSync !== "function" || typeof cpu.makeTensorInfo !== "function") throw new Error(`${kernelName}: this backend has neither a wasm heap nor cpu arrays`);
  const outs = outShapes.map((s) => new Float32Array(size(s)));
  body(
    inputs.map((t) => cpu.readSync!(t.dataId) as Float32Array),
    outs,
  );
  return outs.map((values, i) => cpu.makeTensorInfo!([...outShapes[i]!], "float32", values));
}
