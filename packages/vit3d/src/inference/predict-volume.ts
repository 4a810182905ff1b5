import { argmaxClasses, placeSlice, resizePlanes, volumeWindows, type Volume } from "@transseg/datasets";
import type { WindowRunner } from "./runner.js";

export interface PredictVolumeOptions {
  /** Intensity window (SPEC §4); null = per channel [0, max]. */
  readonly clip: readonly [number, number] | null;
  /** Windows per forward call (default 4). */
  readonly batch?: number;
  /** Also return per-class softmax probabilities `[X, Y, Z, classes]` (NIfTI order, classes last). */
  readonly probabilities?: boolean;
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
  const planeModel = classes * H * W;
  let done = 0;
  for (const b of volumeWindows(volume, { clip: options.clip, window: runner.window, img: runner.img, batch: options.batch ?? 4 })) {
    const logits = await runner.run(b.image, b.shape);
    if (logits.length !== b.slices.length * planeModel) {
      throw new Error(`${name}: the model returned ${logits.length} logits for ${b.slices.length} windows (expected ${b.slices.length * planeModel})`);
    }
    b.slices.forEach((z, i) => {
      const native = resizePlanes(logits.subarray(i * planeModel, (i + 1) * planeModel), classes, [H, W], [X, Y], "bilinear");
      placeSlice(labels, [X, Y, Z], z, argmaxClasses(native, classes));
      if (probabilities) {
        softmaxPlanes(native, classes);
        const plane = X * Y;
        for (let k = 0; k < classes; k++) {
          const volumeOffset = (k * Z + z) * plane; // [X, Y, Z, classes]: class k is the k-th 3D block
          for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) probabilities[volumeOffset + x + X * y] = native[k * plane + x * Y + y]!;
        }
      }
    });
    done += b.slices.length;
    options.onProgress?.(done, Z);
  }
  return { labels, shape: [X, Y, Z], ...(probabilities ? { probabilities } : {}) };
}
