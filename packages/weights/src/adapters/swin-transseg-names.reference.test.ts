// The canonical Swin names are TransSeg's: the state dicts of its own swin_transformer.py (swint) and
// swin_transformer_3d.py (swint3d) are read by ms-swin / video-swin as they are (buffers dropped), and
// inferSwinConfig reads their architecture back. Skips without torch or without TransSeg's code.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { torchPython, transsegSwinSource } from "../testing/transseg-reference.js";
import { numel, tensorEntry, type TensorEntry } from "../tensor.js";
import { isSwinCanonicalName } from "./canonical.js";
import { detectLayout } from "./canonicalize.js";
import { inferSwinConfig } from "./swin-config.js";

const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, "../../scripts/transseg_swin_names.py");
const python = torchPython();

const src = python ? transsegSwinSource() : undefined;
if (!python) console.warn("TransSeg Swin names test: skipped, no python3 that imports torch");
else if (!src) console.warn("TransSeg Swin names test: skipped, TransSeg's swin_transformer.py not found (set TRANSSEG_SRC to its src/backbones/encoders)");

const entries = (shapes: Record<string, number[]>, prefix = ""): Map<string, TensorEntry> =>
  new Map(Object.entries(shapes).map(([k, s]) => [prefix + k, tensorEntry(k.endsWith("relative_position_index") ? "I64" : "F32", s, k.endsWith("relative_position_index") ? new BigInt64Array(numel(s)) : new Float32Array(numel(s)))]));

describe.skipIf(!python || !src)("canonical Swin names = TransSeg's swin_transformer(_3d).py state dicts", () => {
  let names: { swin: Record<string, number[]>; swin3d: Record<string, number[]> };
  afterAll(() => { if (src && !process.env.TRANSSEG_SRC) rmSync(src, { recursive: true, force: true }); });
  it("runs TransSeg's modules", () => {
    const run = spawnSync(python!, [script, src!], { encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr.slice(-1500)).toBe(0);
    names = JSON.parse(run.stdout);
    expect(Object.keys(names.swin).length).toBeGreaterThan(100);
  }, 120_000);

  it("swint: read by ms-swin as it is (index buffers dropped); architecture inferred", () => {
    const map = entries(names.swin);
    const adapter = detectLayout([...map.keys()]);
    expect(adapter.id).toBe("ms-swin");
    const out = adapter.toCanonical(map);
    const params = [...map.keys()].filter((k) => !k.endsWith("relative_position_index"));
    expect([...out.keys()].sort()).toEqual(params.sort());
    expect(params.every(isSwinCanonicalName)).toBe(true);
    expect(inferSwinConfig(out)).toEqual({ kind: "swin", embed_dim: 16, depths: [2, 2, 4, 2], heads: [1, 2, 2, 4], window_size: [7, 7], patch: 4, patch_depth: 5, in_channels: 1, mlp_ratio: 4, patch_norm: true, stage_norms: true });
  });

  it("swint3d under backbone. (a Video Swin checkpoint): read by video-swin; architecture inferred", () => {
    const map = entries(names.swin3d, "backbone.");
    const adapter = detectLayout([...map.keys()]);
    expect(adapter.id).toBe("video-swin");
    const out = adapter.toCanonical(map);
    const params = Object.keys(names.swin3d).filter((k) => !k.endsWith("relative_position_index"));
    expect([...out.keys()].sort()).toEqual(params.sort());
    expect(params.every(isSwinCanonicalName)).toBe(true);
    expect(inferSwinConfig(out)).toEqual({ kind: "swin3d", embed_dim: 16, depths: [2, 2, 4, 2], heads: [1, 2, 2, 4], window_size: [8, 7, 7], patch: 4, patch_depth: 2, in_channels: 1, mlp_ratio: 4, patch_norm: true, stage_norms: false });
  });
});
