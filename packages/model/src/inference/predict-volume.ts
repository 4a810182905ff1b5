import { argmaxClasses, placeSlice, resizePlanes, volumeWindows, type Volume } from "@transseg/datasets";
import type { WindowRunner } from "../window-runner.js";

export interface PredictVolumeOptions {
  /** Intensity window (SPEC §4); null = per channel [0, max]. */
  readonly clip: readonly [number, number] | null;
  /** Windows per forward call (default 4). */
  readonly batch?: number;
  /**
   * Also return per-class softmax probabilities `[X, Y, Z, classes]` (NIfTI order, classes last),
   * held in memory: X·Y·Z·classes float32 (4.4 GB for 512×512×300 and 14 classes). For large
   * volumes use `onProbabilities` instead.
   */
  readonly probabilities?: boolean;
  /**
   * Receives the softmax probabilities of each slice as soon as they are computed: `planes` is
   * `[classes][X·Y]` (x fastest, as in the volume), reused after the callback returns. Slice z of
   * class k belongs at voxel `(k·Z + z)·X·Y` of a `[X, Y, Z, classes]` volume — so a caller can
   * write it to disk and never hold more than one slice's probabilities.
   */
  readonly onProbabilities?: (z: number, planes: Float32Array) => void | Promise<void>;
  /** Called after each batch with the slices done so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Name used in error messages. */
  readonly name?: string;
}

export interface VolumePrediction {
  /** Class per voxel, `[X, Y, Z]` in NIfTI order. */
  readonly labels: Uint8Array;
  readonly shape: [number, number, number];
  /** `[X, Y, Z, classes]` when asked for. */
  readonly probabilities?: Float32Array;
}

/** In-place softmax over the class planes of `[classes, n]` scores. */
function softmaxPlanes(scores: Float32Array, classes: number): void {
  const n = scores.length / classes;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, scores[k * n + i]!);
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const e = Math.exp(scores[k * n + i]! - max);
      scores[k * n + i] = e;
      sum += e;
    }
    for (let k = 0; k < classes; k++) scores[k * n + i]! /= sum;
  }
}

/**
 * Whole-volume prediction (SPEC §3–4): for every slice z the edge-clamped window, intensities
 * clipped and scaled, slices resized to the model's `img`; logits resized back to the native
 * slice size (bilinear, half-pixel) before the argmax; slices stacked into a label volume.
 */
export async function predictVolume(volume: Volume, runner: WindowRunner, options: PredictVolumeOptions): Promise<VolumePrediction> {
  const name = options.name ?? "volume";
  const [X, Y, Z] = volume.shape as [number, number, number];
  const channels = volume.shape.length > 3 ? volume.shape[3]! : 1;
  if (volume.shape.length < 3 || volume.shape.length > 4 || (volume.shape.length === 4 && volume.shape[3]! < 1)) {
    throw new RangeError(`${name}: expected a 3D volume or 4D with channels last, got shape [${volume.shape.join(", ")}]`);
  }
  if (channels !== runner.inChannels) {
    throw new RangeError(`${name}: the model takes ${runner.inChannels} channel(s) but the volume has ${channels} (shape [${volume.shape.join(", ")}])`);
  }
  for (let i = 0; i < volume.data.length; i++) {
    if (Number.isNaN(volume.data[i]!)) throw new RangeError(`${name}: voxel ${i} is NaN`);
  }
  const classes = runner.classes;
  const [H, W] = runner.img;
  const labels = new Uint8Array(X * Y * Z);
  const probabilities = options.probabilities ? new Float32Array(X * Y * Z * classes) : undefined;
  const plane = X * Y;
  const slicePlanes = probabilities || options.onProbabilities ? new Float32Array(classes * plane) : undefined;
  const planeModel = classes * H * W;
  let done = 0;
  for (const b of volumeWindows(volume, { clip: options.clip, window: runner.window, img: runner.img, batch: options.batch ?? 4 })) {
    const logits = await runner.run(b.image, b.shape);
    if (logits.length !== b.slices.length * planeModel) {
      throw new Error(`${name}: the model returned ${logits.length} logits for ${b.slices.length} windows (expected ${b.slices.length * planeModel})`);
    }
    for (let i = 0; i < b.slices.length; i++) {
      const z = b.slices[i]!;
      const native = resizePlanes(logits.subarray(i * planeModel, (i + 1) * planeModel), classes, [H, W], [X, Y], "bilinear");
      placeSlice(labels, [X, Y, Z], z, argmaxClasses(native, classes));
      if (!slicePlanes) continue;
      softmaxPlanes(native, classes);
      // native planes are y fastest; the volume's are x fastest
      for (let k = 0; k < classes; k++) {
        const at = k * plane;
        for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) slicePlanes[at + x + X * y] = native[at + x * Y + y]!;
      }
      if (probabilities) for (let k = 0; k < classes; k++) probabilities.set(slicePlanes.subarray(k * plane, (k + 1) * plane), (k * Z + z) * plane); // class k is the k-th 3D block
      await options.onProbabilities?.(z, slicePlanes);
    }
    done += b.slices.length;
    options.onProgress?.(done, Z);
  }
  return { labels, shape: [X, Y, Z], ...(probabilities ? { probabilities } : {}) };
}
