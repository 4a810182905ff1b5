import type { Sample, Transform } from "./types.js";

export type FlipAxis = "depth" | "height" | "width";

export interface RandomFlipOptions {
  readonly axis: FlipAxis;
  /** Probability of flipping (TransSeg: 0.1 per axis). */
  readonly p?: number;
}

/** Reverses `data` viewed as [outer, n, inner] along the middle axis. */
function flipAxis<T extends Float32Array | Int32Array>(data: T, outer: number, n: number, inner: number): T {
  const out = new (data.constructor as new (len: number) => T)(data.length);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const b = o * n;
      for (let i = 0; i < n; i++) out[b + n - 1 - i] = data[b + i]!;
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const src = (o * n + i) * inner;
      out.set(data.subarray(src, src + inner), (o * n + (n - 1 - i)) * inner);
    }
  }
  return out;
}

/** Flips the whole sample along one axis. */
export function flip(s: Sample, axis: FlipAxis): Sample {
  const { channels: C, depth: D, height: H, width: W } = s;
  if (axis === "depth") return { ...s, image: flipAxis(s.image, C, D, H * W), label: flipAxis(s.label, 1, D, H * W) };
  if (axis === "height") return { ...s, image: flipAxis(s.image, C * D, H, W), label: flipAxis(s.label, D, H, W) };
  return { ...s, image: flipAxis(s.image, C * D * H, W, 1), label: flipAxis(s.label, D * H, W, 1) };
}

/** With probability p, flips image and label along `axis` (MONAI RandFlip). */
export function randomFlip(options: RandomFlipOptions): Transform {
  const p = options.p ?? 0.1;
  return (s, rng) => (rng.chance(p) ? flip(s, options.axis) : s);
}
