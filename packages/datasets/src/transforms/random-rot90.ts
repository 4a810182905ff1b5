import type { Sample, Transform } from "./types.js";

export interface RandomRot90Options {
  /** Probability of rotating (TransSeg: 0.1). */
  readonly p?: number;
  /** k is drawn uniformly from 1..maxK quarter turns (TransSeg: 3). */
  readonly maxK?: number;
}

function rotPlanes<T extends Float32Array | Int32Array>(data: T, planes: number, H: number, W: number, k: number): T {
  const out = new (data.constructor as new (len: number) => T)(data.length);
  const oW = k % 2 === 1 ? H : W;
  for (let p = 0; p < planes; p++) {
    const b = p * H * W;
    for (let h = 0; h < H; h++) {
      for (let w = 0; w < W; w++) {
        // numpy rot90 on axes (h, w): k=1: out[W-1-w][h], k=2: out[H-1-h][W-1-w], k=3: out[w][H-1-h]
        const [i, j] = k === 1 ? [W - 1 - w, h] : k === 2 ? [H - 1 - h, W - 1 - w] : [w, H - 1 - h];
        out[b + i * oW + j] = data[b + h * W + w]!;
      }
    }
  }
  return out;
}

/**
 * Rotates every plane by k quarter turns in the (height, width) plane, as `numpy.rot90(x, k,
 * axes=(h, w))` (counter-clockwise when h is drawn downwards). Odd k needs square planes.
 */
export function rot90(s: Sample, k: number): Sample {
  const q = ((k % 4) + 4) % 4;
  if (q === 0) return s;
  if (q % 2 === 1 && s.height !== s.width) throw new Error(`rot90 by ${k} quarter turns needs square planes, got ${s.height}x${s.width}`);
  return {
    ...s,
    image: rotPlanes(s.image, s.channels * s.depth, s.height, s.width, q),
    label: rotPlanes(s.label, s.depth, s.height, s.width, q),
  };
}

/**
 * With probability p, rotates by k ∈ {1..maxK} quarter turns (MONAI RandRotate90). Planes that
 * are not square only take k = 2, so the sample keeps its shape.
 */
export function randomRot90(options: RandomRot90Options = {}): Transform {
  const p = options.p ?? 0.1;
  const maxK = options.maxK ?? 3;
  return (s, rng) => {
    if (!rng.chance(p)) return s;
    const k = 1 + rng.int(maxK);
    if (s.height !== s.width) return k % 2 === 0 ? rot90(s, k) : s;
    return rot90(s, k);
  };
}
