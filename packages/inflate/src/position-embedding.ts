import { resizeBicubic } from "./bicubic.js";
import { squareSide, type Grid2d } from "./grid.js";

export interface PositionEmbeddingTarget {
  /** Extra tokens kept first and unchanged (1 for a cls token, 2 with a DeiT dist token). */
  readonly extraTokens: number;
  /** Target grid (H/P, W/P). */
  readonly grid: Grid2d;
  /** Depth grid Gd = window / patchDepth: the resized grid is repeated this many times. */
  readonly depthGrid: number;
}

export interface ResizedPositionEmbedding {
  readonly data: Float32Array;
  /** `[1, E + Gd*Gh*Gw, D]` */
  readonly shape: readonly [1, number, number];
  /** The source grid, inferred as the square root of the grid tokens. */
  readonly sourceGrid: Grid2d;
}

/**
 * Absolute position embedding `[1, E + Gh0*Gw0, D]` -> `[1, E + Gd*Gh*Gw, D]`: the grid part
 * (a square Gh0 = Gw0 = sqrt(tokens - E)) is resized bicubically (PyTorch semantics) to the target
 * grid, then repeated over the depth grid; tokens are flattened in (d, h, w) order, extra tokens first.
 */
export function resizePositionEmbedding(data: Float32Array, shape: readonly number[], target: PositionEmbeddingTarget): ResizedPositionEmbedding {
  if (shape.length !== 3 || shape[0] !== 1) throw new Error(`pos_embed must have shape [1, tokens, dim], got [${shape.join(", ")}]`);
  const [, tokens, dim] = shape as [number, number, number];
  if (data.length !== tokens * dim) throw new Error(`tensor has ${data.length} values but shape [${shape.join(", ")}] needs ${tokens * dim}`);
  const { extraTokens: e, grid, depthGrid } = target;
  if (!Number.isInteger(depthGrid) || depthGrid < 1) throw new Error(`depth grid must be a positive integer, got ${depthGrid}`);
  if (tokens <= e) throw new Error(`pos_embed has ${tokens} tokens, not more than its ${e} extra (cls/dist) tokens`);
  const side = squareSide(tokens - e, `pos_embed grid tokens (${tokens} - ${e} extra)`);
  const resized = resizeBicubic(data.subarray(e * dim), [side, side], grid, dim);
  const plane = grid[0] * grid[1] * dim;
  const out = new Float32Array(e * dim + depthGrid * plane);
  out.set(data.subarray(0, e * dim));
  for (let d = 0; d < depthGrid; d++) out.set(resized, e * dim + d * plane);
  return { data: out, shape: [1, e + depthGrid * grid[0] * grid[1], dim], sourceGrid: [side, side] };
}
