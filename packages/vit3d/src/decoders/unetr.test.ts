import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerKernelFixes } from "../backend/register-wasm-kernels.js";
import { ConfigError, type EncoderConfigInput, type ModelEncoderConfig, type SegConfigInput } from "@transseg/model";
import { createSegmentationModel, loadSegmentationModel } from "../load.js";
import type { SegmentationModel } from "../model.js";
import { checkDecoder, type DecoderCheckOptions } from "../testing/decoder-checks.js";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import type { Decoder, DecoderContext } from "./decoder.js";
import { defaultUnetrLayers, unetrDecoder as unetrLiteral } from "./unetr.js";

const unetrDecoder: Decoder = unetrLiteral;

/** The brief's tiny 3D model: window 9, patch depth 3 → Gd = 3; img 32, patch 16 → 2×2 in-plane; 4 stages. */
const TINY_ENCODER = { kind: "beit", dim: 32, depth: 4, heads: 2, img: [32, 32], window: 9, patch_depth: 3, in_channels: 1 } as const satisfies EncoderConfigInput;
const DECODERS = { unetr: unetrDecoder };
const tinyConfig = (encoder: Partial<EncoderConfigInput> = {}, decoder: Record<string, unknown> = {}): SegConfigInput => ({ encoder: { ...TINY_ENCODER, ...encoder }, decoder: { kind: "unetr", feature_size: 4, ...decoder }, classes: 3 });
const create = (seed = 0, encoder: Partial<EncoderConfigInput> = {}) => createSegmentationModel(tinyConfig(encoder), { seed, decoders: DECODERS });
const window9 = (seed: number) => tf.randomUniform([2, 1, 9, 32, 32], 0, 1, "float32", seed) as tf.Tensor5D;

function context(m: SegmentationModel): DecoderContext<ModelEncoderConfig> {
  const [, gh, gw] = m.grid;
  return { encoder: m.config.encoder, config: m.config.decoder, classes: m.config.classes, grid: [gh, gw] };
}

/** Depth tokens folded into rows, `[B, Gd·Gh, Gw, dim]`, of the blocks the head reads. */
function depthTokens(m: SegmentationModel, x: tf.Tensor5D): tf.Tensor4D[] {
  const [gd, gh, gw] = m.grid;
  return m.encode(x, unetrDecoder.layers(context(m))).map((f) => f.reshape([f.shape[0], gd * gh, gw, f.shape[2]]) as tf.Tensor4D);
}

/** The head on the encoder's depth tokens (what a model feeding volumetric decoders computes): `[B, classes, H, W]`. */
function logits3d(m: SegmentationModel, x: tf.Tensor5D, training = false): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(unetrDecoder.forward(depthTokens(m, x), m.params.getter("decoder."), context(m), { training }), [0, 3, 1, 2]) as tf.Tensor4D);
}

/** The decoder kit on the tiny 3D model (window 9, patch depth 3: a 3 × 2 × 2 token grid). */
const KIT_OPTIONS = { encoder: { window: 9, patch_depth: 3, img: [32, 32], dim: 32, depth: 4 }, options: { feature_size: 4 } } as DecoderCheckOptions;

describe("unetr configuration", () => {
  beforeAll(() => useTestBackend("cpu"));

  it("rejects Gd = 1 (patch depth = window, or force_2d) with a ConfigError pointing to upernet", () => {
    for (const encoder of [{ patch_depth: 9 }, { force_2d: true }]) {
      const make = () => createSegmentationModel(tinyConfig(encoder), { decoders: DECODERS });
      expect(make).toThrow(ConfigError);
      expect(make).toThrow(/needs depth tokens \(Gd > 1\).*Gd = 1: use decoder kind "upernet"/);
    }
  });

  it("rejects a non-power-of-two patch, a wrong number of blocks, a block past the encoder, a bad feature_size", () => {
    const bad = (encoder: Partial<EncoderConfigInput>, decoder: Record<string, unknown>) => () => createSegmentationModel(tinyConfig(encoder, decoder), { decoders: DECODERS });
    expect(bad({ patch: 8, img: [24, 24] }, {})).not.toThrow(); // 3 stages, default blocks
    expect(bad({ patch: 6, img: [24, 24] }, {})).toThrow(/power-of-two encoder.patch \(got 6\)/);
    expect(bad({}, { layer_idxs: [0, 1, 2] })).toThrow(/must list 4 blocks for unetr with patch 16 \(got 3\)/);
    expect(bad({}, { layer_idxs: [0, 1, 2, 4] })).toThrow(/block 4 but the encoder has 4 blocks/);
    expect(bad({}, { feature_size: 0 })).toThrow(ConfigError);
  });

  it("default blocks are evenly spaced and end at the last: 12 blocks -> the paper's z3, z6, z9, z12", () => {
    expect(defaultUnetrLayers(12, 4)).toEqual([2, 5, 8, 11]);
    expect(defaultUnetrLayers(4, 4)).toEqual([0, 1, 2, 3]);
    expect(defaultUnetrLayers(2, 4)).toEqual([0, 0, 1, 1]);
    expect(create().config.decoder).toMatchObject({ kind: "unetr", feature_size: 4, layer_idxs: [0, 1, 2, 3] });
  });

  it("declares MONAI's UNETR names and PyTorch shapes (patch 16: encoder2..4, decoder5..2, out)", () => {
    const m = create();
    try {
      const shapes = Object.fromEntries([...m.params.entries()].filter(([n]) => n.startsWith("decoder.")).map(([n, p]) => [n.slice(8), p.spec.shape.join("x")]));
      const f = 4;
      expect(shapes).toMatchObject({
        "encoder2.transp_conv_init.conv.weight": `32x${2 * f}x1x2x2`,
        "encoder2.blocks.1.0.conv.weight": `${2 * f}x${2 * f}x1x2x2`,
        "encoder2.blocks.1.1.conv2.conv.weight": `${2 * f}x${2 * f}x3x3x3`,
        "encoder4.transp_conv_init.conv.weight": `32x${8 * f}x1x2x2`,
        "decoder5.transp_conv.conv.weight": `32x${8 * f}x1x2x2`,
        "decoder5.conv_block.conv1.conv.weight": `${8 * f}x${16 * f}x3x3x3`,
        "decoder5.conv_block.conv3.conv.weight": `${8 * f}x${16 * f}x1x1x1`,
        "decoder3.conv_block.conv1.conv.weight": `${2 * f}x${4 * f}x3x3x3`,
        "decoder2.transp_conv.conv.weight": `${2 * f}x${f}x1x2x2`,
        "decoder2.conv_block.conv1.conv.weight": `${f}x${f}x3x3x3`,
        "out.conv.conv.weight": `3x${f}x1x1x1`,
        "out.conv.conv.bias": "3",
      });
      expect(shapes["encoder4.blocks.0.0.conv.weight"]).toBeUndefined(); // encoder4: one ×2 step, no blocks
      expect(shapes["decoder2.conv_block.conv3.conv.weight"]).toBeUndefined(); // no skip: in = out, identity residual
      expect(Object.keys(shapes)).toHaveLength(7 + 4 + 1 + 4 + 4 + 4 + 3 + 2); // encoder2..4, decoder5..2, out
    } finally {
      m.dispose();
    }
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`unetr on the encoder's depth tokens, ${backend}`, () => {
    beforeAll(async () => {
      await useTestBackend(backend);
      registerKernelFixes(backend); // as initBackend does (wasm's Conv2DBackpropFilter)
    });

    it("the logits depend on non-centre depth tokens, and on non-centre slices of the window", () => {
      const m = create();
      const x = window9(2);
      try {
        const base = logits3d(m, x);
        // Replace depth token 0's features only (slices 0..2): the decoder's output must change.
        const [gd, gh, gw] = m.grid;
        const moved = tf.tidy(() => {
          const feats = depthTokens(m, x).map((f) => {
            const v = f.reshape([2, gd, gh * gw, 32]);
            const noise = tf.randomNormal([2, 1, gh * gw, 32], 0, 1, "float32", 5);
            return tf.concat([tf.add(tf.slice(v, [0, 0, 0, 0], [-1, 1, -1, -1]), noise), tf.slice(v, [0, 1, 0, 0], [-1, -1, -1, -1])], 1).reshape(f.shape) as tf.Tensor4D;
          });
          return tf.transpose(unetrDecoder.forward(feats, m.params.getter("decoder."), context(m), { training: false }), [0, 3, 1, 2]);
        });
        // Change the first and the last slice of the window (outside the centre token's slices 3..5).
        const edited = tf.tidy(() => {
          const v = x.arraySync();
          for (const b of v) for (const c of b) for (const z of [0, 8]) c[z] = c[z]!.map((row) => row.map((p) => 1 - p));
          return logits3d(m, tf.tensor5d(v));
        });
        const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
        const scale = tf.tidy(() => tf.max(tf.abs(base)).dataSync()[0]!);
        expect(maxDiff(base, moved)).toBeGreaterThan(1e-3 * scale);
        expect(maxDiff(base, edited)).toBeGreaterThan(1e-3 * scale);
        tf.dispose([base, moved, edited]);
      } finally {
        tf.dispose(x);
        m.dispose();
      }
    });

    it("batch items are independent (InstanceNorm, no batch statistics)", () => {
      const m = create();
      const x = window9(3);
      try {
        const both = logits3d(m, x);
        const first = tf.tidy(() => logits3d(m, tf.slice(x, [0, 0, 0, 0, 0], [1, -1, -1, -1, -1])));
        const a = tf.tidy(() => tf.slice(both, [0, 0, 0, 0], [1, -1, -1, -1]).dataSync());
        const b = first.dataSync();
        const scale = Math.max(...Array.from(b, Math.abs));
        expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5 * scale);
        tf.dispose([both, first]);
      } finally {
        tf.dispose(x);
        m.dispose();
      }
    });

  });
}

for (const backend of TEST_BACKENDS) {
  describe(`unetr through SegmentationModel and the decoder kit, ${backend}`, () => {
    beforeAll(async () => {
      await useTestBackend(backend);
      registerKernelFixes(backend);
    });
    it("passes the decoder conformance kit (window 9, patch depth 3, img 32, dim 32, depth 4)", async () => {
      await checkDecoder(unetrDecoder, KIT_OPTIONS);
    });
    it("model.forward equals the head on the encoder's depth tokens", () => {
      const m = create();
      const x = window9(8);
      try {
        const [ya, yb] = [m.forward(x), logits3d(m, x)];
        expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
        tf.dispose([ya, yb]);
      } finally {
        tf.dispose(x);
        m.dispose();
      }
    });
  });
}
