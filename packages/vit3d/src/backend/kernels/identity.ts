import type * as tf from "@tensorflow/tfjs";

/** What the alias needs of a backend: reference counting of its data (wasm and cpu backends have it). */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

function refCounting(backend: unknown, backendName: string): RefCountingBackend {
  if (typeof (backend as Partial<RefCountingBackend> | null)?.incRef !== "function") {
    throw new Error(`Identity: backend "${backendName}" has no incRef(dataId), so its data cannot be shared`);
  }
  return backend as RefCountingBackend;
}

/**
 * `Identity` as a reference-counted alias of its input (as wasm's own `Reshape` and the cpu
 * backend's `Identity` do): the output shares the input's data, which the backend frees when the
 * last tensor using it is disposed. The engine calls `Identity` for every tensor it keeps for a
 * backward pass (~1100 per UPerNet training step); wasm's own kernel (4.22) copies each. Sound
 * because no wasm kernel writes into its inputs (each writes a fresh `makeOutput`; reads copy
 * out of the heap) and `Variable.assign` swaps the variable's data instead of writing into it.
 */
export function identityKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: "Identity",
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      refCounting(backend, backendName).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}
