import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { torchPython } from "@transseg/weights/testing";
import { describe, expect, it } from "vitest";
import { resizeBicubic } from "./bicubic.js";
import { randomFloat32 } from "./testing/random.js";

const script = resolve(dirname(fileURLToPath(import.meta.url)), "../scripts/bicubic_reference.py");
const python = torchPython();
const hasTorch = python !== undefined;
if (!hasTorch) console.warn("bicubic.torch.test: skipped, no python3 imports torch (set TRANSSEG_PYTHON)");

describe.skipIf(!hasTorch)("resizeBicubic vs PyTorch F.interpolate(bicubic, align_corners=False)", () => {
  it("matches on up- and down-sampling, square and not, several channels (tolerance 1e-6 of max |x|)", () => {
    const shapes = [
      [14, 14, 20, 20, 3], // the 224 -> 320 pos_embed case
      [27, 27, 39, 39, 2], // its bias-table grid
      [14, 14, 4, 4, 2],
      [27, 27, 7, 7, 1],
      [5, 9, 12, 4, 3],
      [7, 3, 7, 11, 1],
      [1, 6, 3, 13, 2],
    ] as const;
    const cases = shapes.map(([h, w, oh, ow, c], i) => ({ size: [h, w], out: [oh, ow], channels: c, data: Array.from(randomFloat32(h * w * c, 50 + i)) }));
    const run = spawnSync(python!, [script], { input: JSON.stringify(cases), encoding: "utf8", maxBuffer: 1 << 26 });
    expect(run.status, run.stderr).toBe(0);
    const want = JSON.parse(run.stdout) as number[][];
    cases.forEach((c, i) => {
      const got = resizeBicubic(Float32Array.from(c.data), [c.size[0]!, c.size[1]!], [c.out[0]!, c.out[1]!], c.channels);
      expect(got.length).toBe(want[i]!.length);
      got.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(1e-6));
    });
  });
});
