import * as tf from "@tensorflow/tfjs";
import type { KernelSpec } from "./compare-backends.js";

type T4 = tf.Tensor4D;

/** ConvModule: conv (no bias) → BatchNorm with batch statistics → ReLU, NHWC. */
function convModule(x: T4, w: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): T4 {
  const y = tf.conv2d(x, w as T4, 1, "same");
  const { mean, variance } = tf.moments(y, [0, 1, 2]);
  return tf.relu(tf.batchNorm(y, mean, variance, beta, gamma, 1e-5)) as T4;
}

const up = (x: T4, size: [number, number]): T4 => tf.image.resizeBilinear(x, size, false, true);

/**
 * A miniature UPerNet training step: two feature maps of a ViT (one up-sampled with a 2×2/2
 * transposed conv + GELU, one max-pooled), lateral 1×1 ConvModules, a PSP branch with adaptive
 * average pooling, top-down bilinear fusion, a 3×3 fpn bottleneck, the 1×1 classifier, ×4
 * bilinear up-sampling and a cross-entropy loss. Gradients with respect to every weight.
 */
export const upernetStepSpec: KernelSpec = {
  name: "UPerNet-like decoder training step",
  inputs: {
    f1: { shape: [2, 4, 4, 8] },
    f2: { shape: [2, 4, 4, 8] },
    wUp: { shape: [2, 2, 8, 8], grad: true, scale: 0.3 },
    wLat0: { shape: [1, 1, 8, 6], grad: true, scale: 0.3 },
    wLat1: { shape: [1, 1, 8, 6], grad: true, scale: 0.3 },
    wPsp: { shape: [1, 1, 8, 6], grad: true, scale: 0.3 },
    wFpn: { shape: [3, 3, 12, 6], grad: true, scale: 0.3 },
    gamma: { shape: [6], grad: true },
    beta: { shape: [6], grad: true },
    wSeg: { shape: [1, 1, 6, 3], grad: true, scale: 0.3 },
    bSeg: { shape: [3], grad: true },
    labels: { shape: [2, 32, 32], dtype: "int32", values: Array.from({ length: 2048 }, (_, i) => ((i >> 3) + (i >> 9)) % 3) },
  },
  forward: (t) => {
    const f1 = t.f1 as T4;
    const f2 = t.f2 as T4;
    const g = t.gamma!;
    const b = t.beta!;
    const upsampled = tf.conv2dTranspose(f1, t.wUp as T4, [2, 8, 8, 8], 2, "same");
    const fine = tf.mul(tf.mul(upsampled, 0.5), tf.add(1, tf.erf(tf.div(upsampled, Math.SQRT2)))) as T4;
    const coarse = tf.maxPool(f2, 2, 2, "valid");
    const lat0 = convModule(fine, t.wLat0!, g, b);
    const lat1 = convModule(coarse, t.wLat1!, g, b);
    const pooled = up(convModule(tf.avgPool(coarse, 2, 2, "valid"), t.wPsp!, g, b), [2, 2]);
    const top = tf.add(lat1, pooled) as T4;
    const fused = tf.add(lat0, up(top, [8, 8])) as T4;
    const cat = tf.concat([fused, up(top, [8, 8])], 3);
    const feat = convModule(cat, t.wFpn!, g, b);
    const logits = up(tf.add(tf.conv2d(feat, t.wSeg as T4, 1, "valid"), t.bSeg!) as T4, [32, 32]);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(t.labels!, 3)), -1)));
  },
};
