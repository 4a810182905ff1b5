import { gridDims, type VolumeGrid } from "./grid.js";
import type { ScaledVolume } from "./scale.js";

/** Slice indices of the `window`-slice stack centred on z, clamped to [0, Z − 1] (edges repeated). */
export function windowSlices(z: number, depth: number, window: number): number[] {
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0) throw new Error(`window must be an odd positive integer, got ${window}`);
  if (!Number.isInteger(z) || z < 0 || z >= depth) throw new Error(`slice ${z} is outside [0, ${depth - 1}]`);
  const k = (window - 1) / 2;
  return Array.from({ length: window }, (_, d) => Math.min(Math.max(z - k + d, 0), depth - 1));
}

/**
 * The model input for slice z (SPEC §3): `[C, D, H, W]` float32 with H = x, W = y,
 * element (c, d, h, w) = vol[x = h, y = w, z = clamp(z − k + d), c], k = (window − 1) / 2.
 */
export function extractWindow(vol: ScaledVolume, z: number, window: number): Float32Array {
  const [X, Y, Z, C] = vol.shape;
  const slices = windowSlices(z, Z, window);
  const out = new Float32Array(C * window * X * Y);
  const src = vol.data;
  let o = 0;
  for (let c = 0; c < C; c++) {
    for (const zz of slices) {
      const plane = X * Y * (zz + Z * c);
      for (let h = 0; h < X; h++) {
        for (let w = 0; w < Y; w++) out[o++] = src[plane + h + X * w]!;
      }
    }
  }
  return out;
}

/** The label planes of the same window: `[D, H, W]` int32 (H = x, W = y). */
export function extractLabelWindow(label: VolumeGrid, z: number, window: number): Int32Array {
  const [X, Y, Z, C] = gridDims(label, "label");
  if (C !== 1) throw new Error(`label: expected a 3D label map, got shape [${label.shape.join(", ")}]`);
  const slices = windowSlices(z, Z, window);
  const out = new Int32Array(window * X * Y);
  const src = label.data;
  let o = 0;
  for (const zz of slices) {
    const plane = X * Y * zz;
    for (let h = 0; h < X; h++) {
      for (let w = 0; w < Y; w++) out[o++] = src[plane + h + X * w]!;
    }
  }
  return out;
}
