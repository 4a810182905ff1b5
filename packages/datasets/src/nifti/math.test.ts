import { describe, expect, it } from "vitest";
import { affineToQform, orientationCode, qformToAffine, volumeStats } from "./index.js";
import { det3, matrixToQuaternion, orthogonalFactor, quaternionToMatrix, symmetricEigen3, type Mat3 } from "./matrix3.js";

let seed = 99;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const mul = (a: Mat3, b: Mat3): Mat3 => [0, 1, 2].map((i) => [0, 1, 2].map((j) => a[i]![0]! * b[0]![j]! + a[i]![1]! * b[1]![j]! + a[i]![2]! * b[2]![j]!));
const tr = (a: Mat3): Mat3 => [0, 1, 2].map((i) => [0, 1, 2].map((j) => a[j]![i]!));
const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i]![j]!))));
function randomRotation(): Mat3 {
  const q = [rand(), rand(), rand(), rand()];
  return quaternionToMatrix(q[0]!, q[1]!, q[2]!, q[3]!);
}

describe("3x3 helpers (identities, tolerance 1e-12)", () => {
  it("symmetricEigen3: A = V diag(λ) Vᵀ with V orthonormal", () => {
    for (let k = 0; k < 50; k++) {
      const m = [[rand(), rand(), rand()], [rand(), rand(), rand()], [rand(), rand(), rand()]];
      const a = mul(tr(m), m);
      const { values, vectors } = symmetricEigen3(a);
      const d = [[values[0]!, 0, 0], [0, values[1]!, 0], [0, 0, values[2]!]];
      expect(maxDiff(mul(mul(vectors, d), tr(vectors)), a)).toBeLessThan(1e-12);
      expect(maxDiff(mul(tr(vectors), vectors), [[1, 0, 0], [0, 1, 0], [0, 0, 1]])).toBeLessThan(1e-12);
    }
  });

  it("orthogonalFactor: the rotation of R·(c·I) is R; the factor of any full-rank matrix is orthonormal", () => {
    const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    for (let k = 0; k < 50; k++) {
      const r = randomRotation();
      expect(maxDiff(orthogonalFactor(r.map((row) => row.map((v) => v * 2.5))), r)).toBeLessThan(1e-12);
      const s = [[0.5 + Math.abs(rand()), 0, 0], [0, 0.1 + Math.abs(rand()), 0], [0, 0, 2 + rand()]];
      const m = mul(mul(r, randomRotation()), mul(s, tr(randomRotation())));
      const u = orthogonalFactor(m);
      expect(maxDiff(mul(tr(u), u), I)).toBeLessThan(1e-12);
      // M = U·H with H = Uᵀ·M symmetric (polar decomposition).
      const h = mul(tr(u), m);
      expect(maxDiff(h, tr(h))).toBeLessThan(1e-12);
      expect(det3(u)).toBeCloseTo(Math.sign(det3(m)), 12);
    }
  });

  it("quaternion ↔ matrix round trip (w ≥ 0)", () => {
    for (let k = 0; k < 100; k++) {
      let q = [rand(), rand(), rand(), rand()];
      const n = Math.hypot(...q);
      q = q.map((v) => (v / n) * (q[0]! < 0 ? -1 : 1));
      const back = matrixToQuaternion(quaternionToMatrix(q[0]!, q[1]!, q[2]!, q[3]!));
      for (let i = 0; i < 4; i++) expect(Math.abs(back[i]! - q[i]!)).toBeLessThan(1e-12);
    }
  });

  it("affineToQform → qformToAffine reproduces right- and left-handed rigid affines", () => {
    for (let k = 0; k < 50; k++) {
      const r = randomRotation();
      const sp = [0.5 + Math.abs(rand()), 0.5 + Math.abs(rand()), 1 + Math.abs(rand()) * 4];
      const flip = k % 2 ? -1 : 1;
      const a = [...[0, 1, 2].map((i) => [r[i]![0]! * sp[0]!, r[i]![1]! * sp[1]!, r[i]![2]! * sp[2]! * flip, rand() * 100]), [0, 0, 0, 1]];
      const q = affineToQform(a);
      expect(q.qfac).toBe(flip);
      expect(maxDiff(q.zooms.map((z) => [z]), sp.map((z) => [z]))).toBeLessThan(1e-12);
      expect(maxDiff(qformToAffine({ quatern: q.quatern, offset: q.offset, pixdim: [q.qfac, ...q.zooms] }), a)).toBeLessThan(1e-12);
    }
  });
});

describe("orientationCode (nibabel aff2axcodes)", () => {
  it("named cases", () => {
    const diag = (x: number, y: number, z: number) => [[x, 0, 0, 0], [0, y, 0, 0], [0, 0, z, 0], [0, 0, 0, 1]];
    expect(orientationCode(diag(1, 1, 1))).toBe("RAS");
    expect(orientationCode(diag(-1, -1, 1))).toBe("LPS");
    expect(orientationCode(diag(-0.8, 0.8, -3))).toBe("LAI");
    expect(orientationCode([[0, 0, 2, 0], [1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 0, 1]])).toBe("AIR");
    expect(orientationCode([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]])).toBe("RA?");
    // A small oblique tilt keeps the nearest axes.
    const t = 0.2;
    expect(orientationCode([[Math.cos(t), -Math.sin(t), 0, 0], [Math.sin(t), Math.cos(t), 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])).toBe("RAS");
  });
});

describe("volumeStats", () => {
  it("min / max / mean over all voxels, NaN counted apart", () => {
    expect(volumeStats({ data: new Float32Array([1, NaN, 3, -2]) })).toEqual({ min: -2, max: 3, mean: 2 / 3, count: 3, nanCount: 1 });
    expect(volumeStats({ data: new Uint8Array([255, 0, 5]) })).toEqual({ min: 0, max: 255, mean: 260 / 3, count: 3, nanCount: 0 });
  });
});
