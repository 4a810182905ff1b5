import type { TaskProfile } from "../profiles/types.js";
import { deriveSeed } from "../random/rng.js";
import { scaleIntensities } from "../window/scale.js";
import { synthesizeCase } from "./phantom-case.js";

/**
 * How much a window of slices tells about a voxel's class beyond its own slice, measured on the
 * phantom generator with simple rules (no learning):
 *
 * - every rule is "intensity in [a, b] and shape feature in [c, d]", where the intensity is the
 *   3×3 in-plane mean at the voxel (one channel, scaled as the model sees it) and the bounds are
 *   chosen on a `bins`-level grid to maximise the class's Dice over all voxels of all cases;
 * - a **window** rule's shape feature reads the 3×3 means of the `window` slices through the voxel
 *   (their mean, minimum, maximum, or centre minus the larger of the two end slices; the minimum
 *   and that contrast also of the 3×3 maxima of those means, for structures that drift);
 * - a **centre** rule reads the same features from `window` 3×3 means on a line in the voxel's
 *   own slice (along x or y, step 1, 2 or 3): as many voxels, in-plane filters of the same size.
 *
 * The gap (window Dice − centre Dice) is the depth information a 3D model can use and a 2D model
 * of the centre slice cannot, as far as simple rules show it.
 */
export interface DepthInformationOptions {
  readonly profile: TaskProfile;
  /** Cases synthesised (default 6). */
  readonly cases?: number;
  /** In-plane size (default 64) and slices (default 24). */
  readonly size?: number;
  readonly depth?: number;
  readonly seed?: number;
  /** Slices per window, odd (default 5). */
  readonly window?: number;
  /** Threshold levels per feature (default 24). */
  readonly bins?: number;
}

export interface ClassDepthInformation {
  readonly label: number;
  readonly name: string;
  /** Best window rule's Dice and its description. */
  readonly windowDice: number;
  readonly windowRule: string;
  /** Best centre-slice rule's Dice and its description. */
  readonly centreDice: number;
  readonly centreRule: string;
  /** windowDice − centreDice. */
  readonly gap: number;
}

export interface DepthInformation {
  readonly profile: string;
  readonly classes: readonly ClassDepthInformation[];
  /** Mean gap over the foreground classes (Dice fraction). */
  readonly meanGap: number;
  readonly voxels: number;
}

/** Shape features over the `window` values of a line; "near-" ones read the 3×3 maximum of the 3×3 means (a structure that drifts by a voxel still counts). */
const SHAPES = ["mean", "min", "max", "contrast", "near-min", "near-contrast"] as const;
type ShapeKind = (typeof SHAPES)[number];

function shapeOf(kind: ShapeKind, m: Float32Array, n: Float32Array, w: number): number {
  if (kind === "near-min" || kind === "near-contrast") return shapeOf(kind === "near-min" ? "min" : "contrast", n, n, w);
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < w; k++) {
    const v = m[k]!;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (kind === "mean") return sum / w;
  if (kind === "min") return lo;
  if (kind === "max") return hi;
  return m[(w - 1) >> 1]! - Math.max(m[0]!, m[w - 1]!);
}

/** A 2D histogram of (intensity bin, feature bin) counts, split into class voxels and the rest. */
class Joint {
  readonly pos: Float64Array;
  readonly all: Float64Array;
  constructor(readonly bins: number) {
    this.pos = new Float64Array(bins * bins);
    this.all = new Float64Array(bins * bins);
  }
  /** Best Dice over rectangles [a, b] × [c, d] of bins, with the bounds. */
  best(totalPos: number): { dice: number; rect: [number, number, number, number] } {
    const B = this.bins;
    // prefix sums over (i, j)
    const P = new Float64Array((B + 1) * (B + 1));
    const A = new Float64Array((B + 1) * (B + 1));
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < B; j++) {
        const o = (i + 1) * (B + 1) + (j + 1);
        P[o] = this.pos[i * B + j]! + P[o - 1]! + P[o - (B + 1)]! - P[o - (B + 1) - 1]!;
        A[o] = this.all[i * B + j]! + A[o - 1]! + A[o - (B + 1)]! - A[o - (B + 1) - 1]!;
      }
    }
    const rect = (T: Float64Array, a: number, b: number, c: number, d: number) => T[(b + 1) * (B + 1) + d + 1]! - T[a * (B + 1) + d + 1]! - T[(b + 1) * (B + 1) + c]! + T[a * (B + 1) + c]!;
    let best = 0;
    let arg: [number, number, number, number] = [0, B - 1, 0, B - 1];
    for (let a = 0; a < B; a++) {
      for (let b = a; b < B; b++) {
        for (let c = 0; c < B; c++) {
          for (let d = c; d < B; d++) {
            const tp = rect(P, a, b, c, d);
            if (tp === 0) continue;
            const dice = (2 * tp) / (rect(A, a, b, c, d) + totalPos);
            if (dice > best) {
              best = dice;
              arg = [a, b, c, d];
            }
          }
        }
      }
    }
    return { dice: best, rect: arg };
  }
}

const bin = (v: number, lo: number, hi: number, B: number) => Math.max(0, Math.min(B - 1, Math.floor(((v - lo) / (hi - lo)) * B)));

/** Measures the depth information of a profile's phantoms (see the module comment). */
export function measureDepthInformation(o: DepthInformationOptions): DepthInformation {
  const { profile } = o;
  const cases = o.cases ?? 6;
  const S = o.size ?? 64;
  const Z = o.depth ?? 24;
  const w = o.window ?? 5;
  const B = o.bins ?? 24;
  if (!(Number.isInteger(w) && w >= 3 && w % 2 === 1 && Z >= w)) throw new Error(`measureDepthInformation: window must be odd, >= 3 and <= depth (got ${w}, depth ${Z})`);
  const h = (w - 1) >> 1;
  const C = profile.channels;
  const fg = Array.from({ length: profile.classes - 1 }, (_, i) => i + 1);
  // features: per channel, window shapes (4) then centre shapes (4 kinds × 2 axes × 3 steps)
  const centreLines: { axis: 0 | 1; step: number }[] = [];
  for (const axis of [0, 1] as const) for (const step of [1, 2, 3]) centreLines.push({ axis, step });
  const perChannel = SHAPES.length * (1 + centreLines.length);
  const joints = fg.map(() => Array.from({ length: C * perChannel }, () => new Joint(B)));
  const totalPos = new Float64Array(fg.length);
  let voxels = 0;
  const m = new Float32Array(w);
  const nm = new Float32Array(w);
  const margin = h * 3 + 1;

  for (let k = 0; k < cases; k++) {
    const c = synthesizeCase(profile, { size: S, depth: Z, seed: deriveSeed(o.seed ?? 0, 7, k) });
    const img = scaleIntensities({ data: c.image.data, shape: c.image.shape }, profile.clip).data;
    const lab = c.label.data;
    const plane = S * S;
    const per = plane * Z;
    // 3×3 in-plane means, per channel
    const mean3 = new Float32Array(per * C);
    for (let ch = 0; ch < C; ch++) {
      for (let z = 0; z < Z; z++) {
        for (let y = 1; y < S - 1; y++) {
          for (let x = 1; x < S - 1; x++) {
            let s = 0;
            for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += img[ch * per + z * plane + (y + dy) * S + x + dx]!;
            mean3[ch * per + z * plane + y * S + x] = s / 9;
          }
        }
      }
    }
    // their 3×3 maxima
    const near = new Float32Array(per * C);
    for (let ch = 0; ch < C; ch++) {
      for (let z = 0; z < Z; z++) {
        for (let y = 2; y < S - 2; y++) {
          for (let x = 2; x < S - 2; x++) {
            let v = -Infinity;
            for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) v = Math.max(v, mean3[ch * per + z * plane + (y + dy) * S + x + dx]!);
            near[ch * per + z * plane + y * S + x] = v;
          }
        }
      }
    }
    for (let z = h; z < Z - h; z++) {
      for (let y = margin; y < S - margin; y++) {
        for (let x = margin; x < S - margin; x++) {
          const i = z * plane + y * S + x;
          const cls = lab[i]!;
          voxels++;
          const fi = cls - 1;
          if (cls > 0) totalPos[fi]!++;
          for (let ch = 0; ch < C; ch++) {
            const base = ch * per;
            const ib = bin(mean3[base + i]!, 0, 1, B);
            const add = (f: number, v: number, lo: number, hi: number) => {
              const jb = bin(v, lo, hi, B);
              const cell = ib * B + jb;
              for (let q = 0; q < fg.length; q++) {
                const J = joints[q]![ch * perChannel + f]!;
                J.all[cell]!++;
                if (q === fi) J.pos[cell]!++;
              }
            };
            for (let t = -h; t <= h; t++) {
              m[t + h] = mean3[base + i + t * plane]!;
              nm[t + h] = near[base + i + t * plane]!;
            }
            SHAPES.forEach((kind, s) => add(s, shapeOf(kind, m, nm, w), kind.endsWith("contrast") ? -1 : 0, 1));
            centreLines.forEach((line, li) => {
              const stride = line.axis === 0 ? line.step : line.step * S;
              for (let t = -h; t <= h; t++) {
                m[t + h] = mean3[base + i + t * stride]!;
                nm[t + h] = near[base + i + t * stride]!;
              }
              SHAPES.forEach((kind, s) => add(SHAPES.length * (1 + li) + s, shapeOf(kind, m, nm, w), kind.endsWith("contrast") ? -1 : 0, 1));
            });
          }
        }
      }
    }
  }

  const describe = (f: number, ch: number, rect: readonly number[]) => {
    const local = f % perChannel;
    const kind = SHAPES[local % SHAPES.length]!;
    const li = Math.floor(local / SHAPES.length) - 1;
    const where = li < 0 ? `${w} slices` : `${w} points along ${centreLines[li]!.axis === 0 ? "x" : "y"} step ${centreLines[li]!.step}`;
    const lo = kind.endsWith("contrast") ? -1 : 0;
    const r = (b: number, l: number, hi: number) => (l + (b / B) * (hi - l)).toFixed(2);
    return `ch${ch} 3x3 mean in [${r(rect[0]!, 0, 1)}, ${r(rect[1]! + 1, 0, 1)}] and ${kind} over ${where} in [${r(rect[2]!, lo, 1)}, ${r(rect[3]! + 1, lo, 1)}]`;
  };
  const classes = fg.map((label, q) => {
    let win = { dice: 0, rule: "none" };
    let cen = { dice: 0, rule: "none" };
    joints[q]!.forEach((J, f) => {
      const isWindow = f % perChannel < SHAPES.length;
      const r = J.best(totalPos[q]!);
      const target = isWindow ? win : cen;
      if (r.dice > target.dice) {
        const next = { dice: r.dice, rule: describe(f, Math.floor(f / perChannel), r.rect) };
        if (isWindow) win = next;
        else cen = next;
      }
    });
    // a window rule may ignore the neighbours: it is at least as good as the centre rule restricted
    // to its own slice, so the best window rule is the better of both families
    if (cen.dice > win.dice) win = cen;
    return { label, name: profile.labels[label] ?? String(label), windowDice: win.dice, windowRule: win.rule, centreDice: cen.dice, centreRule: cen.rule, gap: win.dice - cen.dice };
  });
  return { profile: profile.id, classes, meanGap: classes.reduce((a, c) => a + c.gap, 0) / Math.max(1, classes.length), voxels };
}
