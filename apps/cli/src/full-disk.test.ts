/**
 * A disk that fills up under `transseg predict` and `transseg train`: the command exits 1 with one
 * line naming the file, the files of the previous run are intact, and no temporary file is left.
 * The failure is injected into node:fs (writes to temporary files fail with ENOSPC).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeNifti } from "@transseg/datasets";
import { createSegmentationModel, initBackend } from "@transseg/vit3d";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { cli, scratch } from "./test-helpers.js";

const disk = vi.hoisted(() => ({ match: null as RegExp | null, allow: 0, failures: 0 }));
vi.mock("node:fs", async (original) => (await import("@transseg/weights/testing/full-disk")).fullDiskFs(await original(), disk));

const dir = scratch("cli-full-disk-");
const noTemporaries = (d: string) => expect(readdirSync(d).filter((f) => f.includes(".tmp"))).toEqual([]);
const oneLine = (path: string) => `transseg: ${path}: cannot write (no space left on device, ENOSPC); the previous file, if any, is unchanged\n`;

describe("full disk", () => {
  const checkpoint = join(dir, "seg.safetensors");
  const volume = join(dir, "ct.nii.gz");
  beforeAll(async () => {
    await initBackend("cpu");
    const model = createSegmentationModel({ encoder: { kind: "vit", dim: 32, depth: 2, heads: 2, mlp_ratio: 2, patch: 16, window: 3, in_channels: 1, img: [32, 32] }, decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 0, 1, 1] }, classes: 3 }, { seed: 1 });
    model.saveCheckpoint(checkpoint);
    model.dispose();
    await writeNifti(volume, { data: new Int16Array(24 * 20 * 4).map((_, i) => (i * 7) % 300), shape: [24, 20, 4], spacing: [1, 1, 2] });
  }, 60_000);

  it("predict: labels or probabilities cannot be written", async () => {
    const out = join(dir, "out");
    const labels = join(out, "labels.nii.gz");
    const probs = join(out, "probs.nii.gz");
    const args = ["predict", "--checkpoint", checkpoint, "--input", volume, "--output", labels, "--clip", "none", "--engine", "tfjs", "--backend", "cpu", "--quiet"];
    await import("node:fs").then((fs) => fs.mkdirSync(out, { recursive: true }));
    expect((await cli(...args, "--probabilities", probs)).code).toBe(0);
    const before = [readFileSync(labels), readFileSync(probs)];
    for (const [extra, failing] of [[["--probabilities", probs], probs], [[], labels]] as const) {
      Object.assign(disk, { match: /\.tmp$/, allow: 0, failures: 0 });
      const r = await cli(...args, ...extra).finally(() => (disk.match = null));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(oneLine(failing));
      expect(readFileSync(labels).equals(before[0]!)).toBe(true);
      expect(readFileSync(probs).equals(before[1]!)).toBe(true);
      noTemporaries(out);
    }
  }, 120_000);

  it("train: the checkpoints of step 4 cannot be written; step 2's files are intact", async () => {
    const data = join(dir, "data");
    expect((await cli("synth", "--task", "Task09_Spleen", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet")).code).toBe(0);
    const run = join(dir, "run");
    let saved: Buffer[] = [];
    // the disk fills up once the first save (step 2) is on disk
    const timer = setInterval(() => {
      if (disk.match || !existsSync(join(run, "state.safetensors"))) return;
      saved = ["best", "last", "state"].map((f) => readFileSync(join(run, `${f}.safetensors`)));
      Object.assign(disk, { match: /\.tmp$/, allow: 0, failures: 0 });
    }, 5);
    const r = await cli("train", "--data", data, "--init", "random", "--encoder", "vit-tiny", "--img", "32x32", "-o", run, "--steps", "4", "--batch", "1", "--val-every", "2", "--save-every", "2", "--log-every", "1", "--backend", "wasm", "--threads", "1", "--workers", "0", "--quiet")
      .finally(() => { clearInterval(timer); disk.match = null; });
    expect(disk.failures).toBe(1);
    expect(r.code).toBe(1);
    // the first write of step 4: best.safetensors when validation improved, else last.safetensors
    expect([oneLine(join(run, "best.safetensors")), oneLine(join(run, "last.safetensors"))]).toContain(r.stderr);
    ["best", "last", "state"].forEach((f, i) => expect(readFileSync(join(run, `${f}.safetensors`)).equals(saved[i]!), f).toBe(true));
    noTemporaries(run);
    expect(existsSync(join(run, "run.lock"))).toBe(false);
    // with space again, --resume continues from step 2
    const again = await cli("train", "--resume", run, "--backend", "wasm", "--threads", "1", "--quiet");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/completed at step 4/);
  }, 180_000);
});
