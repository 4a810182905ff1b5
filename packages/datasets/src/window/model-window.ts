import { extractLabelWindow, extractWindow } from "./extract.js";
import type { VolumeGrid } from "./grid.js";
import { resizePlanes, type ResizeMode } from "./resize.js";
import type { ScaledVolume } from "./scale.js";

export interface WindowOptions {
  /** Slices per window (odd; TransSeg: 5). */
  readonly window: number;
  /** Model input size [H, W] (H = x, W = y). */
  readonly img: readonly [number, number];
  /** Image resize rule (default `auto`: area when shrinking, bilinear when growing). */
  readonly mode?: ResizeMode;
}

/** The model input for slice z resized to `img`: `[C, window, img[0], img[1]]` float32. */
export function modelWindow(vol: ScaledVolume, z: number, options: WindowOptions): Float32Array {
  const [X, Y, , C] = vol.shape;
  const win = extractWindow(vol, z, options.window);
  return resizePlanes(win, C * options.window, [X, Y], options.img, options.mode ?? "auto");
}

/** The label planes of that window resized with nearest: `[window, img[0], img[1]]` int32. */
export function modelLabelWindow(label: VolumeGrid, z: number, options: Pick<WindowOptions, "window" | "img">): Int32Array {
  const win = extractLabelWindow(label, z, options.window);
  return resizePlanes(win, options.window, [label.shape[0]!, label.shape[1]!], options.img, "nearest");
}
