/**
 * Parity with the shared fixtures written by the PyTorch reference: the .pth and .safetensors
 * encoders hold identical tensors, and the BF16 file is the F32 one rounded to bfloat16
 * (round to nearest even, as torch and the reference's writer do: relative error <= 2^-8).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalize } from "./adapters/canonicalize.js";
import { readCheckpoint } from "./read.js";
import { countParameters, summarize } from "./summary.js";
import { toFloat32 } from "./tensor.js";
import { expectSameTensors } from "./testing/index.js";
import { sharedDir } from "./testing/shared-dir.js";

const FIXTURES = sharedDir("fixtures");
const have = existsSync(join(FIXTURES, "beit2d.pth"));
const f = (n: string) => join(FIXTURES, n);

/** bfloat16 bits of a float32, rounded to nearest even. */
function toBf16Bits(x: number): number {
  const u = new Uint32Array(Float32Array.of(x).buffer)[0]!;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

describe.skipIf(!have)(`parity with the shared fixtures${have ? "" : ` (skipped: ${FIXTURES} not found)`}`, () => {
  for (const [name, layout, params] of [["beit2d", "beit", 261184], ["vit2d", "timm-vit", 261952]] as const) {
    it(`${name}.pth and ${name}.safetensors hold identical tensors (names, dtypes, shapes, values)`, async () => {
      const pth = await readCheckpoint(f(`${name}.pth`));
      const st = await readCheckpoint(f(`${name}.safetensors`));
      expect(pth.format).toBe("pytorch-zip");
      expect(st.format).toBe("safetensors");
      expectSameTensors(pth.tensors, st.tensors);
    });

    it(`${name}.* detect as "${layout}" and count ${params} parameters`, async () => {
      for (const ext of [".pth", ".safetensors", ...(name === "beit2d" ? [".bf16.safetensors"] : [])]) {
        const ck = await readCheckpoint(f(name + ext));
        expect(canonicalize(ck.tensors).layout, ext).toBe(layout);
        expect(countParameters(ck.tensors)).toBe(params);
        expect(summarize(ck).layout).toBe(layout);
      }
    });
  }

  it("beit2d.bf16.safetensors is beit2d.safetensors rounded to bfloat16 (<= 2^-8 relative)", async () => {
    const bf = await readCheckpoint(f("beit2d.bf16.safetensors"));
    const st = await readCheckpoint(f("beit2d.safetensors"));
    expect([...bf.tensors.keys()].sort()).toEqual([...st.tensors.keys()].sort());
    let changed = 0;
    for (const [name, t] of st.tensors) {
      const b = bf.tensors.get(name)!;
      expect(b.dtype).toBe("BF16");
      expect(b.shape).toEqual(t.shape);
      const x = toFloat32(t);
      const bits = b.read() as Uint16Array;
      const y = toFloat32(b);
      for (let i = 0; i < x.length; i++) {
        if (bits[i] !== toBf16Bits(x[i]!)) expect({ name, i, bits: bits[i] }).toEqual({ name, i, bits: toBf16Bits(x[i]!) });
        if (!(Math.abs(y[i]! - x[i]!) <= Math.abs(x[i]!) * 2 ** -8)) expect({ name, i, y: y[i] }).toEqual({ name, i, y: x[i] });
        if (y[i] !== x[i]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0); // the rounding really happened
  });

  it("summarize gives the inspect --json shape", async () => {
    const s = summarize(await readCheckpoint(f("beit2d.pth")));
    expect(s.format).toBe("pytorch-zip");
    expect(s.layout).toBe("beit");
    expect(s.parameters).toBe(261184);
    expect(s.tensors[0]).toEqual({ name: "cls_token", dtype: "F32", shape: [1, 1, 64] });
    expect(Object.keys(JSON.parse(JSON.stringify(s)))).toEqual(["format", "layout", "parameters", "tensors"]);
  });
});
