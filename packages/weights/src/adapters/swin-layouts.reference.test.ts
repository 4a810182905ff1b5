// Swin checkpoints written by PyTorch in every supported layout (scripts/swin_layouts.py: torchvision's
// own model gives the weights) convert to the same canonical tensors, bit for bit. Skips without torchvision.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../read.js";
import type { TensorMap } from "../tensor.js";
import { expectSameTensors } from "../testing/expect-tensors.js";
import { torchPython } from "../testing/transseg-reference.js";
import { canonicalize } from "./canonicalize.js";
import { inferSwinConfig } from "./swin-config.js";

const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, "../../scripts/swin_layouts.py");
const python = torchPython(["torch", "torchvision"]);
if (!python) console.warn("swin layouts reference test: skipped, no python3 that imports torch and torchvision (Debian: python3-torchvision)");

const layouts2d = [
  { file: "torchvision.pth", layout: "torchvision-swin", head: true },
  { file: "ms.pth", layout: "ms-swin", head: true },
  { file: "timm.pth", layout: "timm-swin", head: true },
  { file: "hf-classifier.pth", layout: "hf-swin", head: true },
  { file: "hf-model.pth", layout: "hf-swin", head: false },
] as const;

describe.skipIf(!python)("Swin layouts written by PyTorch -> canonical names", () => {
  const dir = python ? mkdtempSync(join(tmpdir(), "swin-layouts-")) : "";
  let canon2d: TensorMap;
  let canon3d: TensorMap;
  beforeAll(async () => {
    const run = spawnSync(python!, [script, dir], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`swin_layouts.py failed: ${run.stderr}`);
    canon2d = (await readCheckpoint(join(dir, "canonical2d.pth"))).tensors;
    canon3d = (await readCheckpoint(join(dir, "canonical3d.pth"))).tensors;
  }, 120_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  for (const c of layouts2d) {
    it(`${c.file}: detected as ${c.layout}, every canonical tensor equal to torchvision's${c.head ? "" : " (no classifier)"}`, async () => {
      const { tensors } = await readCheckpoint(join(dir, c.file));
      const { layout, tensors: out } = canonicalize(tensors);
      expect(layout).toBe(c.layout);
      const expected = new Map([...canon2d].filter(([k]) => c.head || !k.startsWith("head.")));
      expectSameTensors(out, expected);
    });
  }

  it("infers the architecture from the shapes, the same from every 2D layout", async () => {
    for (const c of layouts2d) {
      const { tensors } = canonicalize((await readCheckpoint(join(dir, c.file))).tensors);
      expect(inferSwinConfig(tensors, c.file)).toEqual({
        kind: "swin", embed_dim: 16, depths: [2, 2, 4, 2], heads: [1, 2, 2, 4], window_size: [5, 5],
        patch: 4, patch_depth: null, in_channels: 3, mlp_ratio: 4, patch_norm: true, stage_norms: false,
      });
    }
  });

  it("video-swin.pth (mmaction2 state_dict, backbone. + cls_head): canonical tensors and a 3D config", async () => {
    const { tensors } = await readCheckpoint(join(dir, "video-swin.pth"));
    const { layout, tensors: out } = canonicalize(tensors);
    expect(layout).toBe("video-swin");
    expectSameTensors(out, canon3d);
    expect(inferSwinConfig(out)).toEqual({
      kind: "swin3d", embed_dim: 8, depths: [2, 2], heads: [1, 2], window_size: [4, 3, 3],
      patch: 4, patch_depth: 2, in_channels: 3, mlp_ratio: 4, patch_norm: true, stage_norms: false,
    });
  });
});
