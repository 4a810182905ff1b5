import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { checkDecoder, checkForward, checkGradients, checkSeededInit } from "../testing/decoder-checks.js";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import { createSegmentationModel } from "../load.js";
import type { Decoder } from "./decoder.js";
import { builtinDecoders } from "./registry.js";
import { upernetDecoder as upernetLiteral } from "./upernet.js";

const upernetDecoder: Decoder = upernetLiteral;

const OPTIONS: Record<string, Record<string, unknown>> = { upernet: { channels: 8, layer_idxs: [0, 1, 1, 1] }, unetr: { feature_size: 4 }, "upernet-swint": { channels: 8 } };
/** Heads that need depth tokens (Gd > 1) get a 3-slice window with patch depth 1. */
const ENCODER: Record<string, { patch_depth: number }> = { unetr: { patch_depth: 1 } };

for (const backend of TEST_BACKENDS) {
  describe(`decoder conformance on ${backend}`, () => {
    beforeAll(() => useTestBackend(backend));
    // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel (src/backend registers one);
    // until it is registered the gradient check runs on cpu only.
    const noConvGrad = () => backend === "wasm" && !tf.getKernel("Conv2DBackpropFilter", "wasm");
    // Volumetric heads (unetr) run the kit in their own test, on a 3D encoder (Gd > 1).
    for (const d of (Object.values(builtinDecoders) as Decoder[]).filter((h) => !h.volumetric)) {
      it(`${d.id} passes the kit`, async () => {
        await checkDecoder(d, { options: OPTIONS[d.id], skipGradients: noConvGrad() });
        await checkDecoder(d, { options: OPTIONS[d.id], encoderKind: d.hierarchical ? "swin3d" : "vit", skipGradients: noConvGrad() });
      });
    }
    // odd grids train too: max pooling 3 -> 1 and 5 -> 2, resizes to the odd sizes, and their gradients
    it("upernet passes the kit on an odd 3x5 grid (img 48x80, patch 16)", async () => {
      await checkDecoder(upernetDecoder, { options: OPTIONS.upernet, encoder: { img: [48, 80] }, skipGradients: noConvGrad() });
    });
  });
}

describe("every head returns logits at the model's img whatever the patch", () => {
  beforeAll(() => useTestBackend("cpu"));
  // the hierarchical upernet-swint runs the kit above on Swin encoders (patch 4)
  for (const d of (Object.values(builtinDecoders) as Decoder[]).filter((h) => !h.hierarchical)) {
    for (const patch of [4, 8, 16]) {
      it(`${d.id}, patch ${patch}, img 32x64`, () => {
        const model = createSegmentationModel({
          encoder: { kind: "beit", dim: 16, depth: 2, heads: 2, patch, img: [32, 64], window: 3, in_channels: 1, ...ENCODER[d.id] },
          decoder: { kind: d.id, ...OPTIONS[d.id] },
          classes: 3,
        });
        const x = tf.randomUniform([2, 1, 3, 32, 64], 0, 1, "float32", 3) as tf.Tensor5D;
        try {
          for (const training of [false, true]) {
            const y = model.forward(x, { training });
            expect(y.shape, `training ${training}`).toEqual([2, 3, 32, 64]);
            expect((y.dataSync() as Float32Array).every(Number.isFinite)).toBe(true);
            y.dispose();
          }
        } finally {
          x.dispose();
          model.dispose();
        }
      });
    }
  }
});

describe("upernet dropout follows the forward's seed", () => {
  beforeAll(() => useTestBackend("cpu"));
  it("same seed, same masks; another seed, other masks; dropout 0 ignores it", () => {
    const make = (dropout: number) =>
      createSegmentationModel({ encoder: { kind: "beit", dim: 16, depth: 2, heads: 2, patch: 8, img: [32, 32], window: 3, in_channels: 1 }, decoder: { kind: "upernet", channels: 16, layer_idxs: [0, 1, 1, 1], dropout }, classes: 2 });
    const x = tf.randomUniform([2, 1, 3, 32, 32], 0, 1, "float32", 9) as tf.Tensor5D;
    const run = (m: ReturnType<typeof make>, seed: number) => tf.tidy(() => Array.from(m.forward(x, { training: true, seed }).dataSync()));
    const m = make(0.5);
    expect(run(m, 1)).toEqual(run(m, 1));
    expect(run(m, 1)).not.toEqual(run(m, 2));
    const m0 = make(0);
    expect(run(m0, 1)).toEqual(run(m0, 2));
    tf.dispose([x]);
    m.dispose();
    m0.dispose();
  });
});

describe("the kit catches defects", () => {
  beforeAll(() => useTestBackend("cpu"));
  const o = { options: OPTIONS.upernet };
  it("a head returning the wrong size", () => {
    const bad: Decoder = { ...upernetDecoder, id: "bad", forward: (f, p, c, opts) => tf.slice(upernetDecoder.forward(f, p, c, opts), [0, 0, 0, 0], [-1, 16, -1, -1]) };
    expect(() => checkForward(bad, o)).toThrow(/returned \[2,3,16,64\]/);
  });
  it("a head that ignores the seed", () => {
    const bad: Decoder = { ...upernetDecoder, id: "bad", params: (ctx) => upernetDecoder.params(ctx).map((s) => ({ ...s, name: s.name, init: { kind: "ones" } as const })) };
    expect(() => checkSeededInit(bad, o)).toThrow(/identical decoder tensors/);
  });
  it("a head with a parameter cut off from the graph", () => {
    const bad: Decoder = { ...upernetDecoder, id: "bad", forward: (f, p, c, opts) => upernetDecoder.forward(f, (n) => (n === "conv_seg.bias" ? tf.zeros([3]) : p(n)), c, opts) };
    expect(() => checkGradients(bad, o)).toThrow('no gradient for "decoder.conv_seg.bias"');
  });
});
