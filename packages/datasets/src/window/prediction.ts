import { resizePlanes } from "./resize.js";

/**
 * The reverse of the input resize for a prediction: logits `[classes, H, W]` at the model size
 * back to the slice's native `[X, Y]` (area when shrinking, bilinear when growing — before any
 * argmax, SPEC §4).
 */
export function resizeLogits(
  logits: Float32Array,
  classes: number,
  modelSize: readonly [number, number],
  native: readonly [number, number],
): Float32Array {
  return resizePlanes(logits, classes, modelSize, native, "auto");
}

/** Class index of the largest score per pixel of `[classes, H, W]` scores (first wins ties). */
export function argmaxClasses(scores: Float32Array, classes: number): Uint8Array {
  if (classes > 256) throw new Error(`argmaxClasses: ${classes} classes do not fit uint8`);
  const n = scores.length / classes;
  if (!Number.isInteger(n)) throw new Error(`argmaxClasses: ${scores.length} scores are not a multiple of ${classes} classes`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = scores[i]!;
    let arg = 0;
    for (let k = 1; k < classes; k++) {
      const v = scores[k * n + i]!;
      if (v > best) {
        best = v;
        arg = k;
      }
    }
    out[i] = arg;
  }
  return out;
}

/**
 * Writes a row-major `[X, Y]` plane (h = x, w = y, as the model emits it) into slice z of a
 * NIfTI-ordered `[X, Y, Z]` volume (index x + X*(y + Y*z)).
 */
export function placeSlice(
  volume: Uint8Array | Int32Array | Int16Array | Float32Array,
  shape: readonly number[],
  z: number,
  plane: ArrayLike<number>,
): void {
  const [X, Y, Z] = shape as [number, number, number];
  if (volume.length !== X * Y * Z) throw new Error(`placeSlice: ${volume.length} values for shape [${shape.join(", ")}]`);
  if (plane.length !== X * Y) throw new Error(`placeSlice: plane has ${plane.length} values, slice needs ${X * Y}`);
  if (!(z >= 0 && z < Z)) throw new Error(`placeSlice: slice ${z} outside [0, ${Z - 1}]`);
  const base = X * Y * z;
  for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) volume[base + x + X * y] = plane[x * Y + y]!;
}
