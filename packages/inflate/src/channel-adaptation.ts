import type { Kernel2dShape } from "./strategy.js";

/** A kernel with its shape. */
export interface ShapedKernel {
  readonly data: Float32Array;
  readonly shape: Kernel2dShape;
}

/**
 * Adapts a Conv2d kernel `[O, Cin, kh, kw]` to `channels` input channels (TransSeg; SPEC §2.1):
 * `W1 = sum over Cin (keepdim)`, then `Wc = repeat(W1, C) / C`. Identity: an image x repeated over
 * the C new channels gives the response the original kernel gives to x repeated over its Cin
 * channels, `conv(Wc, [x]*C) = conv(W1, x) = conv(W, [x]*Cin)`. When Cin already equals C the kernel
 * is returned as is (no copy): adaptation applies only when the channel counts differ.
 */
export function adaptInputChannels(kernel: Float32Array, shape: Kernel2dShape, channels: number): ShapedKernel {
  const [out, cin, kh, kw] = shape;
  if (!Number.isInteger(channels) || channels < 1) throw new Error(`input channels must be a positive integer, got ${channels}`);
  if (kernel.length !== out * cin * kh * kw) {
    throw new Error(`kernel has ${kernel.length} values but shape [${shape.join(", ")}] needs ${out * cin * kh * kw}`);
  }
  if (cin === channels) return { data: kernel, shape };
  const plane = kh * kw;
  const data = new Float32Array(out * channels * plane);
  const sum = new Float32Array(plane);
  for (let o = 0; o < out; o++) {
    const src = o * cin * plane;
    sum.set(kernel.subarray(src, src + plane)); // float32 accumulation, in channel order, like PyTorch
    for (let c = 1; c < cin; c++) {
      const s = src + c * plane;
      for (let i = 0; i < plane; i++) sum[i] += kernel[s + i]!;
    }
    const dst = o * channels * plane;
    for (let i = 0; i < plane; i++) data[dst + i] = sum[i]! / channels;
    for (let c = 1; c < channels; c++) data.copyWithin(dst + c * plane, dst, dst + plane);
  }
  return { data, shape: [out, channels, kh, kw] };
}
