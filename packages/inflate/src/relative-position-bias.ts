import { resizeBicubic } from "./bicubic.js";
import { squareSide, type Grid2d } from "./grid.js";

/** Rows after the grid part: cls->token, token->cls, cls->cls. */
export const EXTRA_BIAS_ROWS = 3;

export interface ResizedBiasTable {
  readonly data: Float32Array;
  /** `[(2Gd-1)(2Gh-1)(2Gw-1) + 3, heads]` */
  readonly shape: readonly [number, number];
  /** The 2D source grid (Gh0, Gw0), inferred from a square (2G0-1)² part. */
  readonly sourceGrid: Grid2d;
}

/**
 * BEiT relative-position-bias table `[(2Gh0-1)(2Gw0-1) + 3, heads]` -> 3D: the grid part is resized per
 * head bicubically (PyTorch semantics) to `(2Gh-1, 2Gw-1)`, then tiled `2Gd-1` times (a depth-invariant
 * bias: relative depth is the slowest index of the 3D table), and the 3 extra rows appended.
 */
export function resizeRelativePositionBiasTable(data: Float32Array, shape: readonly number[], grid: Grid2d, depthGrid: number): ResizedBiasTable {
  if (shape.length !== 2) throw new Error(`relative_position_bias_table must have shape [rows, heads], got [${shape.join(", ")}]`);
  const [rows, heads] = shape as [number, number];
  if (data.length !== rows * heads) throw new Error(`tensor has ${data.length} values but shape [${shape.join(", ")}] needs ${rows * heads}`);
  if (!Number.isInteger(depthGrid) || depthGrid < 1) throw new Error(`depth grid must be a positive integer, got ${depthGrid}`);
  const side = squareSide(rows - EXTRA_BIAS_ROWS, `relative_position_bias_table grid rows (${rows} - ${EXTRA_BIAS_ROWS} extra)`);
  if (side % 2 === 0) throw new Error(`relative_position_bias_table grid rows form a ${side}x${side} square; expected an odd side 2G-1`);
  const core = data.subarray(0, side * side * heads);
  const dst: Grid2d = [2 * grid[0] - 1, 2 * grid[1] - 1];
  const resized = resizeBicubic(core, [side, side], dst, heads);
  const tiles = 2 * depthGrid - 1;
  const out = new Float32Array((tiles * resized.length) + EXTRA_BIAS_ROWS * heads);
  for (let t = 0; t < tiles; t++) out.set(resized, t * resized.length);
  out.set(data.subarray(side * side * heads), tiles * resized.length);
  return { data: out, shape: [tiles * dst[0] * dst[1] + EXTRA_BIAS_ROWS, heads], sourceGrid: [(side + 1) / 2, (side + 1) / 2] };
}
