import * as tf from "@tensorflow/tfjs";
import { readSafetensors, type TensorEntry } from "@transseg/weights";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createSegmentationModel } from "../load.js";
import { TEST_BACKENDS, useTestBackend } from "../testing/backends.js";
import { relativeMaxError } from "@transseg/model/testing";
import { relativePositionIndex } from "@transseg/model";

const here = dirname(fileURLToPath(import.meta.url));

function beitModel() {
  const ckpt = readSafetensors(join(here, "..", "__fixtures__", "depth_grid_beit.safetensors"));
  const encoder = new Map<string, TensorEntry>();
  for (const [k, v] of ckpt.tensors) if (k.startsWith("weights.")) encoder.set(k.slice(8), v);
  return createSegmentationModel(
    { encoder: { kind: "beit", dim: 32, depth: 2, heads: 2, img: [32, 32], window: 9, patch_depth: 3 }, decoder: { kind: "setr-pup" }, classes: 2 },
    { encoder, seed: 1 },
  );
}

describe("relative position index", () => {
  it("matches hand values for a 2x1x2 grid (cls first, extra rows last)", () => {
    // table rows: (2·2-1)(2·1-1)(2·2-1) = 9 (+3); token order (d, h, w): t0=(0,0,0) t1=(0,0,1) t2=(1,0,0) t3=(1,0,1)
    const idx = relativePositionIndex([2, 1, 2]);
    const row = (i: number) => [...idx.slice(i * 5, i * 5 + 5)];
    expect(row(0)).toEqual([11, 9, 9, 9, 9]);
    // t0 -> t0..t3: offsets (0,0,0)=4, (0,0,-1)=3, (-1,0,0)=1, (-1,0,-1)=0
    expect(row(1)).toEqual([10, 4, 3, 1, 0]);
    // t3 -> t0..t3: (1,0,1)=8, (1,0,0)=7, (0,0,1)=5, (0,0,0)=4
    expect(row(4)).toEqual([10, 8, 7, 5, 4]);
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`encoder on ${backend}`, () => {
    beforeAll(() => useTestBackend(backend));

    it("the cached relative bias follows new table values", () => {
      const m = beitModel();
      const x = tf.randomUniform([1, 1, 9, 32, 32], 0, 1, "float32", 3) as tf.Tensor5D;
      const [a] = m.encode(x, [1]);
      const table = m.params.get("encoder.blocks.0.attn.relative_position_bias_table");
      table.assign(tf.zerosLike(table));
      const [b] = m.encode(x, [1]);
      expect(relativeMaxError(b!.dataSync(), a!.dataSync())).toBeGreaterThan(1e-3);
      // a model built with the zero table from the start gives the same features
      const map = new Map(m.toTensorMap());
      const fresh = createSegmentationModel(m.config, { encoder: new Map([...map].filter(([k]) => k.startsWith("encoder.")).map(([k, v]) => [k.slice(8), v])), seed: 1 });
      const [c] = fresh.encode(x, [1]);
      expect(relativeMaxError(b!.dataSync(), c!.dataSync())).toBeLessThan(1e-6);
      tf.dispose([x, a!, b!, c!]);
      m.dispose();
      fresh.dispose();
    });
  });
}

describe("encoder gradients (cpu)", () => {
  beforeAll(() => useTestBackend("cpu"));
  it("reach every trainable encoder tensor, the relative position tables included", () => {
    const m = beitModel();
    const x = tf.randomUniform([1, 1, 9, 32, 32], 0, 1, "float32", 4) as tf.Tensor5D;
    tf.dispose(m.encode(x)); // fills the inference cache, which gradient recording must bypass
    const names = [...m.params.entries()].filter(([n, p]) => n.startsWith("encoder.") && p.spec.trainable).map(([n]) => n);
    const vars = names.map((n) => m.params.get(n));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.encode(x, [1])[0]!)) as tf.Scalar, vars);
    for (const [i, v] of vars.entries()) {
      const g = grads[v.name];
      expect(g, names[i]).toBeDefined();
      expect(tf.max(tf.abs(g!)).dataSync()[0], names[i]).toBeGreaterThan(0);
    }
    tf.dispose([value, x, ...Object.values(grads)]);
    m.dispose();
  });
});
