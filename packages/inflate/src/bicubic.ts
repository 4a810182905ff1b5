/**
 * Bicubic resizing with exactly PyTorch's `interpolate(mode="bicubic", align_corners=False)` rule:
 * source coordinate `src = (dst + 0.5) * in/out - 0.5` (NOT clamped), taps `floor(src)-1 .. floor(src)+2`
 * each clamped to `[0, in-1]`, Keys' cubic convolution with a = -0.75.
 */

/** Keys' parameter as PyTorch uses it. */
export const CUBIC_A = -0.75;

/** The four Keys weights for fractional offset t in [0, 1), taps at -1, 0, +1, +2. */
export function cubicWeights(t: number, a: number = CUBIC_A): [number, number, number, number] {
  const near = (x: number) => ((a + 2) * x - (a + 3)) * x * x + 1; // |x| <= 1
  const far = (x: number) => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; // 1 < |x| < 2
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/** Per output position: the 4 clamped source indices and their weights (flattened, 4 per position). */
export interface CubicTaps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

/** Taps for resizing one axis from `inSize` to `outSize` samples. */
export function cubicTaps(inSize: number, outSize: number): CubicTaps {
  const index = new Int32Array(4 * outSize);
  const weight = new Float64Array(4 * outSize);
  const scale = inSize / outSize;
  for (let d = 0; d < outSize; d++) {
    const src = (d + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const w = cubicWeights(src - f);
    for (let j = 0; j < 4; j++) {
      index[4 * d + j] = Math.min(Math.max(f - 1 + j, 0), inSize - 1);
      weight[4 * d + j] = w[j]!;
    }
  }
  return { index, weight };
}

function checkSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`bicubic resize: ${name} must be a positive integer, got ${v}`);
}

/**
 * Resizes a channels-last grid `[inH, inW, C]` to `[outH, outW, C]` (the layout of both a position
 * embedding's grid tokens and a relative-position-bias table's rows). Accumulates in float64.
 */
export function resizeBicubic(
  src: Float32Array,
  [inH, inW]: readonly [number, number],
  [outH, outW]: readonly [number, number],
  channels: number,
): Float32Array {
  for (const [n, v] of [["input height", inH], ["input width", inW], ["output height", outH], ["output width", outW], ["channels", channels]] as const) checkSize(n, v);
  if (src.length !== inH * inW * channels) {
    throw new Error(`bicubic resize: input has ${src.length} values, [${inH}, ${inW}, ${channels}] needs ${inH * inW * channels}`);
  }
  const ty = cubicTaps(inH, outH);
  const tx = cubicTaps(inW, outW);
  // Separable: a width pass into float64, then a height pass (same sums as the 4x4 taps, fewer operations).
  const rowLen = outW * channels;
  const mid = new Float64Array(inH * rowLen);
  for (let y = 0; y < inH; y++) {
    const srcRow = y * inW * channels;
    const midRow = y * rowLen;
    for (let x = 0; x < outW; x++) {
      const o = midRow + x * channels;
      for (let j = 0; j < 4; j++) {
        const w = tx.weight[4 * x + j]!;
        if (w === 0) continue;
        const s = srcRow + tx.index[4 * x + j]! * channels;
        for (let c = 0; c < channels; c++) mid[o + c] += w * src[s + c]!;
      }
    }
  }
  const out = new Float32Array(outH * rowLen);
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < outH; y++) {
    acc.fill(0);
    for (let i = 0; i < 4; i++) {
      const w = ty.weight[4 * y + i]!;
      if (w === 0) continue;
      const s = ty.index[4 * y + i]! * rowLen;
      for (let k = 0; k < rowLen; k++) acc[k] += w * mid[s + k]!;
    }
    out.set(acc, y * rowLen);
  }
  return out;
}
