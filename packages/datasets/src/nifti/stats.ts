import type { VolumeData } from "./volume.js";

export interface VolumeStats {
  readonly min: number;
  readonly max: number;
  /** Mean over the finite voxels, accumulated in float64. */
  readonly mean: number;
  /** Voxels counted (all but NaN). */
  readonly count: number;
  readonly nanCount: number;
}

/** min / max / mean over all voxels of (already scaled) volume data; NaNs are counted, not used. */
export function volumeStats(volume: { readonly data: VolumeData }): VolumeStats {
  const d = volume.data;
  let min = Infinity, max = -Infinity, sum = 0, nan = 0;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (x !== x) { nan++; continue; }
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const count = d.length - nan;
  return { min: count ? min : NaN, max: count ? max : NaN, mean: count ? sum / count : NaN, count, nanCount: nan };
}
