// A 2D Swin checkpoint inflated here has the tensors (names and shapes) of TransSeg's own swint
// (swin_transformer.py, patch (5, 4, 4)) and swint3d (swin_transformer_3d.py, window (8, 7, 7)):
// exactly, buffers aside, plus the classifier's head (and, for swint, the final norm instead of the
// stage norms norm0..3, which TransSeg creates fresh). Skips without torch or without TransSeg's code.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { f32Entry, type TensorEntry } from "@transseg/weights";
import { afterAll, describe, expect, it } from "vitest";
import { torchPython, transsegSwinSource } from "@transseg/weights/testing";
import { inflateSwinCheckpoint } from "./swin.js";

const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, "../../weights/scripts/transseg_swin_names.py");
const python = torchPython();
const src = python ? transsegSwinSource() : undefined;
if (!python || !src) console.warn("Swin inflation vs TransSeg's modules: skipped (needs python3 with torch and TransSeg's code, TRANSSEG_SRC=<TransSeg>/src/backbones/encoders)");

const shapesOf = (m: ReadonlyMap<string, TensorEntry>) => Object.fromEntries([...m].map(([k, e]) => [k, [...e.shape]]).sort(([a], [b]) => String(a).localeCompare(String(b))));
const params = (s: Record<string, number[]>) => Object.fromEntries(Object.entries(s).filter(([k]) => !k.endsWith("relative_position_index")).sort(([a], [b]) => a.localeCompare(b)));

describe.skipIf(!python || !src)("inflateSwinCheckpoint output = TransSeg's swint / swint3d tensors", () => {
  afterAll(() => { if (src && !process.env.TRANSSEG_SRC) rmSync(src, { recursive: true, force: true }); });
  it("a Microsoft-style 2D Swin (RGB, final norm and head) -> swin (window 5) and swin3d", () => {
    const run = spawnSync(python!, [script, src!], { encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr.slice(-1500)).toBe(0);
    const names = JSON.parse(run.stdout) as { swin: Record<string, number[]>; swin3d: Record<string, number[]> };
    // the 2D source: swint's parameters with a 2D RGB kernel, Microsoft's final norm and head, no stage norms
    const source = new Map<string, TensorEntry>();
    for (const [k, s] of Object.entries(params(names.swin))) {
      if (/^norm\d\./.test(k)) continue;
      const shape = k === "patch_embed.proj.weight" ? [s[0]!, 3, s[3]!, s[4]!] : s;
      source.set(k, f32Entry(shape, new Float32Array(shape.reduce((a, b) => a * b, 1))));
    }
    for (const [k, s] of [["norm.weight", [128]], ["norm.bias", [128]], ["head.weight", [10, 128]], ["head.bias", [10]]] as const) source.set(k, f32Entry([...s], new Float32Array(s.reduce((a: number, b: number) => a * b, 1))));
    const swin = inflateSwinCheckpoint(source, { window: 5 }).tensors;
    const expectedSwin = { ...params(names.swin), "norm.weight": [128], "norm.bias": [128], "head.weight": [10, 128], "head.bias": [10] };
    for (let s = 0; s < 4; s++) for (const p of ["weight", "bias"]) delete (expectedSwin as Record<string, number[]>)[`norm${s}.${p}`];
    expect(shapesOf(swin)).toEqual(Object.fromEntries(Object.entries(expectedSwin).sort(([a], [b]) => a.localeCompare(b))));
    const swin3d = inflateSwinCheckpoint(source, { target: "swin3d", windowSize: [8, 7, 7] }).tensors;
    const expected3d = { ...params(names.swin3d), "head.weight": [10, 128], "head.bias": [10] };
    expect(shapesOf(swin3d)).toEqual(Object.fromEntries(Object.entries(expected3d).sort(([a], [b]) => a.localeCompare(b))));
  }, 120_000);
});
