import * as tf from "@tensorflow/tfjs";
import { CheckpointError, readSafetensors, tensorEntry, writeSafetensors, type TensorEntry } from "@transseg/weights";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSegmentationModel } from "./load.js";
import { useTestBackend } from "./testing/backends.js";
import { fixture, HAVE_SHARED_FIXTURES, relativeMaxError, SHARED_FIXTURES } from "@transseg/model/testing";

const dir = mkdtempSync(join(tmpdir(), "vit3d-ckpt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** F32 -> BF16 bits, round to nearest even (as the reference writes them). */
function toBf16(v: Float32Array): Uint16Array {
  const u = new Uint32Array(v.buffer, v.byteOffset, v.length);
  return Uint16Array.from(u, (x) => (x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
}

describe.skipIf(!HAVE_SHARED_FIXTURES)(`transseg-seg/1 checkpoints (${SHARED_FIXTURES})`, () => {
  beforeAll(() => useTestBackend("cpu"));

  it("load -> save -> load round-trips every tensor bit for bit, with the config", async () => {
    const src = readSafetensors(fixture("seg_beit.safetensors"));
    const model = await loadSegmentationModel(fixture("seg_beit.safetensors"));
    const out = join(dir, "copy.safetensors");
    model.saveCheckpoint(out);
    const copy = readSafetensors(out);
    expect([...copy.tensors.keys()].sort()).toEqual([...src.tensors.keys()].sort());
    for (const [name, e] of src.tensors) {
      const c = copy.tensors.get(name)!;
      expect(c.shape, name).toEqual(e.shape);
      expect(Buffer.from((c.read() as Float32Array).buffer).equals(Buffer.from((e.read() as Float32Array).buffer)), name).toBe(true);
    }
    const again = await loadSegmentationModel(out);
    expect(again.config).toEqual(model.config);
    const original = JSON.parse(src.metadata.transseg!);
    expect(model.config.encoder).toMatchObject(original.encoder);
    expect(model.config.encoder.patch_depth).toBe(5);
    expect(model.config.encoder.force_2d).toBe(false);
    model.dispose();
    again.dispose();
  });

  it("accepts BF16 tensors (widened to F32 at load)", async () => {
    const src = readSafetensors(fixture("seg_vit.safetensors"));
    const bf = new Map<string, TensorEntry>();
    for (const [name, e] of src.tensors) bf.set(name, tensorEntry("BF16", e.shape, toBf16(e.read() as Float32Array)));
    const path = join(dir, "bf16.safetensors");
    writeSafetensors(path, bf, { metadata: src.metadata });
    const [a, b] = [await loadSegmentationModel(fixture("seg_vit.safetensors")), await loadSegmentationModel(path)];
    const io = readSafetensors(fixture("seg_vit_io.safetensors")).tensors.get("input")!;
    const x = tf.tensor5d(io.read() as Float32Array, io.shape as [number, number, number, number, number]);
    const [ya, yb] = [a.forward(x), b.forward(x)];
    // bf16 keeps 8 mantissa bits: the logits move, but only by a few 1e-2 of their range.
    const err = relativeMaxError(yb.dataSync(), ya.dataSync());
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(0.1);
    const w = b.toTensorMap().get("encoder.cls_token")!.read() as Float32Array;
    expect(toBf16(w)).toEqual(bf.get("encoder.cls_token")!.read());
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
  });

  it("names the file and the problem for a missing tensor, a wrong shape, no metadata", async () => {
    const src = readSafetensors(fixture("seg_beit.safetensors"));
    const missing = new Map(src.tensors);
    missing.delete("decoder.conv_seg.bias");
    await expect(loadSegmentationModel({ ...src, tensors: missing }, { name: "m.safetensors" })).rejects.toThrow('m.safetensors: missing tensor "decoder.conv_seg.bias"');
    const wrong = new Map(src.tensors);
    wrong.set("encoder.cls_token", tensorEntry("F32", [1, 1, 32], new Float32Array(32)));
    await expect(loadSegmentationModel({ ...src, tensors: wrong }, { name: "w.safetensors" })).rejects.toThrow(/w\.safetensors: tensor "encoder.cls_token" has shape \[1, 1, 32\] but the model needs \[1, 1, 64\]/);
    await expect(loadSegmentationModel({ ...src, metadata: {} }, { name: "n.safetensors" })).rejects.toThrow(CheckpointError);
    await expect(loadSegmentationModel(fixture("beit2d.safetensors"))).rejects.toThrow(/beit2d\.safetensors: no "transseg" metadata/);
    const extra = new Map(src.tensors);
    extra.set("encoder.norm.weight", tensorEntry("F32", [64], new Float32Array(64)));
    await expect(loadSegmentationModel({ ...src, tensors: extra }, { name: "x.safetensors" })).rejects.toThrow(/x\.safetensors: unexpected tensor .*encoder\.norm\.weight/);
  });

  it("honours force_2d: the centre slice only, patch depth 1", async () => {
    const src = readSafetensors(fixture("seg_beit.safetensors"));
    const meta = JSON.parse(src.metadata.transseg!);
    meta.encoder.force_2d = true;
    const t = new Map(src.tensors);
    const w = src.tensors.get("encoder.patch_embed.proj.weight")!;
    const all = w.read() as Float32Array; // [64, 1, 5, 16, 16] -> centre slice [64, 1, 1, 16, 16]
    const centre = new Float32Array(64 * 256);
    for (let o = 0; o < 64; o++) centre.set(all.subarray(o * 5 * 256 + 2 * 256, o * 5 * 256 + 3 * 256), o * 256);
    t.set("encoder.patch_embed.proj.weight", tensorEntry("F32", [64, 1, 1, 16, 16], centre));
    const m2 = await loadSegmentationModel({ ...src, tensors: t, metadata: { transseg: JSON.stringify(meta) } });
    const m3 = await loadSegmentationModel(fixture("seg_beit.safetensors"));
    const io = readSafetensors(fixture("seg_beit_io.safetensors")).tensors;
    const x = tf.tensor5d(io.get("input")!.read() as Float32Array, [2, 1, 5, 64, 64]);
    const slice = tf.slice(x, [0, 0, 2, 0, 0], [-1, -1, 1, -1, -1]) as tf.Tensor5D;
    // the fixture is center-inflated, so the 2D model on the window (or its slice) = the 3D model
    const [y3, y2, y2s] = [m3.forward(x), m2.forward(x), m2.forward(slice)];
    expect(relativeMaxError(y2.dataSync(), y3.dataSync())).toBeLessThan(1e-5);
    expect(relativeMaxError(y2s.dataSync(), y3.dataSync())).toBeLessThan(1e-5);
    expect(() => m3.forward(slice)).toThrow("model input has shape [2, 1, 1, 64, 64], expected [B, 1, 5, 64, 64]");
    tf.dispose([x, slice, y3, y2, y2s]);
    m2.dispose();
    m3.dispose();
  });
});
