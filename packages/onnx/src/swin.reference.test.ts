import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { normalizeSwinConfig, swinStageDims, swinStageGrids, type SwinEncoderConfig } from "@transseg/model";
import { relativeMaxError } from "@transseg/model/testing";
import { canonicalize, f32Entry, readSafetensors, toFloat32, torchvisionSwinAdapter, type TensorEntry, type TensorMap } from "@transseg/weights";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphBuilder } from "./graph-builder.js";
import { createOnnxSession } from "./session.js";
import { buildSwinEncoder } from "./swin-encoder-graph.js";
import { TensorSource } from "./tensors.js";

// The Swin encoder exported to ONNX and run in ONNX Runtime equals torchvision 0.14's Swin before
// the stage norms (random weights through the weights package's torchvision adapter, centre-
// inflated to 3 slices; 264×296, where every stage pads and every map is larger than the window),
// within 1e-4 of the largest magnitude; and the Video Swin export equals the PyTorch Video Swin
// written for the tests (19 slices: depth window 8, padded and shifted). The references come
// from `@transseg/vit3d`'s `src/encoder/swin/__fixtures__/swin_reference.py`.
const TOL = 1e-4;
const PYTHON = "/usr/bin/python3";
const SCRIPT = resolve(import.meta.dirname, "../../vit3d/src/encoder/swin/__fixtures__/swin_reference.py");
const SKIP = spawnSync(PYTHON, ["-c", "import torch, torchvision"], { stdio: "ignore" }).status === 0 ? "" : `${PYTHON} with torch and torchvision is not available`;
if (SKIP) console.warn(`Swin ONNX parity skipped: ${SKIP}`);

function run(args: string[]): void {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`swin_reference.py ${args[0]} failed: ${r.stderr}`);
}

/** An ONNX graph of the encoder alone: input `[B, C, window, H, W]`, output the four stage maps NHWC, flattened and concatenated. */
async function encoderSession(e: SwinEncoderConfig, tensors: TensorMap, stageNorms: boolean) {
  const g = new GraphBuilder(17);
  const input = g.name("input");
  const outs = buildSwinEncoder({ g, encoder: e, tensors: new TensorSource(tensors, "swin") }, input, { stageNorms });
  const flat = outs.map((o, s) => g.op("Reshape", [g.op("Transpose", [o], { perm: [0, 2, 3, 1] }, `nhwc${s}`), g.ints([0, -1])], {}, `flat${s}`));
  const logits = g.name("logits");
  g.output(g.op("Concat", flat, { axis: 1 }, "all"), logits);
  const bytes = g.encode({ input: { name: input, dims: ["batch", e.in_channels, e.window, e.img[0], e.img[1]] }, output: { name: logits, dims: ["batch", "n"] } });
  return createOnnxSession(bytes, { threads: 1 });
}

/** Splits the concatenated output back into the stages (batch 1). */
function stages(e: SwinEncoderConfig, flat: Float32Array): Float32Array[] {
  const grids = swinStageGrids(e);
  const dims = swinStageDims(e);
  const out: Float32Array[] = [];
  let off = 0;
  grids.forEach(([h, w], s) => {
    const n = h * w * dims[s]!;
    out.push(flat.subarray(off, off + n));
    off += n;
  });
  return out;
}

function centreInflate(map: TensorMap, window: number): TensorMap {
  const k = map.get("patch_embed.proj.weight")!;
  const [c, cin, p] = k.shape as [number, number, number];
  const src = toFloat32(k);
  const dst = new Float32Array(c * cin * window * p * p);
  for (let o = 0; o < c * cin; o++) dst.set(src.subarray(o * p * p, (o + 1) * p * p), (o * window + Math.floor(window / 2)) * p * p);
  return new Map([...map, ["patch_embed.proj.weight", f32Entry([c, cin, window, p, p], dst)]]);
}

const prefixed = (map: TensorMap, prefix: string): TensorMap => new Map([...map].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
const withEncoderPrefix = (map: TensorMap): TensorMap => new Map([...map].map(([k, v]) => [`encoder.${k}`, v]));

let dir = "";
describe.skipIf(SKIP !== "")("Swin encoders in ONNX Runtime equal the PyTorch references", () => {
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "swin-onnx-"))));
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("swin vs torchvision at 264×296 (every stage padded), stages 0–3 before the norms", async () => {
    const file = join(dir, "tv.safetensors");
    run(["torchvision", file, "mini", "264", "296", "3", "7"]);
    const ckpt = readSafetensors(file);
    const e = normalizeSwinConfig({ ...(JSON.parse(ckpt.metadata.config!) as Record<string, unknown>), kind: "swin", window: 3 } as never);
    const canonical = centreInflate(canonicalize(prefixed(ckpt.tensors, "tv."), { adapters: { torchvision: torchvisionSwinAdapter } }).tensors, 3);
    const session = await encoderSession(e, withEncoderPrefix(canonical), false);
    try {
      const x = toFloat32(ckpt.tensors.get("io.input")!);
      const { logits } = await session.run(x, [1, 3, 3, 264, 296]);
      stages(e, logits).forEach((got, s) => {
        const err = relativeMaxError(got, toFloat32(ckpt.tensors.get(`out.${s}`)!));
        console.log(`swin (ONNX Runtime) vs torchvision, stage ${s}: ${err.toExponential(2)}`);
        expect(err, `stage ${s}`).toBeLessThan(TOL);
      });
    } finally {
      await session.release();
    }
  }, 180_000);

  it("swin3d vs the PyTorch Video Swin, 19 slices at 72×64 (depth window 8, padded and shifted)", async () => {
    const e = normalizeSwinConfig({ kind: "swin3d", embed_dim: 8, depths: [2, 2, 2, 2], heads: [1, 2, 2, 4], window: 19, in_channels: 2, img: [72, 64] });
    const tensors = new Map<string, TensorEntry>();
    const { swinEncoderParams, hashSeed, mulberry32, normalSamples } = await import("@transseg/model");
    for (const s of swinEncoderParams(e)) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const z = normalSamples(n, mulberry32(hashSeed(3, s.name)));
      const fan = s.shape.length > 1 ? n / s.shape[0]! : 1;
      tensors.set(`encoder.${s.name}`, f32Entry(s.shape, z.map((v) => (s.name.endsWith("norm.weight") || /norm\d\.weight$/.test(s.name) ? 1 + 0.3 * v : s.shape.length > 1 && !s.name.endsWith("bias_table") ? v / Math.sqrt(fan) : 0.1 * v))));
    }
    const shape = [1, 2, 19, 72, 64];
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + 1) + Math.cos(i * 0.011));
    const inFile = join(dir, "v.safetensors");
    const outFile = join(dir, "v.out.safetensors");
    const { writeSafetensors } = await import("@transseg/weights");
    writeSafetensors(inFile, new Map([...tensors, ["io.input", f32Entry(shape, x)]]), { metadata: { config: JSON.stringify(e) } });
    run(["ref", inFile, outFile]);
    const want = readSafetensors(outFile).tensors;
    const session = await encoderSession(e, tensors, false);
    try {
      const { logits } = await session.run(x, shape);
      stages(e, logits).forEach((got, s) => expect(relativeMaxError(got, toFloat32(want.get(`out.${s}`)!)), `stage ${s}`).toBeLessThan(TOL));
    } finally {
      await session.release();
    }
  }, 180_000);
});

if (SKIP) it.skip(`Swin ONNX parity: ${SKIP}`, () => {});
