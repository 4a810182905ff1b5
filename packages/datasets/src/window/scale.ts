import { gridDims, type VolumeGrid } from "./grid.js";

/** A preprocessed image: float32 in [0, 1], NIfTI order, always 4 extents [X, Y, Z, C]. */
export interface ScaledVolume {
  readonly data: Float32Array;
  readonly shape: readonly [number, number, number, number];
}

/**
 * Preprocessing (SPEC §4): clip to `clip = [lo, hi]` and scale to [0, 1] as (v − lo) / (hi − lo);
 * `clip: null` scales each channel by [0, that channel's maximum] (values below 0 become 0; a
 * channel whose maximum is ≤ 0 becomes all zeros).
 */
export function scaleIntensities(volume: VolumeGrid, clip: readonly [number, number] | null): ScaledVolume {
  const [X, Y, Z, C] = gridDims(volume, "image");
  const src = volume.data;
  const out = new Float32Array(src.length);
  const per = X * Y * Z;
  for (let c = 0; c < C; c++) {
    const base = c * per;
    let lo: number;
    let hi: number;
    if (clip) {
      [lo, hi] = clip;
    } else {
      lo = 0;
      hi = -Infinity;
      for (let i = base; i < base + per; i++) if (src[i]! > hi) hi = src[i]!;
      if (!(hi > 0)) continue; // all ≤ 0: stays zero
    }
    const inv = 1 / (hi - lo);
    for (let i = base; i < base + per; i++) {
      const v = src[i]!;
      out[i] = v <= lo ? 0 : v >= hi ? 1 : (v - lo) * inv;
    }
  }
  return { data: out, shape: [X, Y, Z, C] };
}
