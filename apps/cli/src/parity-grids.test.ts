import * as tf from "@tensorflow/tfjs";
import type { Volume } from "@transseg/datasets";
import { f32Entry, readSafetensors, toFloat32, writeSafetensors, type Checkpoint, type TensorEntry } from "@transseg/weights";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictVolume, type SegConfigInput, type WindowRunner } from "@transseg/model";
import { createOnnxSession, exportOnnx, onnxRunner, syntheticCheckpoint } from "@transseg/onnx";
import { createSegmentationModel, loadSegmentationModel, tfjsRunner } from "@transseg/vit3d";
import { relativeMaxError, SHARED_FIXTURES, TEST_BACKENDS, useTestBackend } from "@transseg/vit3d/testing";

// Odd and non-square token grids (3x5, 5x5, 2x3, 7x3; patch 16 and 8; BEiT and ViT) for every
// decoder, against the PyTorch reference (`__fixtures__/seg_torch_reference.py`: transseg_ref's
// SegModel / Encoder3D / UPerHead and TransSeg's other heads): logits within 1e-4 of the largest
// magnitude, and whole-volume labels equal wherever the reference's top two classes differ by
// more than 1e-4 of the largest logit — on cpu, wasm and in ONNX Runtime.
const TOL = 1e-4;
const PYTHON = "/usr/bin/python3";
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "seg_torch_reference.py");
const REF_DIR = resolve(SHARED_FIXTURES, "../ref");
const HAVE_TORCH = spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
const HAVE_REF = existsSync(join(REF_DIR, "transseg_ref.py"));
const SKIP = !HAVE_TORCH ? `${PYTHON} with torch is not available` : !HAVE_REF ? `${REF_DIR}/transseg_ref.py is absent` : "";
if (SKIP) console.warn(`odd-grid parity with the PyTorch reference skipped: ${SKIP}`);

const DECODERS: Record<string, { decoder: Record<string, unknown>; encoder: Record<string, unknown> }> = {
  upernet: { decoder: { channels: 8, layer_idxs: [0, 1, 0, 1] }, encoder: {} },
  "setr-pup": { decoder: {}, encoder: {} },
  convtrans: { decoder: {}, encoder: {} },
  unetr: { decoder: { feature_size: 4 }, encoder: { patch_depth: 1 } }, // Gd = 3
};
/** Each grid with both encoder kinds; each kind sees both patches. */
const GRIDS = [
  { grid: [3, 5], patch: { beit: 16, vit: 8 } },
  { grid: [5, 5], patch: { beit: 8, vit: 16 } },
  { grid: [2, 3], patch: { beit: 16, vit: 8 } },
  { grid: [7, 3], patch: { beit: 8, vit: 16 } },
] as const;
const CLIP = [-100, 200] as const;
const Z = 3; // with window 3: slices 0 and 2 repeat an edge slice

interface Case {
  readonly name: string;
  readonly decoder: string;
  ckpt: Checkpoint;
  readonly img: readonly [number, number];
  readonly input: Float32Array;
  readonly inputShape: [number, number, number, number, number];
  readonly volume: Volume;
  file: string;
}

function makeCase(decoder: string, kind: "beit" | "vit", grid: readonly [number, number], patch: number, seed: number): Case {
  const img = [grid[0] * patch, grid[1] * patch] as const;
  const d = DECODERS[decoder]!;
  const config: SegConfigInput = {
    format: "transseg-seg/1",
    encoder: { kind, dim: 16, depth: 2, heads: 2, patch, window: 3, in_channels: 1, img, ...d.encoder },
    decoder: { kind: decoder, ...d.decoder },
    classes: 3,
  };
  const inputShape: [number, number, number, number, number] = [2, 1, 3, img[0], img[1]];
  const input = Float32Array.from({ length: 2 * 3 * img[0] * img[1] }, (_, i) => 0.5 + 0.5 * Math.sin(i * 0.37 + seed));
  const [X, Y] = img;
  const data = new Float32Array(X * Y * Z);
  for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) data[x + X * (y + Y * z)] = 50 + 200 * Math.sin(0.31 * x + 0.17 * y + 0.9 * z + seed) * Math.cos(0.11 * x - 0.23 * y);
  const volume: Volume = { data, shape: [X, Y, Z], spacing: [1, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], datatype: "float32" };
  return { name: `${decoder} ${kind} grid ${grid.join("x")} patch ${patch} (img ${img.join("x")})`, decoder, ckpt: syntheticCheckpoint(config, seed), img, input, inputShape, volume, file: "" };
}

const CASES: Case[] = Object.keys(DECODERS).flatMap((decoder, di) =>
  GRIDS.flatMap(({ grid, patch }, gi) => (["beit", "vit"] as const).map((kind, ki) => makeCase(decoder, kind, grid, patch[kind], 100 * di + 10 * gi + ki))),
);

/** The last layer's bias of each head: a constant per class added to every logit. */
const LAST_BIAS: Record<string, string> = { upernet: "decoder.conv_seg.bias", "setr-pup": "decoder.decoder4.bias", convtrans: "decoder.decoder4.bias", unetr: "decoder.out.conv.conv.bias" };

/**
 * Centres each class's logits over the volume (subtracts their mean from the last bias, as
 * gen_fixtures.py does), so that every class wins somewhere and the label comparison means something.
 */
async function centreClasses(c: Case): Promise<void> {
  const session = await createOnnxSession(exportOnnx(c.ckpt, { name: c.name }), { threads: 1 });
  const sums = new Float64Array(3);
  let count = 0;
  try {
    const runner = onnxRunner(session, JSON.parse(c.ckpt.metadata.transseg!));
    const counting: WindowRunner = {
      ...runner,
      async run(windows, shape) {
        const logits = await runner.run(windows, shape);
        const plane = c.img[0] * c.img[1];
        for (let i = 0; i < logits.length; i++) sums[Math.floor(i / plane) % 3]! += logits[i]!;
        count += shape[0] * plane;
        return logits;
      },
    };
    await predictVolume(c.volume, counting, { clip: CLIP, batch: 4 });
  } finally {
    await session.release();
  }
  const name = LAST_BIAS[c.decoder]!;
  const bias = Float32Array.from(toFloat32(c.ckpt.tensors.get(name)!), (v, k) => v - sums[k]! / count);
  c.ckpt = { ...c.ckpt, tensors: new Map(c.ckpt.tensors).set(name, f32Entry([3], bias)) };
}

/** Reference argmax per voxel ([X, Y, Z], x fastest) and whether the top two classes are apart by more than `tol`. */
function referenceLabels(volumeLogits: Float32Array, X: number, Y: number, classes: number, tol: number): { labels: Uint8Array; decided: Uint8Array } {
  const labels = new Uint8Array(X * Y * Z);
  const decided = new Uint8Array(X * Y * Z);
  const plane = X * Y;
  for (let z = 0; z < Z; z++) {
    for (let x = 0; x < X; x++) {
      for (let y = 0; y < Y; y++) {
        const scores = Array.from({ length: classes }, (_, k) => volumeLogits[(z * classes + k) * plane + x * Y + y]!);
        const sorted = [...scores].sort((a, b) => b - a);
        const v = x + X * (y + Y * z);
        labels[v] = scores.indexOf(sorted[0]!);
        decided[v] = sorted[0]! - sorted[1]! > tol ? 1 : 0;
      }
    }
  }
  return { labels, decided };
}

/** Worst figures per engine, printed at the end of each engine's test. */
interface Worst {
  logits: number;
  nearTies: number;
  voxels: number;
}

async function checkEngine(c: Case, runner: WindowRunner, run: (x: Float32Array) => Promise<Float32Array>, worst: Worst): Promise<void> {
  const ref = readSafetensors(c.file.replace(".safetensors", ".out.safetensors")).tensors;
  const want = toFloat32(ref.get("logits")!);
  const got = await run(c.input);
  const err = relativeMaxError(got, want);
  expect(err, `${c.name}: logits`).toBeLessThan(TOL);
  worst.logits = Math.max(worst.logits, err);
  const volumeLogits = toFloat32(ref.get("volume_logits")!);
  const scale = volumeLogits.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const { labels, decided } = referenceLabels(volumeLogits, c.img[0], c.img[1], 3, TOL * scale);
  const pred = await predictVolume(c.volume, runner, { clip: CLIP, batch: 4 });
  let differ = 0;
  let undecided = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!decided[i]) undecided++;
    else if (pred.labels[i] !== labels[i]) differ++;
  }
  worst.nearTies += undecided;
  worst.voxels += labels.length;
  expect(differ, `${c.name}: whole-volume labels that differ from the reference (${undecided} near-ties not compared)`).toBe(0);
  expect(undecided / labels.length, `${c.name}: near-ties`).toBeLessThan(0.01);
  expect(new Set(labels).size, `${c.name}: the reference predicts more than one class`).toBeGreaterThan(1);
}

const report = (engine: string, w: Worst) =>
  console.log(`${engine}: ${CASES.length} models, largest logit error ${w.logits.toExponential(1)} of the largest logit; whole-volume labels all equal (${w.nearTies} of ${w.voxels} voxels were near-ties, not compared)`);

describe.skipIf(SKIP !== "")("odd and non-square token grids equal the PyTorch reference (every decoder)", () => {
  const dir = mkdtempSync(join(tmpdir(), "transseg-grids-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    for (const c of CASES) await centreClasses(c);
    CASES.forEach((c, i) => {
      c.file = join(dir, `case${i}.safetensors`);
      const tensors = new Map<string, TensorEntry>(c.ckpt.tensors);
      tensors.set("io.input", f32Entry(c.inputShape, c.input));
      tensors.set("io.volume", f32Entry([...c.volume.shape].reverse(), c.volume.data as Float32Array)); // [Z, Y, X] row-major = x fastest
      writeSafetensors(c.file, tensors, { metadata: { transseg: c.ckpt.metadata.transseg!, case: JSON.stringify({ clip: CLIP }) } });
    });
    const r = spawnSync(PYTHON, [SCRIPT, REF_DIR, ...CASES.map((c) => c.file)], { encoding: "utf8" });
    if (r.status !== 0 || r.stdout.trim() !== "ok") throw new Error(`seg_torch_reference.py failed: ${r.stderr.trim().split("\n").slice(-5).join(" | ")}`);
  }, 300_000);

  for (const backend of TEST_BACKENDS) {
    it(`TensorFlow.js on ${backend}: ${CASES.length} models`, async () => {
      await useTestBackend(backend);
      const worst: Worst = { logits: 0, nearTies: 0, voxels: 0 };
      for (const c of CASES) {
        const model = await loadSegmentationModel(c.ckpt, { name: c.name });
        try {
          await checkEngine(c, tfjsRunner(model), async (x) => tf.tidy(() => model.forward(tf.tensor5d(x, c.inputShape)).dataSync() as Float32Array), worst);
        } finally {
          model.dispose();
        }
      }
      report(`tfjs ${backend}`, worst);
    }, 600_000);
  }

  it(`ONNX Runtime: ${CASES.length} exported models`, async () => {
    const worst: Worst = { logits: 0, nearTies: 0, voxels: 0 };
    for (const c of CASES) {
      const session = await createOnnxSession(exportOnnx(c.ckpt, { name: c.name }), { threads: 1 });
      try {
        const config = JSON.parse(c.ckpt.metadata.transseg!);
        await checkEngine(c, onnxRunner(session, config), async (x) => (await session.run(x, c.inputShape)).logits, worst);
      } finally {
        await session.release();
      }
    }
    report("onnxruntime", worst);
  }, 600_000);
});
if (SKIP) it.skip(`odd-grid parity with the PyTorch reference: ${SKIP}`, () => {});

describe("a grid that cannot work is refused when the model is built, naming the smallest img that works", () => {
  beforeAll(() => useTestBackend("cpu"));
  const enc = { kind: "beit", dim: 16, depth: 2, heads: 2, patch: 16, window: 3, in_channels: 1 } as const;
  const build = (decoder: Record<string, unknown> & { kind: string }, img: readonly [number, number]) => () => createSegmentationModel({ encoder: { ...enc, img }, decoder, classes: 2 }).dispose();
  it("upernet: a 1xN grid (the 2x2 max pooling would reach size 0), in TensorFlow.js and in the ONNX export", () => {
    const message = 'decoder "upernet" needs a token grid of at least 2x2, but img 16x80 with patch 16 gives 1x5 (its 2x2 max pooling (fpn4) would reach size 0); the smallest img that works is 32x80';
    expect(build({ kind: "upernet", layer_idxs: [0, 1, 1, 1] }, [16, 80])).toThrow(message);
    expect(build({ kind: "upernet", layer_idxs: [0, 1, 1, 1] }, [48, 16])).toThrow(/gives 3x1 .* the smallest img that works is 48x32$/);
    expect(() => syntheticCheckpoint({ encoder: { ...enc, img: [16, 80] }, decoder: { kind: "upernet", layer_idxs: [0, 1, 1, 1] }, classes: 2 })).toThrow(message);
    expect(build({ kind: "upernet", layer_idxs: [0, 1, 1, 1] }, [32, 48])).not.toThrow();
  });
  it("setr-pup and convtrans: a single token (InstanceNorm over one value)", () => {
    for (const kind of ["setr-pup", "convtrans"]) {
      expect(build({ kind }, [16, 16])).toThrow(`decoder "${kind}" needs at least 2 tokens, but img 16x16 with patch 16 gives 1x1`);
      expect(build({ kind }, [16, 16])).toThrow(/the smallest img that works is 16x32$/);
      expect(build({ kind }, [16, 32])).not.toThrow();
    }
  });
});
