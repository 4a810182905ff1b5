/**
 * Surface voxels: `mask XOR erode(mask)` with the cross structuring element (2 * ndim
 * neighbours: 6-connected in 3D). Erosion treats voxels outside the array as background, so a
 * mask voxel on the array border is always a surface voxel (scipy's `binary_erosion` default).
 */
import { resolveGrid, type Grid } from "./grid.js";
import type { GridOptions, LabelArray } from "./types.js";

/** Edge flags (1/0) of a 0/1 mask on `grid`. */
export function edgesOnGrid(mask: Uint8Array, grid: Grid): Uint8Array {
  if (grid.shape.length === 3) return edges3d(mask, grid);
  const { shape, strides, size } = grid;
  const edges = new Uint8Array(size);
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k]!;
    const s = strides[k]!;
    const block = n * s;
    for (let outer = 0; outer < size; outer += block) {
      for (let i = 0; i < n; i++) {
        const row = outer + i * s;
        const atLow = i === 0;
        const atHigh = i === n - 1;
        for (let idx = row, end = row + s; idx < end; idx++) {
          if (mask[idx] === 0 || edges[idx] === 1) continue;
          if (atLow || atHigh || mask[idx - s] === 0 || mask[idx + s] === 0) edges[idx] = 1;
        }
      }
    }
  }
  return edges;
}

/** Surface voxels (1/0) of the nonzero voxels of `mask`, or of `label` when given. */
export function surfaceEdges(mask: LabelArray, options: GridOptions & { readonly label?: number }): Uint8Array {
  const grid = resolveGrid(options, mask.length, "mask");
  const bin = new Uint8Array(grid.size);
  const { label } = options;
  for (let i = 0; i < bin.length; i++) bin[i] = (label === undefined ? mask[i] !== 0 : mask[i] === label) ? 1 : 0;
  return edgesOnGrid(bin, grid);
}

/** The same for three axes, in one pass: only mask voxels look at their six neighbours. */
function edges3d(mask: Uint8Array, grid: Grid): Uint8Array {
  const [X, Y, Z] = grid.shape as [number, number, number];
  const XY = X * Y;
  const edges = new Uint8Array(grid.size);
  for (let z = 0; z < Z; z++) {
    const zBorder = z === 0 || z === Z - 1;
    for (let y = 0; y < Y; y++) {
      const border = zBorder || y === 0 || y === Y - 1;
      const base = X * (y + Y * z);
      for (let x = 0; x < X; x++) {
        const i = base + x;
        if (mask[i] === 0) continue;
        if (
          border ||
          x === 0 ||
          x === X - 1 ||
          mask[i - 1] === 0 ||
          mask[i + 1] === 0 ||
          mask[i - X] === 0 ||
          mask[i + X] === 0 ||
          mask[i - XY] === 0 ||
          mask[i + XY] === 0
        ) {
          edges[i] = 1;
        }
      }
    }
  }
  return edges;
}
