import type { VolumeGrid } from "../window/grid.js";
import { modelWindow } from "../window/model-window.js";
import { scaleIntensities } from "../window/scale.js";

export interface VolumeWindowOptions {
  /** Intensity window (a profile's `clip`); null = per channel [0, max]. */
  readonly clip: readonly [number, number] | null;
  /** Slices per window (odd, default 5). */
  readonly window?: number;
  readonly img: readonly [number, number];
  /** Windows per batch (default 8); the last batch may be smaller. */
  readonly batch?: number;
}

export interface VolumeBatch {
  /** [B, C, D, H, W] */
  readonly image: Float32Array;
  readonly shape: readonly [number, number, number, number, number];
  /** The centre slice z of each window. */
  readonly slices: readonly number[];
  /** The volume's native slice size [X, Y], for resizing predictions back (`resizeLogits`). */
  readonly native: readonly [number, number];
}

/**
 * Windows for every slice z = 0..Z−1 of one volume, in order and batched — for validation and
 * prediction. Preprocessing is done once for the whole volume.
 */
export function* volumeWindows(volume: VolumeGrid, options: VolumeWindowOptions): Generator<VolumeBatch> {
  const scaled = scaleIntensities(volume, options.clip);
  const [X, Y, Z, C] = scaled.shape;
  const window = options.window ?? 5;
  const batch = options.batch ?? 8;
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`volumeWindows: batch must be a positive integer, got ${batch}`);
  const [H, W] = options.img;
  const per = C * window * H * W;
  for (let z0 = 0; z0 < Z; z0 += batch) {
    const slices = Array.from({ length: Math.min(batch, Z - z0) }, (_, i) => z0 + i);
    const image = new Float32Array(slices.length * per);
    slices.forEach((z, b) => image.set(modelWindow(scaled, z, { window, img: options.img }), b * per));
    yield { image, shape: [slices.length, C, window, H, W], slices, native: [X, Y] };
  }
}
