import { det3, matrixToQuaternion, orthogonalFactor, quaternionToMatrix, type Mat3 } from "./matrix3.js";

/** The quaternion form of a NIfTI orientation (`quatern_b/c/d`, `qoffset_x/y/z`, `pixdim[0..3]`). */
export interface QformParams {
  readonly quatern: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
  /** qfac = pixdim[0]: 1, or -1 for a left-handed voxel grid. */
  readonly qfac: 1 | -1;
  /** pixdim[1..3]: the voxel sizes (lengths of the affine's first three columns). */
  readonly zooms: readonly [number, number, number];
}

export function identity4(): number[][] {
  return [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
}

/** The affine of a qform (NIfTI method 2), computed as nibabel does: qfac other than -1 counts as 1. */
export function qformToAffine(q: { quatern: readonly number[]; offset: readonly number[]; pixdim: readonly number[] }): number[][] {
  const [b, c, d] = q.quatern as [number, number, number];
  const w2 = 1 - (b * b + c * c + d * d);
  const R = quaternionToMatrix(w2 > 0 ? Math.sqrt(w2) : 0, b, c, d);
  const qfac = q.pixdim[0] === -1 ? -1 : 1;
  const vox = [q.pixdim[1]!, q.pixdim[2]!, q.pixdim[3]! * qfac];
  const out = identity4();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i]![j] = R[i]![j]! * vox[j]!;
    out[i]![3] = q.offset[i]!;
  }
  return out;
}

/** Lengths of the first three columns of an affine: the voxel sizes. */
export function affineZooms(affine: readonly (readonly number[])[]): [number, number, number] {
  return [0, 1, 2].map((j) => Math.hypot(affine[0]![j]!, affine[1]![j]!, affine[2]![j]!)) as [number, number, number];
}

/**
 * The qform that best represents an affine (as nibabel's `set_qform`): zooms from the column
 * lengths, qfac = -1 when the rotation part has a negative determinant (its z column flipped),
 * the closest rotation to the rest as a quaternion with a non-negative real part.
 */
export function affineToQform(affine: readonly (readonly number[])[]): QformParams {
  const zooms = affineZooms(affine);
  if (zooms.some((z) => !(z > 0) || !Number.isFinite(z))) throw new RangeError(`affine has a zero or non-finite voxel axis (column lengths ${zooms.join(", ")})`);
  const R: Mat3 = [0, 1, 2].map((i) => [0, 1, 2].map((j) => affine[i]![j]! / zooms[j]!));
  let qfac: 1 | -1 = 1;
  if (!(det3(R) > 0)) {
    qfac = -1;
    for (let i = 0; i < 3; i++) R[i]![2] = -R[i]![2]!;
  }
  const [, b, c, d] = matrixToQuaternion(orthogonalFactor(R));
  return { quatern: [b, c, d], offset: [affine[0]![3]!, affine[1]![3]!, affine[2]![3]!], qfac, zooms };
}
