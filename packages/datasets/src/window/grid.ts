/** Any numeric volume in NIfTI order (x fastest): index = x + X*(y + Y*(z + Z*c)). */
export interface VolumeGrid<T extends ArrayLike<number> = ArrayLike<number>> {
  readonly data: T;
  /** [X, Y, Z] or [X, Y, Z, C]. */
  readonly shape: readonly number[];
}

/** The four extents [X, Y, Z, C] of a 3D (C = 1) or 4D volume; throws on other shapes or sizes. */
export function gridDims(grid: VolumeGrid, what = "volume"): [number, number, number, number] {
  const s = grid.shape;
  if (s.length !== 3 && s.length !== 4) throw new Error(`${what}: expected a 3D or 4D shape, got [${s.join(", ")}]`);
  const dims: [number, number, number, number] = [s[0]!, s[1]!, s[2]!, s[3] ?? 1];
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`${what}: invalid shape [${s.join(", ")}]`);
  const n = dims[0] * dims[1] * dims[2] * dims[3];
  if (grid.data.length !== n) throw new Error(`${what}: ${grid.data.length} values for shape [${s.join(", ")}] (${n} expected)`);
  return dims;
}
