/** Small dense 3x3 helpers (row-major `number[][]`) for affines and orientations. */
export type Mat3 = number[][];

export function det3(m: Mat3): number {
  const [a, b, c] = m as [number[], number[], number[]];
  return a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
}

/** Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations: A = V diag(values) Vᵀ (eigenvectors are V's columns). */
export function symmetricEigen3(a: Mat3): { values: number[]; vectors: Mat3 } {
  const A = a.map((r) => [...r]);
  const V = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = A[0]![1]! ** 2 + A[0]![2]! ** 2 + A[1]![2]! ** 2;
    const diag = A[0]![0]! ** 2 + A[1]![1]! ** 2 + A[2]![2]! ** 2;
    if (off <= 1e-30 * diag || off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = A[p]![q]!;
      if (apq === 0) continue;
      const theta = (A[q]![q]! - A[p]![p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = A[k]![p]!, akq = A[k]![q]!;
        A[k]![p] = c * akp - s * akq;
        A[k]![q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = A[p]![k]!, aqk = A[q]![k]!;
        A[p]![k] = c * apk - s * aqk;
        A[q]![k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = V[k]![p]!, vkq = V[k]![q]!;
        V[k]![p] = c * vkp - s * vkq;
        V[k]![q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: [A[0]![0]!, A[1]![1]!, A[2]![2]!], vectors: V };
}

/**
 * The orthogonal factor of M's polar decomposition restricted to its numerical rank:
 * with M = P S Qᵀ (SVD), returns P[:, keep] Q[:, keep]ᵀ for singular values above
 * max(S)·3·eps — the closest (partial) rotation to M.
 */
export function orthogonalFactor(m: Mat3): Mat3 {
  const mtm = [0, 1, 2].map((i) => [0, 1, 2].map((j) => m[0]![i]! * m[0]![j]! + m[1]![i]! * m[1]![j]! + m[2]![i]! * m[2]![j]!));
  const { values, vectors } = symmetricEigen3(mtm);
  const sing = values.map((v) => Math.sqrt(Math.max(v, 0)));
  const tol = Math.max(...sing) * 3 * Number.EPSILON;
  const out = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let k = 0; k < 3; k++) {
    if (!(sing[k]! > tol)) continue;
    const v = [vectors[0]![k]!, vectors[1]![k]!, vectors[2]![k]!];
    const u = [0, 1, 2].map((i) => (m[i]![0]! * v[0]! + m[i]![1]! * v[1]! + m[i]![2]! * v[2]!) / sing[k]!);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[i]![j]! += u[i]! * v[j]!;
  }
  return out;
}

/** Rotation matrix of a quaternion (w, x, y, z); normalised first, identity for a zero quaternion. */
export function quaternionToMatrix(w: number, x: number, y: number, z: number): Mat3 {
  const n = w * w + x * x + y * y + z * z;
  if (n < Number.EPSILON) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const s = 2 / n;
  const X = x * s, Y = y * s, Z = z * s;
  const wX = w * X, wY = w * Y, wZ = w * Z;
  const xX = x * X, xY = x * Y, xZ = x * Z;
  const yY = y * Y, yZ = y * Z, zZ = z * Z;
  return [
    [1 - (yY + zZ), xY - wZ, xZ + wY],
    [xY + wZ, 1 - (xX + zZ), yZ - wX],
    [xZ - wY, yZ + wX, 1 - (xX + yY)],
  ];
}

/** Unit quaternion (w ≥ 0, x, y, z) of a proper rotation matrix (Shepperd's method). */
export function matrixToQuaternion(r: Mat3): [number, number, number, number] {
  const [r00, r01, r02] = r[0] as [number, number, number];
  const [r10, r11, r12] = r[1] as [number, number, number];
  const [r20, r21, r22] = r[2] as [number, number, number];
  const trace = r00 + r11 + r22;
  let q: [number, number, number, number];
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    q = [s / 4, (r21 - r12) / s, (r02 - r20) / s, (r10 - r01) / s];
  } else if (r00 > r11 && r00 > r22) {
    const s = Math.sqrt(1 + r00 - r11 - r22) * 2;
    q = [(r21 - r12) / s, s / 4, (r01 + r10) / s, (r02 + r20) / s];
  } else if (r11 > r22) {
    const s = Math.sqrt(1 + r11 - r00 - r22) * 2;
    q = [(r02 - r20) / s, (r01 + r10) / s, s / 4, (r12 + r21) / s];
  } else {
    const s = Math.sqrt(1 + r22 - r00 - r11) * 2;
    q = [(r10 - r01) / s, (r02 + r20) / s, (r12 + r21) / s, s / 4];
  }
  const n = Math.hypot(...q);
  const sign = q[0] < 0 ? -1 : 1;
  return q.map((v) => (sign * v) / n) as [number, number, number, number];
}
