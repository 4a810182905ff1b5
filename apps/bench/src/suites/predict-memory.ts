/**
 * Peak memory of `transseg predict` on a real-size CT: 512×512×300 int16, BEiT-base + UPerNet
 * (768 channels, 14 classes, 512×512×5 windows, random weights), ONNX Runtime on every core; the
 * whole process under GNU time, once with labels only and once with `--probabilities`, which
 * are streamed to disk slice by slice (held whole they would be 4.4 GB of float32).
 */
import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeNifti } from "@transseg/datasets";
import { createSegmentationModel, initBackend } from "@transseg/vit3d";
import { runMeasured } from "../measure.js";
import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";
import { CASES } from "./predict.js";

const CLI = resolve(import.meta.dirname, "../../../cli/dist/bin.js");
const CLI_SOURCE = resolve(import.meta.dirname, "../../../cli/src/bin.ts");
const GB = 2 ** 30;

/**
 * How to start `transseg`: the built CLI (`pnpm build`), or with TRANSSEG_BENCH_CLI=source the
 * sources through tsx (its loader adds about 40 MB to every peak; said in the results).
 */
export function transsegCommand(env: NodeJS.ProcessEnv = process.env): { args: string[]; note: string } {
  if (env.TRANSSEG_BENCH_CLI === "source") return { args: ["--import", "tsx", "--conditions=source", CLI_SOURCE], note: "the CLI's sources through tsx (+~40 MB)" };
  return { args: [CLI], note: "the built CLI" };
}

/** A CT-like int16 volume: air, a body ellipse of soft tissue with noise, a brighter spine. */
function syntheticCt(X: number, Y: number, Z: number): Int16Array {
  const data = new Int16Array(X * Y * Z);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % 41 - 20;
  for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) {
    const dx = (x - X / 2) / (0.42 * X), dy = (y - Y / 2) / (0.32 * Y);
    const body = dx * dx + dy * dy < 1;
    const spine = Math.hypot(x - X / 2, y - 0.7 * Y) < 0.04 * X;
    data[x + X * (y + Y * z)] = spine ? 700 + noise() : body ? 40 + noise() : -1000 + noise();
  }
  return data;
}

async function measure(ctx: BenchContext, label: string, args: string[], slices: number): Promise<BenchResult & { peak: number }> {
  ctx.log(`${label} …`);
  const cli = transsegCommand();
  const run = await runMeasured(process.execPath, [...cli.args, ...args]);
  const peak = run.peakRssBytes ?? NaN;
  return { name: label, ours: { seconds: run.seconds, ...(run.peakRssBytes ? { peakRssBytes: run.peakRssBytes } : {}) }, notes: `${(slices / run.seconds).toFixed(3)} slices/s over the whole process (${cli.note})`, peak };
}

export const predictMemorySuite = {
  id: "predict-memory",
  description: "peak RSS of transseg predict on a 512x512x300 int16 CT with BEiT-base + UPerNet (14 classes), labels only and with --probabilities",
  async run(ctx) {
    const [X, Y, Z] = ctx.quick ? [512, 512, 12] : [512, 512, 300];
    const volume = join(ctx.tmpDir, "ct.nii.gz");
    ctx.log(`writing a ${X}x${Y}x${Z} int16 CT …`);
    await writeNifti(volume, { data: syntheticCt(X, Y, Z), shape: [X, Y, Z], spacing: [0.8, 0.8, 1.5] });
    const checkpoint = join(ctx.tmpDir, "beit-base-upernet.safetensors");
    await initBackend("cpu");
    const model = createSegmentationModel({ ...CASES.base.config, preprocess: { clip: [-175, 250] } }, { seed: 7 });
    model.saveCheckpoint(checkpoint);
    model.dispose();
    const base = ["predict", "--checkpoint", checkpoint, "--input", volume, "--output", join(ctx.tmpDir, "labels.nii.gz"), "--quiet"];
    const what = `${X}x${Y}x${Z} int16 CT (${(statSync(volume).size / 2 ** 20).toFixed(0)} MB .nii.gz), BEiT-base + UPerNet, 14 classes, ONNX Runtime`;
    const labels = await measure(ctx, `predict ${what}: labels`, base, Z);
    const probs = join(ctx.tmpDir, "probs.nii.gz");
    const withProbs = await measure(ctx, `predict ${what}: labels + --probabilities`, [...base, "--probabilities", probs], Z);
    const held = (X * Y * Z * 14 * 4) / GB;
    const extra = (withProbs.peak - labels.peak) / GB;
    return [
      { name: labels.name, ours: labels.ours, notes: labels.notes },
      {
        name: withProbs.name,
        ours: withProbs.ours,
        target: `streamed: peak RSS ≤ labels-only + 0.5 GB (all probabilities would be ${held.toFixed(1)} GB)`,
        ...(Number.isFinite(extra) ? { met: extra <= 0.5 } : {}),
        notes: `${withProbs.notes}; ${(statSync(probs).size / GB).toFixed(2)} GB .nii.gz written; ${Number.isFinite(extra) ? `${(extra * 1024).toFixed(0)} MB above labels only` : "no GNU time: no RSS"}`,
      },
    ];
  },
} as const satisfies BenchSuite;
