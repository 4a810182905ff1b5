/** PyTorch's adaptive average pooling with static sizes, as fixed-size ONNX ops. */
import type { GraphBuilder } from "./graph-builder.js";

/** Bin `i` of `n` inputs into `s` outputs: `[floor(i·n/s), ceil((i+1)·n/s))` (PyTorch's rule). */
export function adaptiveBin(i: number, n: number, s: number): [number, number] {
  return [Math.floor((i * n) / s), Math.ceil(((i + 1) * n) / s)];
}

/** The `[s, n]` matrix whose row i averages bin i. */
export function adaptivePoolMatrix(n: number, s: number): Float32Array {
  const m = new Float32Array(s * n);
  for (let i = 0; i < s; i++) {
    const [a, b] = adaptiveBin(i, n, s);
    for (let j = a; j < b; j++) m[i * n + j] = 1 / (b - a);
  }
  return m;
}

/**
 * `[B, C, h, w]` → `[B, C, s, s]`: GlobalAveragePool for s = 1, AveragePool where both axes
 * split into equal bins (n divisible by s), else the separable pooling matrices `P_h · X · P_wᵀ`.
 */
export function adaptiveAvgPool(g: GraphBuilder, x: string, h: number, w: number, s: number, hint: string): string {
  if (s === 1) return g.op("GlobalAveragePool", [x], {}, hint);
  if (h % s === 0 && w % s === 0) {
    const k = [h / s, w / s];
    return g.op("AveragePool", [x], { kernel_shape: k, strides: k }, hint);
  }
  const pw = adaptivePoolMatrix(w, s);
  const pwT = new Float32Array(w * s);
  for (let i = 0; i < s; i++) for (let j = 0; j < w; j++) pwT[j * s + i] = pw[i * w + j]!;
  const y = g.op("MatMul", [x, g.weight(`${hint}.pool_w`, [w, s], pwT)], {}, `${hint}_w`);
  return g.op("MatMul", [g.weight(`${hint}.pool_h`, [s, h], adaptivePoolMatrix(h, s)), y], {}, hint);
}
