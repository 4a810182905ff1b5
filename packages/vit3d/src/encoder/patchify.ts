import * as tf from "@tensorflow/tfjs";

/**
 * Non-overlapping patches of a window `x` `[B, C, Gd·kd, Gh·p, Gw·p]` as rows
 * `[B·Gd·Gh·Gw, C·kd·p·p]` (patches in (d, h, w) order, values in (c, kd, ph, pw) order) — the
 * im2col of a Conv3d with kernel = stride. Written as up to three rank-4 transposes, which
 * wasm runs at ~2 ns per value, instead of one rank-8 (rank 6 once unit axes drop) at ~45 ns.
 * Pure data movement: values are exact.
 */
export function patchify(x: tf.Tensor5D, kd: number, p: number): tf.Tensor2D {
  const [b, c, d, h, w] = x.shape;
  const [gd, gh, gw] = [d / kd, h / p, w / p];
  if (![gd, gh, gw].every(Number.isInteger)) throw new Error(`patchify: window [${d}, ${h}, ${w}] is not a multiple of the patch [${kd}, ${p}, ${p}]`);
  const g = gh * gw;
  const pp = p * p;
  // (b, c, gd, kd, gh) | ph | gw | pw  ->  (b, c, gd, kd, gh) | gw | ph | pw
  let t: tf.Tensor = tf.transpose(x.reshape([b * c * d * gh, p, gw, p]), [0, 2, 1, 3]);
  // b | c | gd | (kd, gh, gw, ph, pw)  ->  b | gd | c | (kd, gh, gw, ph, pw)
  if (c > 1 && gd > 1) t = tf.transpose(t.reshape([b, c, gd, kd * g * pp]), [0, 2, 1, 3]);
  // (b, gd) | (c, kd) | (gh, gw) | (ph, pw)  ->  (b, gd) | (gh, gw) | (c, kd) | (ph, pw)
  t = tf.transpose(t.reshape([b * gd, c * kd, g, pp]), [0, 2, 1, 3]);
  return t.reshape([b * gd * g, c * kd * pp]) as tf.Tensor2D;
}
