// Cases beyond the shipped fixtures, checked against the PyTorch reference itself (skips without torch).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readSafetensors, toFloat32 } from "@transseg/weights";
import { torchPython } from "@transseg/weights/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inflateCheckpoint } from "./inflate-checkpoint.js";
import { sharedDir } from "@transseg/weights/testing";

const here = dirname(fileURLToPath(import.meta.url));
const shared = sharedDir();
const refDir = join(shared, "ref");
const fixtures = join(shared, "fixtures");
const script = resolve(here, "../scripts/reference_inflate.py");
const hasRef = existsSync(join(refDir, "transseg_ref.py")) && existsSync(join(fixtures, "vit2d.safetensors"));
const python = hasRef ? torchPython() : undefined;
const hasTorch = python !== undefined;
if (!hasRef) console.warn(`inflate reference test: skipped, ${refDir} or ${fixtures} not found`);
else if (!hasTorch) console.warn("inflate reference test: skipped, no python3 imports torch (set TRANSSEG_PYTHON)");

const cases = [
  // patch depth 1: Gd = 5 depth tokens (pos_embed repeated, bias table tiled 9x), non-square target
  { kind: "vit", strategy: "average", window: 5, patchDepth: 1, img: [48, 80], inChannels: 1 },
  { kind: "beit", strategy: "repeat", window: 5, patchDepth: 1, img: [48, 80], inChannels: 1 },
  // RGB kept (no channel adaptation), window 3, up-sampling; 2 channels (adaptation 3 -> 2)
  { kind: "vit", strategy: "center", window: 3, patchDepth: 3, img: [272, 240], inChannels: 3 },
  { kind: "beit", strategy: "average", window: 7, patchDepth: 7, img: [96, 96], inChannels: 2 },
] as const;

describe.skipIf(!hasTorch)("inflateCheckpoint vs the PyTorch reference inflate_state_dict", () => {
  const tmp = hasTorch ? mkdtempSync(join(tmpdir(), "inflate-ref-")) : "";
  const job = (c: (typeof cases)[number]) => ({
    input: join(fixtures, `${c.kind}2d.safetensors`),
    output: join(tmp, `${c.kind}-${c.strategy}-${c.window}-${c.patchDepth}.safetensors`),
    depth: c.window, strategy: c.strategy, in_channels: c.inChannels,
    src_grid: [14, 14], dst_grid: [c.img[0] / 16, c.img[1] / 16], grid_d: c.window / c.patchDepth,
  });
  beforeAll(() => {
    // One python process for all cases (importing torch dominates the time).
    const run = spawnSync(python!, [script, refDir, JSON.stringify(cases.map(job))], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`reference_inflate.py failed: ${run.stderr}`);
  });
  afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });
  for (const c of cases) {
    it(`${c.kind} ${c.strategy}, window ${c.window}, patch depth ${c.patchDepth}, img ${c.img.join("x")}, ${c.inChannels} channel(s): within 1e-5 of max |x|`, () => {
      const { input, output } = job(c);
      const want = readSafetensors(output).tensors;
      const { tensors } = inflateCheckpoint(readSafetensors(input).tensors, { strategy: c.strategy, window: c.window, patchDepth: c.patchDepth, img: [c.img[0], c.img[1]], inChannels: c.inChannels });
      expect([...tensors.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [name, w] of want) {
        const g = tensors.get(name)!;
        expect(g.shape, name).toEqual(w.shape);
        const a = toFloat32(g);
        const b = toFloat32(w);
        let scale = 0;
        let err = 0;
        for (let i = 0; i < b.length; i++) {
          scale = Math.max(scale, Math.abs(b[i]!));
          err = Math.max(err, Math.abs(a[i]! - b[i]!));
        }
        expect(err, `${name}: max error ${err}, max |x| ${scale}`).toBeLessThanOrEqual(1e-5 * scale);
      }
    });
  }
});
