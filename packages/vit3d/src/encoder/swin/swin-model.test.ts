import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relativeMaxError } from "@transseg/model/testing";
import type { SegConfigInput } from "@transseg/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { countParams } from "../../flops.js";
import { createSegmentationModel, loadSegmentationModel } from "../../load.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { forwardChannelsLast } from "../../train/forward.js";

// Swin / Video Swin segmentation models through the model API: upernet-swint on the four stage
// maps, logits at img, checkpoint round trip, the ViT heads refusing hierarchical encoders (and
// back), fresh stage norms for 2D checkpoints that lack them, gradients reaching every trainable
// tensor, drop path only in training and seeded.

const config = (kind: "swin" | "swin3d", extra: Record<string, unknown> = {}): SegConfigInput => ({
  // swin3d with a (2, 7, 7) window: cpu's UnsortedSegmentSum (the gather's gradient) is slow on (8, 7, 7)'s 2535-row tables
  encoder: { kind, embed_dim: 8, depths: [2, 2, 1, 1], heads: [1, 2, 2, 4], window: 3, img: [36, 44], ...(kind === "swin3d" ? { window_size: [2, 7, 7] } : {}), ...extra } as SegConfigInput["encoder"],
  decoder: { kind: "upernet-swint", channels: 8 },
  classes: 3,
});

let dir = "";
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "swin-model-"))));
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("Swin models: configuration", () => {
  beforeAll(() => initBackend("cpu"));
  it("upernet-swint reads the four stages; the ViT heads refuse a Swin encoder and upernet-swint a ViT one, in one line", () => {
    for (const head of ["upernet", "setr-pup", "convtrans", "unetr"]) {
      expect(() => createSegmentationModel({ ...config("swin"), decoder: { kind: head } })).toThrow(`decoder "${head}" needs a ViT/BEiT encoder (one token grid), not the hierarchical "swin": use decoder "upernet-swint" (the default for swin / swin3d)`);
    }
    const vit: SegConfigInput = { encoder: { kind: "vit", dim: 16, depth: 2, heads: 2, img: [32, 32], window: 3 }, decoder: { kind: "upernet-swint" }, classes: 2 };
    expect(() => createSegmentationModel(vit)).toThrow('decoder "upernet-swint" needs a hierarchical encoder (swin, swin3d), not "vit": use decoder "upernet" for ViT/BEiT encoders');
    const m = createSegmentationModel({ ...config("swin"), decoder: { kind: "upernet-swint" } });
    expect(m.config.decoder).toEqual({ kind: "upernet-swint", channels: 512, pool_scales: [1, 2, 3, 6], dropout: 0.1 });
    expect(m.params.get("decoder.lateral_convs.2.conv.weight").shape).toEqual([1, 1, 32, 512]); // 1x1 conv from the stage-2 width 4C = 32
    expect(m.params.get("decoder.psp_modules.0.1.conv.weight").shape).toEqual([1, 1, 64, 512]); // from 8C = 64
    expect(m.hierarchical).toBe(true);
    m.dispose();
  });

  it("a Swin encoder map without TransSeg's stage norms (Microsoft / torchvision) gets fresh ones; other missing tensors are refused", () => {
    const a = createSegmentationModel(config("swin"), { seed: 3 });
    const enc = new Map([...a.toTensorMap()].filter(([k]) => k.startsWith("encoder.") && !/^encoder\.norm\d\./.test(k)));
    const b = createSegmentationModel(config("swin"), { encoder: enc, seed: 3 });
    expect(Array.from(b.params.get("encoder.norm2.weight").dataSync())).toEqual(new Array(32).fill(1));
    enc.delete("encoder.layers.1.blocks.0.mlp.fc1.bias");
    expect(() => createSegmentationModel(config("swin"), { encoder: enc })).toThrow('missing tensor "layers.1.blocks.0.mlp.fc1.bias"');
    expect(countParams(config("swin")).encoder).toBe([...a.params.entries()].filter(([k, p]) => k.startsWith("encoder.") && p.spec.trainable).reduce((s, [, p]) => s + p.variable.size, 0));
    a.dispose();
    b.dispose();
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`Swin models on ${backend}`, () => {
    beforeAll(() => initBackend(backend, { threads: 1 }));

    for (const kind of ["swin", "swin3d"] as const) {
      it(`${kind}: logits at img, the same after a checkpoint round trip; encode gives the stage maps as tokens`, async () => {
        const m = createSegmentationModel(config(kind), { seed: 1 });
        const x = tf.randomNormal([2, 1, 3, 36, 44], 0, 1, "float32", 2) as tf.Tensor5D;
        const y = m.forward(x);
        expect(y.shape).toEqual([2, 3, 36, 44]);
        const feats = m.encode(x);
        expect(feats.map((f) => f.shape)).toEqual([[2, 9 * 11, 8], [2, 5 * 6, 16], [2, 3 * 3, 32], [2, 2 * 2, 64]]);
        const file = join(dir, `${kind}-${backend}.safetensors`);
        m.saveCheckpoint(file);
        const back = await loadSegmentationModel(file);
        expect(back.config).toEqual(m.config);
        const y2 = back.forward(x);
        expect(relativeMaxError(y2.dataSync(), y.dataSync())).toBe(0);
        tf.dispose([x, y, y2, ...feats]);
        m.dispose();
        back.dispose();
      }, 60_000);

      it(`${kind}: a training forward's gradients reach every trainable tensor`, () => {
        const m = createSegmentationModel(config(kind, { drop_path: 0 }), { seed: 1 });
        const x = tf.randomNormal([2, 1, 3, 36, 44], 0, 1, "float32", 4) as tf.Tensor5D;
        const vars = m.trainableVariables();
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(forwardChannelsLast(m, x, { training: true, seed: 5 }))) as tf.Scalar, vars);
        const names = [...m.params.entries()].filter(([, p]) => p.spec.trainable).map(([n]) => n);
        const dead = names.filter((n, i) => !(tf.max(tf.abs(grads[vars[i]!.name]!)).dataSync()[0]! > 0));
        expect(dead).toEqual([]);
        tf.dispose([value, ...Object.values(grads)]);
        m.dispose();
      }, 120_000);

      it(`${kind}: drop path is seeded in training and off in inference`, () => {
        const m = createSegmentationModel(config(kind, { drop_path: 0.5 }), { seed: 1 });
        const x = tf.randomNormal([2, 1, 3, 36, 44], 0, 1, "float32", 4) as tf.Tensor5D;
        const t1 = m.encode(x, [3], { training: true, seed: 9 });
        const t2 = m.encode(x, [3], { training: true, seed: 9 });
        const t3 = m.encode(x, [3], { training: true, seed: 10 });
        const e1 = m.encode(x, [3]);
        const e2 = m.encode(x, [3]);
        expect(Array.from(t2[0]!.dataSync())).toEqual(Array.from(t1[0]!.dataSync()));
        expect(relativeMaxError(t3[0]!.dataSync(), t1[0]!.dataSync())).toBeGreaterThan(1e-3);
        expect(relativeMaxError(t1[0]!.dataSync(), e1[0]!.dataSync())).toBeGreaterThan(1e-3);
        expect(Array.from(e2[0]!.dataSync())).toEqual(Array.from(e1[0]!.dataSync()));
        tf.dispose([x, ...t1, ...t2, ...t3, ...e1, ...e2]);
        m.dispose();
      }, 60_000);
    }
  });
}
