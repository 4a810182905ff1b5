import { f32Entry, readSafetensors, toFloat32, type Checkpoint, type TensorEntry } from "@transseg/weights";
import { describe, expect, it } from "vitest";
import { fixture, HAVE_SHARED_FIXTURES, relativeMaxError } from "@transseg/model/testing";
import { exportOnnx } from "./export.js";
import type { RelativeBiasMode } from "./encoder-graph.js";
import { proto, type onnx } from "./proto.js";
import { createOnnxSession } from "./session.js";

// Parity with the PyTorch reference (shared fixtures seg_{beit,vit}: input [2,1,5,64,64],
// logits [2,3,64,64]). Tolerance: 1e-4 of the largest logit magnitude.
const TOL = 1e-4;

/** Rows `picks` of a batch-major tensor. */
function pickBatch(data: Float32Array, batch: number, picks: readonly number[]): Float32Array {
  const per = data.length / batch;
  const out = new Float32Array(per * picks.length);
  picks.forEach((b, i) => out.set(data.subarray(b * per, (b + 1) * per), i * per));
  return out;
}

describe.skipIf(!HAVE_SHARED_FIXTURES)("exported fixture models match the PyTorch reference in onnxruntime-node", () => {
  for (const kind of ["beit", "vit"] as const) {
    const ckpt = () => readSafetensors(fixture(`seg_${kind}.safetensors`));
    const io = () => readSafetensors(fixture(`seg_${kind}_io.safetensors`)).tensors;
    const variants: readonly { opset: number; relativeBias: RelativeBiasMode }[] = [
      { opset: 17, relativeBias: "precomputed" },
      { opset: 13, relativeBias: "precomputed" },
      ...(kind === "beit" ? [{ opset: 17, relativeBias: "gather" as const }] : []),
    ];
    for (const { opset, relativeBias } of variants) {
      it(`${kind}, opset ${opset}, relative bias ${relativeBias}: batch 2, 1 and 3 (dynamic batch axis)`, async () => {
        const session = await createOnnxSession(exportOnnx(ckpt(), { opset, relativeBias }), { threads: 2 });
        const x = io().get("input")!;
        const want = toFloat32(io().get("logits")!);
        const xs = toFloat32(x);
        const [b, ...rest] = x.shape as number[];
        for (const picks of [[0, 1], [1], [0, 1, 0]]) {
          const out = await session.run(pickBatch(xs, b!, picks), [picks.length, ...rest]);
          expect(out.shape).toEqual([picks.length, 3, 64, 64]);
          expect(relativeMaxError(out.logits, pickBatch(want, b!, picks))).toBeLessThan(TOL);
        }
        await session.release();
      });
    }
  }
});

describe("the ONNX model", () => {
  const ckpt = () => readSafetensors(new URL("../test-data/onnx/force2d_vit.safetensors", import.meta.url).pathname);
  /** The decoded model, typed with the graph and the repeated fields the exporter always writes. */
  type Graph = { input: onnx.IValueInfoProto[]; output: onnx.IValueInfoProto[]; node: onnx.INodeProto[]; initializer: (onnx.ITensorProto & { name: string })[] };
  const decode = (bytes: Uint8Array) => proto.ModelProto.decode(bytes) as Omit<onnx.ModelProto, "graph"> & { graph: Graph };

  it("is IR 8 / opset 17 with a dynamic batch axis on input and logits", () => {
    const m = decode(exportOnnx(ckpt()));
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 17]]);
    const dims = (v: onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d: onnx.TensorShapeProto.IDimension) => d.dimParam || Number(d.dimValue));
    expect(m.graph!.input.map((v) => v.name)).toEqual(["input"]);
    expect(dims(m.graph!.input[0]!)).toEqual(["batch", 1, 5, 64, 96]);
    expect(m.graph!.output.map((v) => v.name)).toEqual(["logits"]);
    expect(dims(m.graph!.output[0]!)).toEqual(["batch", 3, 64, 96]);
    const ops = new Set(m.graph!.node.map((n) => n.opType));
    expect(ops.has("LayerNormalization") && ops.has("Erf") && ops.has("Softmax") && ops.has("Resize")).toBe(true);
    expect(ops.has("BatchNormalization")).toBe(false); // folded into the convolutions
    expect(m.metadataProps.find((p) => p.key === "transseg")?.value).toContain('"force_2d":true');
  });

  it("relativeBias gather stores tables and one shared index instead of [heads, N, N] biases", () => {
    const beit = readSafetensors(new URL("../test-data/onnx/gd3_beit.safetensors", import.meta.url).pathname);
    const pre = decode(exportOnnx(beit));
    const gat = decode(exportOnnx(beit, { relativeBias: "gather" }));
    const n = 1 + 3 * 4 * 4;
    expect(pre.graph!.initializer.filter((t) => t.name.endsWith("rel_pos_bias")).map((t) => t.dims!.map(Number))).toEqual([[2, n, n], [2, n, n]]);
    expect(gat.graph!.initializer.filter((t) => t.name.endsWith("rel_pos_bias")).length).toBe(0);
    expect(gat.graph!.initializer.filter((t) => t.name === "relative_position_index").map((t) => t.dims!.map(Number))).toEqual([[n * n]]);
    expect(gat.graph!.node.filter((nd) => nd.opType === "Gather").length).toBe(2);
  });

  it("writes no LayerNormalization below opset 17", () => {
    const m = decode(exportOnnx(ckpt(), { opset: 13 }));
    expect(m.graph!.node.some((n) => n.opType === "LayerNormalization")).toBe(false);
  });

  it("force_2d reads only the centre slice", async () => {
    const session = await createOnnxSession(exportOnnx(ckpt()), { threads: 1 });
    const shape = [1, 1, 5, 64, 96];
    const x = Float32Array.from({ length: 5 * 64 * 96 }, (_, i) => Math.sin(i * 0.37));
    const y = x.map((v, i) => (Math.floor(i / (64 * 96)) === 2 ? v : v + 3));
    const a = await session.run(x, shape);
    const b = await session.run(y, shape);
    expect(Array.from(b.logits)).toEqual(Array.from(a.logits));
    await session.release();
  });

  it("takes a bare TensorMap with options.config", () => {
    const c = ckpt();
    const config = JSON.parse(c.metadata.transseg!) as Parameters<typeof exportOnnx>[1] extends infer O ? (O extends { config?: infer C } ? C : never) : never;
    expect(exportOnnx(c.tensors, { config })).toEqual(exportOnnx(c));
    expect(() => exportOnnx(c.tensors)).toThrow("checkpoint: a bare TensorMap needs options.config");
  });

  it("rejects bad input with one-line errors naming the file", () => {
    const c = ckpt();
    const without = (name: string): Checkpoint => ({ ...c, tensors: new Map([...c.tensors].filter(([k]) => k !== name)) });
    const replaced = (name: string, e: TensorEntry): Checkpoint => ({ ...c, tensors: new Map([...c.tensors, [name, e]]) });
    const meta = (m: Record<string, string>): Checkpoint => ({ ...c, metadata: m });
    const cfg = JSON.parse(c.metadata.transseg!) as { decoder: { kind: string } };
    expect(() => exportOnnx(without("decoder.conv_seg.bias"), { name: "m.safetensors" })).toThrow('m.safetensors: missing tensor "decoder.conv_seg.bias"');
    expect(() => exportOnnx(replaced("encoder.cls_token", f32Entry([1, 1, 8], new Float32Array(8))), { name: "m.safetensors" })).toThrow(
      'm.safetensors: tensor "encoder.cls_token" has shape [1, 1, 8] but the model needs [1, 1, 16]',
    );
    expect(() => exportOnnx(replaced("encoder.head.weight", f32Entry([1], new Float32Array(1))))).toThrow("checkpoint: unexpected tensor for this vit/upernet config: encoder.head.weight");
    expect(() => exportOnnx(meta({}))).toThrow('checkpoint: no "transseg" metadata');
    expect(() => exportOnnx(meta({ transseg: JSON.stringify({ ...cfg, decoder: { kind: "upernt" } }) }))).toThrow(
      /^checkpoint: unknown ONNX decoder "upernt".*did you mean "upernet"\?.*known: upernet/,
    );
    expect(() => exportOnnx(c, { opset: 18 })).toThrow("opset must be an integer from 13 to 17 (got 18)");
    expect(() => exportOnnx(c, { relativeBias: "gathered" as "gather" })).toThrow('relativeBias must be "precomputed" or "gather" (got "gathered")');
  });
});
