import * as tf from "@tensorflow/tfjs";

/** What these kernels use of tfjs-backend-wasm's `BackendWasm`. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of the tensor's bytes in the wasm heap (no copy); invalid after the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/**
 * Copies the box `begin` + `size` of `x` (shape `shape`, row-major) into `out`. The copy runs
 * over contiguous runs: the trailing axes the box spans entirely merge with the innermost axis it
 * cuts, so a slice of whole rows is one `set` per row block.
 */
export function copyBox(x: tf.TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: tf.TypedArray): void {
  const rank = shape.length;
  if (size.some((s) => s === 0)) return;
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1]! * shape[a + 1]!;
  // Innermost axis the box does not span entirely: runs are size[cut] · stride[cut] long.
  let cut = rank - 1;
  while (cut > 0 && size[cut] === shape[cut] && begin[cut] === 0) cut--;
  const run = size[cut]! * strides[cut]!;
  const base = begin.reduce((o, b, a) => o + b * strides[a]!, 0);
  const outer = size.slice(0, cut);
  const count = outer.reduce((a, b) => a * b, 1);
  const index = new Array<number>(cut).fill(0);
  let src = base;
  for (let r = 0, dst = 0; r < count; r++, dst += run) {
    if (run >= 16) out.set(x.subarray(src, src + run), dst);
    else for (let i = 0; i < run; i++) out[dst + i] = x[src + i]!;
    // Odometer over the outer axes of the box.
    for (let a = cut - 1; a >= 0; a--) {
      index[a]!++;
      src += strides[a]!;
      if (index[a]! < outer[a]!) break;
      src -= index[a]! * strides[a]!;
      index[a] = 0;
    }
  }
}

function sliceOnHeap(backend: HeapBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views only after makeOutput: allocating may grow (and so detach) the heap.
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

function numericOnly(kernelName: string, x: tf.TensorInfo): void {
  if (x.dtype === "string") throw new Error(`${kernelName}: string tensors are not supported by this wasm kernel`);
}

/**
 * wasm `Slice`: tfjs-backend-wasm 4.22 first copies the whole input out of the heap
 * (`readSync`) and then slices the copy, so each slice costs the input's size — 16 rows of a
 * 16 × 2.4M matrix took 75 ms each. This one reads the heap in place: the cost of the output.
 */
export function sliceKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Slice,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      numericOnly("Slice", x);
      const a = attrs as unknown as tf.SliceAttrs;
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size);
      return sliceOnHeap(backend as unknown as HeapBackend, x, begin, size);
    },
  };
}

/** wasm `Unpack` (`tf.unstack`): its slices had the same whole-input copy, once per output. */
export function unpackKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Unpack,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { value } = inputs as { value: tf.TensorInfo };
      numericOnly("Unpack", value);
      const rank = value.shape.length;
      const axis = ((attrs as unknown as tf.UnpackAttrs).axis + rank) % rank;
      const size = [...value.shape];
      size[axis] = 1;
      const outShape = value.shape.filter((_, a) => a !== axis);
      return Array.from({ length: value.shape[axis]! }, (_, i) => {
        const begin = value.shape.map((_, a) => (a === axis ? i : 0));
        const part = sliceOnHeap(backend as unknown as HeapBackend, value, begin, size);
        return { dataId: part.dataId, dtype: part.dtype, shape: outShape };
      });
    },
  };
}

/** wasm `SplitV` (`tf.split`, concat's gradient): same fix as `Unpack`. */
export function splitVKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.SplitV,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      numericOnly("SplitV", x);
      const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
      const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
      const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
      const begin = x.shape.map(() => 0);
      return sizes.map((s) => {
        const size = [...x.shape];
        size[ax] = s;
        const out = sliceOnHeap(backend as unknown as HeapBackend, x, [...begin], size);
        begin[ax]! += s;
        return out;
      });
    },
  };
}
