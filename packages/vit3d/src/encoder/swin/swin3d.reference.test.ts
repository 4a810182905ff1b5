import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeSwinConfig, swinTableRows, type SwinEncoderConfig } from "@transseg/model";
import { relativeMaxError } from "@transseg/model/testing";
import { f32Entry, readSafetensors, toFloat32, writeSafetensors, type TensorEntry, type TensorMap } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { swinForward, swinStageMaps } from "./forward.js";
import { randomSwinTensors, referenceSkipReason, runSwinReference, swinStore } from "./testing.js";

// `swin3d` (Video Swin, TransSeg's swint3d) against the PyTorch Video Swin written for the tests
// (`__fixtures__/swin_reference.py` RefSwin: rank-8 window partition, torch.roll, masks by slices,
// `get_window_size`, `relative_position_index[:N, :N]`), within 1e-4 of the largest magnitude:
// - 5 slices → 3 depth tokens (input depth padded 5 → 6): the depth window shrinks to 3 and is not
//   shifted; the last two stages' maps (4×4, 2×2) are smaller than 7, so the in-plane window
//   shrinks too (Video Swin's table indexing for shrunk windows);
// - 19 slices → 10 depth tokens: window depth 8, depth padded 10 → 16 and shifted by 4, masks in 3D.
// Then the inflation identity: a swin3d average-inflated from a 2D Swin (Video Swin's
// `inflate_weights`: kernel repeated over the temporal patch / 2, bias tables tiled over 2·8 − 1),
// on an input constant along depth, equals the 2D Swin's pre-norm features at every depth position.
const TOL = 1e-4;
const SKIP = referenceSkipReason("torch");
if (SKIP) console.warn(`Video Swin parity with the PyTorch reference skipped: ${SKIP}`);

let dir = "";

function input(shape: number[], seed: number): TensorEntry {
  const n = shape.reduce((a, b) => a * b, 1);
  return f32Entry(shape, Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) + Math.cos(i * 0.011 * seed)));
}

const CASES: { name: string; config: SwinEncoderConfig; batch: number }[] = [
  { name: "5 slices at 60×52 (depth and in-plane windows shrunk)", config: normalizeSwinConfig({ kind: "swin3d", embed_dim: 8, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window: 5, img: [60, 52] }), batch: 2 },
  { name: "19 slices at 72×64 (depth window 8, padded and shifted)", config: normalizeSwinConfig({ kind: "swin3d", embed_dim: 8, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window: 19, in_channels: 2, img: [72, 64] }), batch: 1 },
];

describe.skipIf(SKIP !== "")("swin3d equals the PyTorch Video Swin reference", () => {
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "swin3d-"))));
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const backend of TEST_BACKENDS) {
    for (const [k, c] of CASES.entries()) {
      it(`${backend}: ${c.name}`, async () => {
        await initBackend(backend, { threads: 1 });
        const e = c.config;
        const shape = [c.batch, e.in_channels, e.window, e.img[0], e.img[1]];
        const tensors = randomSwinTensors(e, 20 + k);
        const x = input(shape, k + 1);
        const inFile = join(dir, `case-${k}-${backend}.safetensors`);
        const outFile = join(dir, `case-${k}-${backend}.out.safetensors`);
        writeSafetensors(inFile, new Map([...[...tensors].map(([n, v]) => [`encoder.${n}`, v] as const), ["io.input", x]]), { metadata: { config: JSON.stringify(e) } });
        runSwinReference(["ref", inFile, outFile]);
        const want = readSafetensors(outFile).tensors;
        const store = swinStore(e, tensors);
        const xt = tf.tensor5d(toFloat32(x), shape as [number, number, number, number, number]);
        const outs = tf.tidy(() => swinForward(xt, store.getter("encoder."), e));
        outs.forEach((o, s) => {
          const w = want.get(`out.${s}`)!;
          expect(o.shape, `stage ${s}`).toEqual(w.shape);
          expect(relativeMaxError(o.dataSync(), toFloat32(w)), `stage ${s}`).toBeLessThan(TOL);
        });
        tf.dispose([xt, ...outs]);
        store.dispose();
      }, 120_000);
    }
  }
});

/** Video Swin's `inflate_weights` on canonical 2D Swin tensors: kernel repeated over `pd` and divided by it, bias tables tiled `2·wd − 1` times. */
function inflateVideoSwin(map: TensorMap, pd: number, wd: number): TensorMap {
  const out = new Map<string, TensorEntry>();
  for (const [name, entry] of map) {
    const v = toFloat32(entry);
    if (name === "patch_embed.proj.weight") {
      const [c, cin, , p] = entry.shape as [number, number, number, number, number];
      const dst = new Float32Array(c * cin * pd * p * p);
      for (let o = 0; o < c * cin; o++) for (let t = 0; t < pd; t++) for (let i = 0; i < p * p; i++) dst[(o * pd + t) * p * p + i] = v[o * p * p + i]! / pd;
      out.set(name, f32Entry([c, cin, pd, p, p], dst));
    } else if (name.endsWith("relative_position_bias_table")) {
      const reps = 2 * wd - 1;
      const dst = new Float32Array(v.length * reps);
      for (let r = 0; r < reps; r++) dst.set(v, r * v.length);
      out.set(name, f32Entry([entry.shape[0]! * reps, entry.shape[1]!], dst));
    } else if (!/^norm\d\./.test(name)) out.set(name, entry);
  }
  return out;
}

describe("swin3d average-inflated from a 2D Swin, on an input constant along depth, equals the 2D Swin at every depth position", () => {
  for (const backend of TEST_BACKENDS) {
    it(`${backend}: 8 slices (4 depth tokens), 256×288 (stage maps 64×72 … 8×9, all larger than 7)`, async () => {
      await initBackend(backend, { threads: 1 });
      const base = { embed_dim: 8, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], img: [256, 288] as [number, number] };
      const e2 = normalizeSwinConfig({ kind: "swin", ...base, window: 1 });
      const e3 = normalizeSwinConfig({ kind: "swin3d", ...base, window: 7 });
      const t2 = randomSwinTensors(e2, 5);
      const t3 = inflateVideoSwin(t2, 2, 8);
      expect(t3.get("layers.0.blocks.0.attn.relative_position_bias_table")!.shape).toEqual([swinTableRows([8, 7, 7]), 1]);
      const s2 = swinStore(e2, t2);
      const s3 = swinStore(e3, t3);
      const slice = tf.randomNormal([1, 1, 1, 256, 288], 0, 1, "float32", 3);
      const x3 = tf.tile(slice, [1, 1, 8, 1, 1]) as tf.Tensor5D;
      tf.tidy(() => {
        const want = swinForward(slice as tf.Tensor5D, s2.getter("encoder."), e2, { stageNorms: false });
        const got = swinStageMaps(x3, s3.getter("encoder."), e3);
        got.forEach((g, s) => {
          const [, d, h, w, c] = g.shape as number[];
          expect(d).toBe(4);
          const ref = want[s]!.dataSync();
          for (let z = 0; z < d!; z++) {
            const at = tf.slice(g, [0, z, 0, 0, 0], [1, 1, h!, w!, c!]).dataSync();
            expect(relativeMaxError(at, ref), `stage ${s}, depth ${z}`).toBeLessThan(TOL);
          }
        });
      });
      tf.dispose([slice, x3]);
      s2.dispose();
      s3.dispose();
    }, 180_000);
  }
});

if (SKIP) it.skip(`Video Swin parity with the PyTorch reference: ${SKIP}`, () => {});
