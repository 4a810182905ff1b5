import { orthogonalFactor } from "./matrix3.js";

const LABELS = [["L", "R"], ["P", "A"], ["I", "S"]] as const;

/**
 * Axis codes of a voxel-to-world affine, like nibabel's `aff2axcodes`: for each voxel axis the
 * world direction it points to ("R"/"L", "A"/"P", "S"/"I"), e.g. "RAS" for the identity and
 * "LPS" for diag(-1, -1, 1). Axes are matched greedily on the closest rotation to the affine;
 * a degenerate axis gives "?".
 */
export function orientationCode(affine: readonly (readonly number[])[]): string {
  const rzs = [0, 1, 2].map((i) => [0, 1, 2].map((j) => affine[i]![j]!));
  const zooms = [0, 1, 2].map((j) => Math.hypot(rzs[0]![j]!, rzs[1]![j]!, rzs[2]![j]!) || 1);
  const R = orthogonalFactor(rzs.map((row) => row.map((v, j) => v / zooms[j]!)));
  let code = "";
  for (let axis = 0; axis < 3; axis++) {
    const col = [R[0]![axis]!, R[1]![axis]!, R[2]![axis]!];
    if (col.every((v) => Math.abs(v) <= 1e-8)) {
      code += "?";
      continue;
    }
    let out = 0;
    for (let i = 1; i < 3; i++) if (Math.abs(col[i]!) > Math.abs(col[out]!)) out = i;
    code += LABELS[out]![col[out]! < 0 ? 0 : 1];
    for (let j = 0; j < 3; j++) R[out]![j] = 0; // this world axis is taken
  }
  return code;
}
