import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "./errors.js";
import { writeSafetensors } from "./formats/safetensors.js";
import { readCheckpoint } from "./read.js";
import { countParameters, summarize } from "./summary.js";
import { f32Entry, tensorEntry } from "./tensor.js";

const TEST_DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../test-data");

describe("readCheckpoint", () => {
  it("chooses the format by content, not by extension", async () => {
    const dir = mkdtempSync(join(tmpdir(), "read-"));
    const cases: [string, string, string][] = [
      ["views.pth", "weights.safetensors", "pytorch-zip"],
      ["arrays.npz", "weights.pth", "npz"],
      ["single.npy", "weights.bin", "npy"],
    ];
    for (const [src, as, format] of cases) {
      copyFileSync(join(TEST_DATA, src), join(dir, as));
      expect((await readCheckpoint(join(dir, as))).format, src).toBe(format);
    }
    writeSafetensors(join(dir, "st.npz"), new Map([["w", f32Entry([1], new Float32Array(1))]]));
    expect((await readCheckpoint(join(dir, "st.npz"))).format).toBe("safetensors");
  });

  it("names the file for missing and unrecognised files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "read-"));
    await expect(readCheckpoint(join(dir, "nope.pth"))).rejects.toThrow(`${join(dir, "nope.pth")}: no such file`);
    writeFileSync(join(dir, "junk.pth"), "hello world, not a checkpoint");
    const err = await readCheckpoint(join(dir, "junk.pth")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/junk\.pth: unrecognised checkpoint format \(known: safetensors, safetensors-sharded, pytorch-zip, npz, npy, pytorch-legacy\)/);
  });
});

describe("countParameters / summarize", () => {
  it("counts floating tensors only and lists tensors without reading values", () => {
    let reads = 0;
    const lazy = (shape: number[]) => ({ ...f32Entry(shape, new Float32Array(shape.reduce((a, b) => a * b, 1))), read: () => { reads++; return new Float32Array(0); } });
    const tensors = new Map([
      ["cls_token", lazy([1, 1, 8])],
      ["blocks.0.attn.qkv.weight", lazy([24, 8])],
      ["blocks.0.attn.relative_position_index", tensorEntry("I64", [4], new BigInt64Array(4))],
      ["blocks.0.attn.q_bias", tensorEntry("BF16", [8], new Uint16Array(8))],
    ]);
    expect(countParameters(tensors)).toBe(8 + 192 + 8);
    const s = summarize({ format: "safetensors", tensors, metadata: {} });
    expect(s).toEqual({
      format: "safetensors",
      layout: "beit",
      parameters: 208,
      tensors: [
        { name: "cls_token", dtype: "F32", shape: [1, 1, 8] },
        { name: "blocks.0.attn.qkv.weight", dtype: "F32", shape: [24, 8] },
        { name: "blocks.0.attn.relative_position_index", dtype: "I64", shape: [4] },
        { name: "blocks.0.attn.q_bias", dtype: "BF16", shape: [8] },
      ],
    });
    expect(reads).toBe(0);
    expect(summarize({ format: "npz", tensors: new Map([["x/y", f32Entry([2], new Float32Array(2))]]), metadata: {} }).layout).toBeNull();
  });
});
