import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { DatasetJson } from "../layout/dataset-json.js";
import { writeDatasetJson } from "../layout/write-dataset-json.js";
import { writeNifti } from "../nifti/index.js";
import type { TaskProfile } from "../profiles/types.js";
import { createRng, deriveSeed, type Rng } from "../random/rng.js";

/**
 * Formula-driven 2D images ("natural-like" pre-training data, not medical): every slice is an
 * independent picture of 2–5 overlapping shapes — ellipses (class 1), rotated rectangles (2) and
 * triangles (3) — over a background of random oriented waves, each shape filled with its own
 * random brightness and stripe texture, plus noise. Brightness says nothing about the class:
 * only outline and corners do. Not one of the paper's tasks, so it is not in `builtinProfiles`;
 * pass it in a profile registry where a profile is looked up.
 */
export const formulaShapesProfile = {
  id: "FormulaShapes2D",
  description: "formula-driven 2D shapes (ellipse, rectangle, triangle) on wave textures; independent slices",
  modality: "MRI",
  channelNames: ["gray"],
  channels: 1,
  labels: ["background", "ellipse", "rectangle", "triangle"],
  classes: 4,
  img: [64, 64],
  clip: null,
  paper: { steps: 2000, dice: 0, diceWithoutDepth: 0 },
  phantom: [],
} as const satisfies TaskProfile;

function waves(rng: Rng, n: number): (x: number, y: number) => number {
  const parts = Array.from({ length: n }, (_, k) => {
    const th = rng.uniform(0, Math.PI);
    const f = rng.uniform(0.05, 0.6) / (1 + k);
    return { cx: Math.cos(th) * f, cy: Math.sin(th) * f, ph: rng.uniform(0, 6.3), a: rng.uniform(0.2, 1) / (1 + k) };
  });
  const norm = parts.reduce((s, p) => s + p.a, 0);
  return (x, y) => parts.reduce((s, p) => s + p.a * Math.sin(p.cx * x + p.cy * y + p.ph), 0) / norm;
}

type Inside = (x: number, y: number) => boolean;

function shape(cls: 1 | 2 | 3, S: number, rng: Rng): Inside {
  const cx = rng.uniform(0.15, 0.85) * S;
  const cy = rng.uniform(0.15, 0.85) * S;
  const r = rng.uniform(0.08, 0.22) * S;
  const th = rng.uniform(0, Math.PI);
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  const local = (x: number, y: number): [number, number] => [(x - cx) * cos + (y - cy) * sin, -(x - cx) * sin + (y - cy) * cos];
  if (cls === 1) {
    const ry = r * rng.uniform(0.45, 1);
    return (x, y) => {
      const [u, v] = local(x, y);
      return (u / r) ** 2 + (v / ry) ** 2 <= 1;
    };
  }
  if (cls === 2) {
    const ry = r * rng.uniform(0.4, 1);
    return (x, y) => {
      const [u, v] = local(x, y);
      return Math.abs(u) <= r && Math.abs(v) <= ry;
    };
  }
  const a = Array.from({ length: 3 }, (_, k) => (2 * Math.PI * k) / 3 + rng.uniform(-0.5, 0.5));
  const pts = a.map((t) => [r * 1.3 * Math.cos(t), r * 1.3 * Math.sin(t)] as const);
  return (x, y) => {
    const [u, v] = local(x, y);
    let sign = 0;
    for (let k = 0; k < 3; k++) {
      const [x0, y0] = pts[k]!;
      const [x1, y1] = pts[(k + 1) % 3]!;
      const c = (x1 - x0) * (v - y0) - (y1 - y0) * (u - x0);
      if (c !== 0) {
        if (sign !== 0 && Math.sign(c) !== sign) return false;
        sign = Math.sign(c);
      }
    }
    return true;
  };
}

/** One volume of `depth` independent formula-driven slices: float32 image and uint8 labels, [S, S, Z]. */
export function synthesizeFormulaCase(options: { size?: number; depth?: number; seed: number }) {
  const S = options.size ?? 64;
  const Z = options.depth ?? 16;
  if (!(Number.isInteger(S) && S >= 8 && Number.isInteger(Z) && Z >= 1)) throw new Error(`synthesizeFormulaCase: invalid size ${S} / depth ${Z}`);
  const image = new Float32Array(S * S * Z);
  const label = new Uint8Array(S * S * Z);
  for (let z = 0; z < Z; z++) {
    const rng = createRng(deriveSeed(options.seed, 31, z));
    const bg = waves(rng, 4);
    const bgLevel = rng.uniform(200, 700);
    const bgAmp = rng.uniform(50, 250);
    const shapes = Array.from({ length: 2 + rng.int(4) }, () => {
      const cls = (1 + rng.int(3)) as 1 | 2 | 3;
      return { cls, inside: shape(cls, S, rng), level: rng.uniform(100, 900), amp: rng.uniform(0, 200), tex: waves(rng, 2) };
    });
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        let v = bgLevel + bgAmp * bg(x, y);
        let l = 0;
        for (const s of shapes) {
          if (!s.inside(x + 0.5, y + 0.5)) continue;
          v = s.level + s.amp * s.tex(x, y);
          l = s.cls;
        }
        const i = x + S * (y + S * z);
        image[i] = Math.max(0, v + 25 * rng.normal());
        label[i] = l;
      }
    }
  }
  return { image: { data: image, shape: [S, S, Z] }, label: { data: label, shape: [S, S, Z] } };
}

/** Writes `cases` formula-driven volumes in the Decathlon layout (training only), atomically. */
export async function synthesizeFormulaDataset(o: { outDir: string; cases?: number; size?: number; depth?: number; seed?: number }): Promise<{ root: string; json: DatasetJson }> {
  const n = o.cases ?? 24;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`synthesizeFormulaDataset: cases must be >= 1, got ${n}`);
  for (const sub of ["imagesTr", "labelsTr", "imagesTs"]) await mkdir(join(o.outDir, sub), { recursive: true });
  const p = formulaShapesProfile;
  const training: { image: string; label: string }[] = [];
  const spacing: [number, number, number] = [1, 1, 1];
  for (let i = 0; i < n; i++) {
    const name = `shapes_${String(i + 1).padStart(3, "0")}.nii.gz`;
    const c = synthesizeFormulaCase({ size: o.size, depth: o.depth, seed: deriveSeed(o.seed ?? 0, 0, i) });
    await writeNifti(join(o.outDir, "imagesTr", name), { ...c.image, spacing });
    await writeNifti(join(o.outDir, "labelsTr", name), { ...c.label, spacing });
    training.push({ image: `./imagesTr/${name}`, label: `./labelsTr/${name}` });
  }
  const json: DatasetJson = {
    name: p.id,
    description: p.description,
    reference: "@transseg/datasets synthesizeFormulaDataset",
    licence: "CC0-1.0",
    tensorImageSize: "3D",
    modality: { "0": "gray" },
    labels: Object.fromEntries(p.labels.map((l, i) => [String(i), l])),
    numTraining: n,
    numTest: 0,
    training,
    test: [],
  };
  await writeDatasetJson(o.outDir, json);
  return { root: o.outDir, json };
}
