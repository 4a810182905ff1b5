import type { Transform } from "./types.js";

export interface RandomIntensityShiftOptions {
  /** The offset is drawn uniformly from [−offset, offset] (TransSeg: 0.1, on [0, 1] intensities). */
  readonly offset?: number;
  /** Probability of shifting (TransSeg: 0.5). */
  readonly p?: number;
}

/** With probability p, adds one random offset to every image value (MONAI RandShiftIntensity). */
export function randomIntensityShift(options: RandomIntensityShiftOptions = {}): Transform {
  const max = options.offset ?? 0.1;
  const p = options.p ?? 0.5;
  return (s, rng) => {
    if (!rng.chance(p)) return s;
    const d = rng.uniform(-max, max);
    const image = new Float32Array(s.image.length);
    for (let i = 0; i < image.length; i++) image[i] = s.image[i]! + d;
    return { ...s, image };
  };
}
