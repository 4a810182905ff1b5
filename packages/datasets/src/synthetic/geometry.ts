import type { PhantomStructure } from "../profiles/types.js";
import type { Rng } from "../random/rng.js";

/** A placed structure: `inside(x, y, z)` in voxel coordinates, plus a bounding box to scan. */
export interface Shape {
  readonly inside: (x: number, y: number, z: number) => boolean;
  /** Inclusive voxel bounds [x0, x1, y0, y1, z0, z1] (clamped to the grid). */
  readonly box: readonly [number, number, number, number, number, number];
  /** A point inside and the in-plane / depth radii (used to place children). */
  readonly centre: (z?: number) => readonly [number, number, number];
  readonly radius: number;
  readonly radiusZ: number;
  readonly zRange: readonly [number, number];
}

export interface Grid {
  readonly X: number;
  readonly Y: number;
  readonly Z: number;
}

const clampBox = (g: Grid, x0: number, x1: number, y0: number, y1: number, z0: number, z1: number) =>
  [
    Math.max(0, Math.floor(x0)), Math.min(g.X - 1, Math.ceil(x1)),
    Math.max(0, Math.floor(y0)), Math.min(g.Y - 1, Math.ceil(y1)),
    Math.max(0, Math.floor(z0)), Math.min(g.Z - 1, Math.ceil(z1)),
  ] as const;

/**
 * A rotated ellipsoid with a wavy outline (radius modulated by sin 2φ and sin 3φ), so its
 * cross-section grows, changes shape and vanishes between slices.
 */
export function ellipsoid(g: Grid, c: readonly [number, number, number], rx: number, ry: number, rz: number, rng: Rng, parent?: Shape): Shape {
  const th = rng.uniform(0, Math.PI);
  const [a2, p2, a3, p3] = [rng.uniform(0.04, 0.12), rng.uniform(0, 6.3), rng.uniform(0.02, 0.08), rng.uniform(0, 6.3)];
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  const [cx, cy, cz] = c;
  const inside = (x: number, y: number, z: number): boolean => {
    const dx = x - cx;
    const dy = y - cy;
    const u = (dx * cos + dy * sin) / rx;
    const v = (-dx * sin + dy * cos) / ry;
    const w = (z - cz) / rz;
    const phi = Math.atan2(v, u);
    const m = 1 + a2 * Math.sin(2 * phi + p2) + a3 * Math.sin(3 * phi + p3);
    return u * u + v * v + w * w <= m * m && (parent === undefined || parent.inside(x, y, z));
  };
  const r = Math.max(rx, ry) * 1.2;
  return {
    inside,
    box: clampBox(g, cx - r, cx + r, cy - r, cy + r, cz - rz * 1.2, cz + rz * 1.2),
    centre: () => c,
    radius: Math.min(rx, ry),
    radiusZ: rz,
    zRange: [cz - rz, cz + rz],
  };
}

/** A curved tube along z from z0 to z1 whose radius thins linearly to half. */
export function tube(g: Grid, c: readonly [number, number], amplitude: number, r0: number, z0: number, z1: number, rng: Rng, parent?: Shape): Shape {
  const [fx, px, py] = [rng.uniform(0.5, 1.5), rng.uniform(0, 6.3), rng.uniform(0, 6.3)];
  const path = (z: number): [number, number] => {
    const t = (2 * Math.PI * fx * z) / g.Z;
    return [c[0] + amplitude * Math.sin(t + px), c[1] + amplitude * Math.cos(t + py)];
  };
  const radiusAt = (z: number) => r0 * (1 - 0.5 * Math.min(1, Math.max(0, (z - z0) / Math.max(1, z1 - z0))));
  const inside = (x: number, y: number, z: number): boolean => {
    if (z < z0 || z > z1) return false;
    const [px2, py2] = path(z);
    const r = radiusAt(z);
    return (x - px2) ** 2 + (y - py2) ** 2 <= r * r && (parent === undefined || parent.inside(x, y, z));
  };
  const reach = amplitude + r0 + 1;
  return {
    inside,
    box: clampBox(g, c[0] - reach, c[0] + reach, c[1] - reach, c[1] + reach, z0, z1),
    centre: (z = (z0 + z1) / 2) => [...path(z), z] as const,
    radius: r0 * 0.75,
    radiusZ: (z1 - z0) / 2,
    zRange: [z0, z1],
  };
}

/**
 * Places one phantom structure. `shapes` holds already placed structures by index (parents
 * are placed first by the caller). Sizes are in voxels, relative to the in-plane size S and
 * depth Z of the grid.
 */
export function placeStructure(g: Grid, s: PhantomStructure, shapes: readonly (Shape | undefined)[], rng: Rng): Shape {
  const S = Math.min(g.X, g.Y);
  const size = s.size ?? 1;
  const depthScale = s.depthScale ?? 1;
  const parent = s.parent === undefined ? undefined : shapes[s.parent];
  if (s.parent !== undefined && parent === undefined) throw new Error(`phantom: parent ${s.parent} is not placed yet`);
  // The structure's `at` (fractions of the body half-axes 0.46 S, 0.38 S, jittered), or a
  // random centre inside the body ellipse (radii 0.44 S, 0.36 S), away from its rim.
  const bodyPoint = (): [number, number] => {
    if (s.at) {
      const [ax, ay] = [s.at[0] + rng.uniform(-0.08, 0.08), s.at[1] + rng.uniform(-0.08, 0.08)];
      return [g.X / 2 + ax * 0.46 * g.X, g.Y / 2 + ay * 0.38 * g.Y];
    }
    const a = rng.uniform(0, 2 * Math.PI);
    const f = Math.sqrt(rng.next()) * 0.5;
    return [g.X / 2 + f * 0.44 * g.X * Math.cos(a), g.Y / 2 + f * 0.36 * g.Y * Math.sin(a)];
  };
  switch (s.kind) {
    case "organ": {
      const [cx, cy] = bodyPoint();
      const rz = Math.min(0.45, rng.uniform(0.16, 0.28) * (0.7 + 0.3 * size)) * g.Z;
      const cz = rng.uniform(0.3, 0.7) * g.Z;
      return ellipsoid(g, [cx, cy, cz], size * 0.1 * S * rng.uniform(0.85, 1.2), size * 0.08 * S * rng.uniform(0.85, 1.2), Math.max(1.5 * Math.min(1, depthScale), rz * depthScale), rng);
    }
    case "lesion": {
      const p = parent!;
      const [zlo, zhi] = p.zRange;
      const z = zlo + (zhi - zlo) * rng.uniform(0.35, 0.65);
      const [px, py] = p.centre(z);
      const a = rng.uniform(0, 2 * Math.PI);
      const off = 0.35 * p.radius * rng.next();
      const r = Math.max(1.6, size * 0.35 * p.radius);
      const rz = depthScale * Math.max(1.3, size * 0.35 * Math.min(p.radiusZ, 0.25 * g.Z));
      return ellipsoid(g, [px + off * Math.cos(a), py + off * Math.sin(a), z], r * rng.uniform(0.9, 1.1), r * rng.uniform(0.8, 1.0), rz, rng, p);
    }
    case "tube": {
      const z0 = Math.floor(rng.uniform(0, 0.25) * g.Z);
      const z1 = g.Z - 1 - Math.floor(rng.uniform(0, 0.25) * g.Z);
      const r0 = Math.max(1.3, size * 0.045 * S);
      if (parent) {
        const [px, py] = parent.centre();
        return tube(g, [px, py], 0.5 * parent.radius * (s.wander ?? 1), r0, Math.max(z0, Math.floor(parent.zRange[0])), Math.min(z1, Math.ceil(parent.zRange[1])), rng, parent);
      }
      return tube(g, bodyPoint(), 0.08 * S * (s.wander ?? 1), r0, z0, z1, rng);
    }
    case "shell": {
      const p = parent!;
      const t = Math.max(1.5, size * 0.04 * S);
      const tz = Math.max(1, t / 2);
      return {
        ...p,
        inside: (x, y, z) => p.inside(x, y, z) || insideGrown(p, x, y, z, t, tz),
        box: clampBox(g, p.box[0] - t, p.box[1] + t, p.box[2] - t, p.box[3] + t, p.box[4] - tz, p.box[5] + tz),
        radius: p.radius + t,
        radiusZ: p.radiusZ + tz,
      };
    }
  }
}

/** Inside the parent grown by t in-plane and tz along z (tested on a few offsets: a cheap dilation). */
function insideGrown(p: Shape, x: number, y: number, z: number, t: number, tz: number): boolean {
  for (const d of [t, t / 2]) {
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4;
      if (p.inside(x + d * Math.cos(a), y + d * Math.sin(a), z)) return true;
    }
  }
  return p.inside(x, y, z + tz) || p.inside(x, y, z - tz);
}
