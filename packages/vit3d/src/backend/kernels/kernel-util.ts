import * as tf from "@tensorflow/tfjs";

/**
 * A kernel input as a `tf.Tensor`. The engine hands kernels the tensors `runKernel` was called
 * with; a bare `TensorInfo` gets a tensor view (disposed by the caller's `tf.tidy`).
 */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo): tf.Tensor<R> {
  if ((info as { rank?: unknown }).rank !== undefined) return info as tf.Tensor<R>;
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

/** Pads (positive) or crops (negative) `t` along `axis` by `before` / `after` elements. */
export function padOrCrop<T extends tf.Tensor>(t: T, axis: number, before: number, after: number): T {
  if (before === 0 && after === 0) return t;
  const size = t.shape[axis]!;
  const begin = t.shape.map(() => 0);
  const keep = [...t.shape];
  begin[axis] = Math.max(0, -before);
  keep[axis] = size - Math.max(0, -before) - Math.max(0, -after);
  let out = before < 0 || after < 0 ? tf.slice(t, begin, keep) : t;
  if (before > 0 || after > 0) {
    const paddings = t.shape.map((): [number, number] => [0, 0]);
    paddings[axis] = [Math.max(0, before), Math.max(0, after)];
    out = tf.pad(out, paddings);
  }
  return out as T;
}

/** Inserts `stride - 1` zeros between neighbours along `axis`: length n becomes (n - 1) * stride + 1. */
export function dilate<T extends tf.Tensor>(t: T, axis: number, stride: number): T {
  if (stride === 1) return t;
  const shape = [...t.shape];
  const n = shape[axis]!;
  const expanded = tf.expandDims(t, axis + 1);
  const paddings = expanded.shape.map((): [number, number] => [0, 0]);
  paddings[axis + 1] = [0, stride - 1];
  const spread = tf.reshape(tf.pad(expanded, paddings), [...shape.slice(0, axis), n * stride, ...shape.slice(axis + 1)]);
  const begin = shape.map(() => 0);
  const size = [...shape];
  size[axis] = (n - 1) * stride + 1;
  return tf.slice(spread, begin, size) as T;
}
