import type { Volume } from "@transseg/datasets";
import { pngDataUrl } from "./png.js";

/** One axial slice of a test case as three PNG data URLs: the image, the ground truth and the prediction over it. */
export interface OverlaySlice {
  readonly caseId: string;
  readonly z: number;
  readonly width: number;
  readonly height: number;
  readonly image: string;
  readonly truth: string;
  readonly prediction: string;
}

/** Class colours (class 1 first), repeated for tasks with more classes. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180], [70, 240, 240],
  [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255], [170, 110, 40],
];

/** The slice with the most ground-truth foreground (the middle one when there is none). */
export function busiestSlice(label: Volume): number {
  const [X, Y, Z] = label.shape as [number, number, number];
  let best = Math.floor(Z / 2);
  let bestCount = 0;
  for (let z = 0; z < Z; z++) {
    let n = 0;
    for (let i = z * X * Y; i < (z + 1) * X * Y; i++) if (label.data[i] !== 0) n++;
    if (n > bestCount) {
      bestCount = n;
      best = z;
    }
  }
  return best;
}

/**
 * Renders slice z of channel 0 in grey (scaled by `clip`, or [min, max] of the slice), and the
 * same with the labels of `truth` and `prediction` blended in colour. Displayed with x to the
 * right and y upwards (anterior up for RAS-oriented volumes).
 */
export function overlaySlice(caseId: string, image: Volume, truth: ArrayLike<number>, prediction: ArrayLike<number>, z: number, clip: readonly [number, number] | null): OverlaySlice {
  const [X, Y] = image.shape as [number, number];
  const plane = X * Y;
  const Z = image.shape[2]!;
  const base = z * plane; // channel 0 of a 4D [X, Y, Z, C] volume comes first
  let lo = clip?.[0] ?? Infinity;
  let hi = clip?.[1] ?? -Infinity;
  if (!clip) {
    for (let i = 0; i < plane; i++) {
      const v = Number(image.data[base + i]);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const grey = new Uint8Array(plane);
  const at = (x: number, y: number) => x + X * (Y - 1 - y); // pixel (column x, row y) <- voxel (x, Y-1-y)
  for (let row = 0; row < Y; row++) {
    for (let x = 0; x < X; x++) {
      const v = (Number(image.data[base + at(x, row)]) - lo) / span;
      grey[row * X + x] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  }
  const render = (labels: ArrayLike<number> | null) => {
    const rgb = new Uint8Array(plane * 3);
    for (let row = 0; row < Y; row++) {
      for (let x = 0; x < X; x++) {
        const p = row * X + x;
        const g = grey[p]!;
        const l = labels ? Number(labels[base + at(x, row)]) : 0;
        const c = l > 0 ? CLASS_COLOURS[(l - 1) % CLASS_COLOURS.length]! : null;
        for (let k = 0; k < 3; k++) rgb[p * 3 + k] = c ? Math.round(0.45 * g + 0.55 * c[k]!) : g;
      }
    }
    return pngDataUrl(X, Y, rgb);
  };
  if (z < 0 || z >= Z) throw new RangeError(`overlaySlice: slice ${z} outside 0..${Z - 1}`);
  return { caseId, z, width: X, height: Y, image: render(null), truth: render(truth), prediction: render(prediction) };
}
