import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeSwinConfig, type SwinEncoderConfig } from "@transseg/model";
import { relativeMaxError } from "@transseg/model/testing";
import { canonicalize, f32Entry, readSafetensors, toFloat32, torchvisionSwinAdapter, writeSafetensors, type TensorMap } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../backend/init-backend.js";
import { TEST_BACKENDS } from "../../testing/backends.js";
import { swinForward } from "./forward.js";
import { randomSwinTensors, referenceSkipReason, runSwinReference, swinStore } from "./testing.js";

// The `swin` encoder (TransSeg's swint) against independent implementations, before the stage
// norms, within 1e-4 of the largest magnitude, on cpu and wasm:
// - torchvision 0.14's SwinTransformer with random weights, converted by the weights package's
//   torchvision adapter and centre-inflated to a window of 3 slices (the other slices noise), on
//   264×296, where every stage pads (66×74 → 70×77, 33×37 → 35×42, 17×19 → 21×21, 9×10 → 14×14,
//   and the merges pad 33×37 and 17×19) and every map is larger than the 7×7 window;
// - at 60×52, where the last two stages (4×4, 2×2) are smaller than the window and TransSeg keeps
//   the shift (torchvision drops it), the PyTorch reference written for the tests
//   (`__fixtures__/swin_reference.py` RefSwin, itself checked equal to torchvision above).
const TOL = 1e-4;
const SKIP = referenceSkipReason("torch, torchvision");
if (SKIP) console.warn(`Swin parity with torchvision skipped: ${SKIP}`);

let dir = "";
let tv: { tensors: TensorMap; config: SwinEncoderConfig } | null = null;

function stripPrefix(map: TensorMap, prefix: string): TensorMap {
  return new Map([...map].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/** Centre inflation of a 2D patch kernel `[C, in, p, p]` to `[C, in, window, p, p]`. */
function centreInflate(map: TensorMap, window: number): TensorMap {
  const k = map.get("patch_embed.proj.weight")!;
  const [c, cin, p] = k.shape as [number, number, number];
  const src = toFloat32(k);
  const dst = new Float32Array(c * cin * window * p * p);
  for (let o = 0; o < c * cin; o++) dst.set(src.subarray(o * p * p, (o + 1) * p * p), (o * window + Math.floor(window / 2)) * p * p);
  return new Map([...map, ["patch_embed.proj.weight", f32Entry([c, cin, window, p, p], dst)]]);
}

describe.skipIf(SKIP !== "")("swin equals torchvision's Swin (random weights, torchvision adapter, centre inflation)", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "swin-tv-"));
    const file = join(dir, "tv.safetensors");
    runSwinReference(["torchvision", file, "mini", "264", "296", "3", "7"]);
    const ckpt = readSafetensors(file);
    const cfg = JSON.parse(ckpt.metadata.config!) as Record<string, unknown>;
    tv = { tensors: ckpt.tensors, config: normalizeSwinConfig({ ...cfg, kind: "swin", window: 3 } as never) };
  }, 120_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("the torchvision adapter gives the names and values the reference script wrote", () => {
    const canonical = canonicalize(stripPrefix(tv!.tensors, "tv."), { adapters: { torchvision: torchvisionSwinAdapter } }).tensors;
    const written = stripPrefix(tv!.tensors, "encoder.");
    const inflated = centreInflate(canonical, 3);
    for (const [name, entry] of written) {
      const got = inflated.get(name);
      expect(got, name).toBeDefined();
      expect(got!.shape, name).toEqual(entry.shape);
      expect(Array.from(toFloat32(got!)), name).toEqual(Array.from(toFloat32(entry)));
    }
  });

  it("the test's PyTorch reference equals torchvision (so the keep-the-shift case below is checked against a checked reference)", () => {
    for (let s = 0; s < 4; s++) expect(relativeMaxError(toFloat32(tv!.tensors.get(`ref.${s}`)!), toFloat32(tv!.tensors.get(`out.${s}`)!))).toBeLessThan(1e-5);
  });

  for (const backend of TEST_BACKENDS) {
    it(`${backend}: stages 0–3 equal torchvision's at 264×296 (every stage padded)`, async () => {
      await initBackend(backend, { threads: 1 });
      const canonical = centreInflate(canonicalize(stripPrefix(tv!.tensors, "tv."), { adapters: { torchvision: torchvisionSwinAdapter } }).tensors, 3);
      const store = swinStore(tv!.config, canonical);
      const x = tf.tensor(toFloat32(tv!.tensors.get("io.input")!), [1, 3, 3, 264, 296]) as tf.Tensor5D;
      const outs = tf.tidy(() => swinForward(x, store.getter("encoder."), tv!.config, { stageNorms: false }));
      const shapes = [[1, 66, 74, 24], [1, 33, 37, 48], [1, 17, 19, 96], [1, 9, 10, 192]];
      outs.forEach((o, s) => {
        expect(o.shape).toEqual(shapes[s]);
        const err = relativeMaxError(o.dataSync(), toFloat32(tv!.tensors.get(`out.${s}`)!));
        console.log(`swin vs torchvision on ${backend}, stage ${s}: ${err.toExponential(2)}`);
        expect(err, `stage ${s}`).toBeLessThan(TOL);
      });
      tf.dispose([x, ...outs]);
      store.dispose();
    }, 120_000);
  }

  it("wasm: torchvision's swin_t itself (Swin-T: embed 96, depths [2, 2, 6, 2]) at 264×296, stages 0–3", async () => {
    await initBackend("wasm", { threads: 1 });
    const file = join(dir, "swin_t.safetensors");
    runSwinReference(["torchvision", file, "swin_t", "264", "296", "3", "8"]);
    const ckpt = readSafetensors(file);
    const config = normalizeSwinConfig({ ...(JSON.parse(ckpt.metadata.config!) as Record<string, unknown>), kind: "swin", window: 3 } as never);
    expect([config.embed_dim, config.depths, config.heads]).toEqual([96, [2, 2, 6, 2], [3, 6, 12, 24]]);
    const canonical = centreInflate(canonicalize(stripPrefix(ckpt.tensors, "tv."), { adapters: { torchvision: torchvisionSwinAdapter } }).tensors, 3);
    const store = swinStore(config, canonical);
    const x = tf.tensor(toFloat32(ckpt.tensors.get("io.input")!), [1, 3, 3, 264, 296]) as tf.Tensor5D;
    const outs = tf.tidy(() => swinForward(x, store.getter("encoder."), config, { stageNorms: false }));
    outs.forEach((o, s) => {
      const err = relativeMaxError(o.dataSync(), toFloat32(ckpt.tensors.get(`out.${s}`)!));
      console.log(`swin vs torchvision swin_t on wasm, stage ${s}: ${err.toExponential(2)}`);
      expect(err, `stage ${s}`).toBeLessThan(TOL);
    });
    tf.dispose([x, ...outs]);
    store.dispose();
  }, 300_000);

  for (const backend of TEST_BACKENDS) {
    it(`${backend}: maps no larger than the window keep the shift (TransSeg), against the PyTorch reference at 60×52`, async () => {
      await initBackend(backend, { threads: 1 });
      const config = normalizeSwinConfig({ kind: "swin", embed_dim: 16, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window: 3, in_channels: 2, img: [60, 52] });
      const tensors = randomSwinTensors(config, 11);
      const input = f32Entry([2, 2, 3, 60, 52], Float32Array.from({ length: 2 * 2 * 3 * 60 * 52 }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011)));
      const inFile = join(dir, `keep-shift-${backend}.safetensors`);
      const outFile = join(dir, `keep-shift-${backend}.out.safetensors`);
      const map: TensorMap = new Map([...[...tensors].map(([k, v]) => [`encoder.${k}`, v] as const), ["io.input", input]]);
      writeSafetensors(inFile, map, { metadata: { config: JSON.stringify(config) } });
      runSwinReference(["ref", inFile, outFile]);
      const want = readSafetensors(outFile).tensors;
      const store = swinStore(config, tensors);
      const x = tf.tensor(toFloat32(input), [2, 2, 3, 60, 52]) as tf.Tensor5D;
      const outs = tf.tidy(() => swinForward(x, store.getter("encoder."), config, { stageNorms: false }));
      expect(outs.map((o) => o.shape)).toEqual([[2, 15, 13, 16], [2, 8, 7, 32], [2, 4, 4, 64], [2, 2, 2, 128]]);
      outs.forEach((o, s) => expect(relativeMaxError(o.dataSync(), toFloat32(want.get(`out.${s}`)!)), `stage ${s}`).toBeLessThan(TOL));
      tf.dispose([x, ...outs]);
      store.dispose();
    }, 120_000);
  }
});

if (SKIP) it.skip(`Swin parity with torchvision: ${SKIP}`, () => {});
