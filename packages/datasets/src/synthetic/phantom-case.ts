import type { TaskProfile } from "../profiles/types.js";
import { createRng, deriveSeed } from "../random/rng.js";
import { placeStructure, type Grid, type Shape } from "./geometry.js";

export interface PhantomCaseOptions {
  /** In-plane size X = Y (default 64). */
  readonly size?: number;
  /** Slices Z (default max(8, round(size / 2))). */
  readonly depth?: number;
  /** Case seed. */
  readonly seed: number;
}

export interface PhantomCase {
  /** Int16 Hounsfield units for CT, float32 arbitrary positive units for MRI; [X, Y, Z] or [X, Y, Z, C]. */
  readonly image: { readonly data: Int16Array | Float32Array; readonly shape: number[] };
  /** Uint8 class map [X, Y, Z]. */
  readonly label: { readonly data: Uint8Array; readonly shape: number[] };
  /** Voxel size in mm (anisotropic: z twice the in-plane spacing). */
  readonly spacing: [number, number, number];
  readonly affine: number[][];
}

/**
 * Version of the phantom generator: changes whenever the same profile and seed would give other
 * voxels (studies record it, so results from different generators are never mixed).
 */
export const SYNTH_GENERATOR_VERSION = "phantom/2";

const DEFAULT_LEVEL = { organ: 0.55, lesion: 0.35, tube: 0.9, shell: 0.6 } as const;

/** The display range the phantom's levels refer to: the clip, or [0, 1000] for MRI without one. */
function displayRange(profile: TaskProfile): [number, number] {
  return profile.clip ? [profile.clip[0], profile.clip[1]] : [0, 1000];
}

/** Channel contrast of structure i (fixed per profile, so every case shares the same appearance). */
function channelFactor(i: number, c: number): number {
  return c === 0 ? 1 : 0.55 + 0.9 * (deriveSeed(17, i, c) / 4294967296);
}

/**
 * One synthetic case of a profile: a body ellipse with the profile's phantom structures
 * (organs, lesions, tubes, shells), modality-like intensities and Gaussian noise, MRI with a
 * smooth bias field. Deterministic for (profile, options).
 */
export function synthesizeCase(profile: TaskProfile, options: PhantomCaseOptions): PhantomCase {
  const S = options.size ?? 64;
  const Z = options.depth ?? Math.max(8, Math.round(S / 2));
  if (!(Number.isInteger(S) && S >= 8 && Number.isInteger(Z) && Z >= 1)) throw new Error(`synthesizeCase: invalid size ${S} / depth ${Z}`);
  const g: Grid = { X: S, Y: S, Z };
  const rng = createRng(options.seed);
  const C = profile.channels;
  const n = S * S * Z;
  const labelMap = new Uint8Array(n);
  // Level per voxel (fraction of the display range); NaN = outside the body.
  const level = new Float32Array(n).fill(NaN);
  // Index of the structure that owns each voxel (-1 = body tissue).
  const owner = new Int16Array(n).fill(-1);

  const wobble = rng.uniform(0, 6.3);
  for (let z = 0; z < Z; z++) {
    const f = 1 + 0.06 * Math.sin((2 * Math.PI * z) / Z + wobble);
    const ax = 0.46 * S * f;
    const ay = 0.38 * S * f;
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const u = (x + 0.5 - S / 2) / ax;
        const v = (y + 0.5 - S / 2) / ay;
        if (u * u + v * v <= 1) level[x + S * (y + S * z)] = 0.3;
      }
    }
  }

  // Place parents before children, draw in list order; copies (`count`) right after their first.
  const shapes: (Shape | undefined)[] = [];
  const place = (i: number): Shape => {
    const done = shapes[i];
    if (done) return done;
    const s = profile.phantom[i]!;
    if (s.parent !== undefined) place(s.parent);
    const shape = placeStructure(g, s, shapes, createRng(deriveSeed(options.seed, 101, i)));
    shapes[i] = shape;
    return shape;
  };
  profile.phantom.forEach((_, i) => place(i));
  const paint = (shape: Shape, lv: number, label: number, i: number) => {
    const [x0, x1, y0, y1, z0, z1] = shape.box;
    for (let z = z0; z <= z1; z++) {
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          if (!shape.inside(x, y, z)) continue;
          const idx = x + S * (y + S * z);
          labelMap[idx] = label;
          level[idx] = lv;
          owner[idx] = i;
        }
      }
    }
  };
  profile.phantom.forEach((s, i) => {
    const lv = (s.intensity ?? DEFAULT_LEVEL[s.kind]) + rng.uniform(-0.03, 0.03);
    paint(shapes[i]!, lv, s.label, i);
    for (let k = 1; k < (s.count ?? 1); k++) {
      paint(placeStructure(g, s, shapes, createRng(deriveSeed(options.seed, 101, i, k))), lv, s.label, i);
    }
  });

  const [lo, hi] = displayRange(profile);
  const span = hi - lo;
  const ct = profile.modality === "CT";
  const image = ct ? new Int16Array(n * C) : new Float32Array(n * C);
  const sigma = 0.035 * span;
  for (let c = 0; c < C; c++) {
    const bias = [rng.uniform(0, 6.3), rng.uniform(0, 6.3)];
    for (let z = 0; z < Z; z++) {
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          const i = x + S * (y + S * z);
          const l = level[i]!;
          let v: number;
          if (Number.isNaN(l)) {
            v = ct ? -1000 + 0.3 * sigma * rng.normal() : Math.abs(0.01 * span * rng.normal());
          } else {
            const k = owner[i]! >= 0 ? channelFactor(owner[i]!, c) : 1;
            v = lo + l * k * span + sigma * rng.normal();
            if (!ct) v = Math.max(0, v * (1 + 0.08 * Math.sin((Math.PI * x) / S + bias[0]!) * Math.cos((Math.PI * y) / S + bias[1]!)));
          }
          image[c * n + i] = ct ? Math.max(-1024, Math.min(3071, Math.round(v))) : v;
        }
      }
    }
  }

  const p = (ct ? 0.8 : 1.0) * (256 / S);
  const spacing: [number, number, number] = [p, p, 2 * p];
  const affine = [
    [p, 0, 0, (-p * S) / 2],
    [0, p, 0, (-p * S) / 2],
    [0, 0, 2 * p, -p * Z],
    [0, 0, 0, 1],
  ];
  return {
    image: { data: image, shape: C > 1 ? [S, S, Z, C] : [S, S, Z] },
    label: { data: labelMap, shape: [S, S, Z] },
    spacing,
    affine,
  };
}
