/**
 * BEiT relative position index for a 3D token grid `[Gd, Gh, Gw]` (tokens flattened in
 * (d, h, w) order, cls first). The table has `(2Gd-1)(2Gh-1)(2Gw-1) + 3` rows: offset
 * `(dd, dh, dw)` maps to `(dd+Gd-1)(2Gh-1)(2Gw-1) + (dh+Gh-1)(2Gw-1) + (dw+Gw-1)`, then the
 * three extra rows cls->token, token->cls, cls->cls. With a 2D table tiled `2Gd-1` times (what
 * inflation writes) the bias does not depend on the depth offset.
 */
export function relativePositionIndex(grid: readonly [number, number, number]): Int32Array {
  const [gd, gh, gw] = grid;
  const t = gd * gh * gw;
  const n = t + 1;
  const rows = (2 * gd - 1) * (2 * gh - 1) * (2 * gw - 1);
  const out = new Int32Array(n * n);
  const coord = (i: number): [number, number, number] => [Math.floor(i / (gh * gw)), Math.floor(i / gw) % gh, i % gw];
  for (let i = 0; i < t; i++) {
    const [di, hi, wi] = coord(i);
    for (let j = 0; j < t; j++) {
      const [dj, hj, wj] = coord(j);
      out[(i + 1) * n + (j + 1)] = (di - dj + gd - 1) * (2 * gh - 1) * (2 * gw - 1) + (hi - hj + gh - 1) * (2 * gw - 1) + (wi - wj + gw - 1);
    }
  }
  for (let j = 0; j < n; j++) out[j] = rows; // cls -> token
  for (let i = 0; i < n; i++) out[i * n] = rows + 1; // token -> cls
  out[0] = rows + 2; // cls -> cls
  return out;
}

/** Rows of the relative position bias table for a grid. */
export function relativePositionTableRows(grid: readonly [number, number, number]): number {
  return (2 * grid[0] - 1) * (2 * grid[1] - 1) * (2 * grid[2] - 1) + 3;
}
