import type { GridOptions } from "./types.js";

/** A validated grid: extents, spacing and the stride of each axis (axis 0 fastest). */
export interface Grid {
  readonly shape: readonly number[];
  readonly spacing: readonly number[];
  readonly strides: readonly number[];
  readonly size: number;
}

/** Checks shape and spacing against the data length; `what` names the input in errors. */
export function resolveGrid(options: GridOptions, length: number, what = "volume"): Grid {
  const { shape } = options;
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new RangeError(`${what}: shape must be a non-empty array of extents, got ${JSON.stringify(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1) {
      throw new RangeError(`${what}: shape [${shape.join(", ")}] has an extent that is not a positive integer`);
    }
  }
  const spacing = options.spacing ?? shape.map(() => 1);
  if (spacing.length !== shape.length) {
    throw new RangeError(
      `${what}: spacing [${spacing.join(", ")}] has ${spacing.length} values but shape [${shape.join(", ")}] has ${shape.length} axes`,
    );
  }
  for (const s of spacing) {
    if (!(Number.isFinite(s) && s > 0)) {
      throw new RangeError(`${what}: spacing [${spacing.join(", ")}] must hold finite positive voxel sizes (mm)`);
    }
  }
  const strides: number[] = [];
  let size = 1;
  for (const d of shape) {
    strides.push(size);
    size *= d;
  }
  if (size !== length) {
    throw new RangeError(`${what}: has ${length} voxels but shape [${shape.join(", ")}] needs ${size}`);
  }
  return { shape: [...shape], spacing: [...spacing], strides, size };
}
