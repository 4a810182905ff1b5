// Parity with the PyTorch reference (ref/transseg_ref.py inflate_state_dict, fixtures by gen_fixtures.py).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors, toFloat32, writeSafetensors, type TensorMap } from "@transseg/weights";
import { afterAll, describe, expect, it } from "vitest";
import { inflateCheckpoint } from "./inflate-checkpoint.js";
import { INFLATION_METADATA_KEY, inflationMetadata, type InflateOptions } from "./options.js";
import { sharedDir } from "@transseg/weights/testing";

const fixtures = sharedDir("fixtures");
const present = existsSync(join(fixtures, "beit2d_to3d_center.safetensors"));
if (!present) console.warn(`inflate parity: skipped, fixtures not found at ${fixtures}`);

/** F32 parity: every tensor within 1e-5 of its max magnitude. BF16 input: 2^-7 (bf16 keeps 8 significant bits). */
const F32_TOL = 1e-5;
const BF16_TOL = 2 ** -7;

/** Largest |got - want| / max|want| over one tensor. */
function relError(got: Float32Array, want: Float32Array): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
  }
  return scale === 0 ? err : err / scale;
}

function expectParity(got: TensorMap, expectedFile: string, tol: number): number {
  const want = readSafetensors(join(fixtures, expectedFile));
  // The reference writes no __metadata__ (inflate_state_dict's output saved as is): tensors are the whole contract.
  expect(want.metadata).toEqual({});
  expect([...got.keys()].sort()).toEqual([...want.tensors.keys()].sort());
  let worst = 0;
  for (const [name, w] of want.tensors) {
    const g = got.get(name)!;
    expect(g.shape, name).toEqual(w.shape);
    expect(g.dtype, name).toBe("F32");
    const e = relError(toFloat32(g), toFloat32(w));
    expect(e, `${name}: max error ${e} of max |x|`).toBeLessThanOrEqual(tol);
    worst = Math.max(worst, e);
  }
  return worst;
}

const small: InflateOptions = { window: 5, img: [64, 64], patch: 16, inChannels: 1 };
const cases = [
  ...(["beit", "vit"] as const).flatMap((kind) =>
    (["center", "average", "repeat"] as const).map((strategy) => ({ input: `${kind}2d.safetensors`, expected: `${kind}2d_to3d_${strategy}.safetensors`, options: { ...small, strategy }, tol: F32_TOL }))),
  ...(["beit", "vit"] as const).map((kind) => ({ input: `${kind}2d.safetensors`, expected: `${kind}2d_to3d_center_320.safetensors`, options: { ...small, img: [320, 320] as [number, number] }, tol: F32_TOL })),
  ...(["center", "average", "repeat"] as const).map((strategy) => ({ input: "beit2d.bf16.safetensors", expected: `beit2d_to3d_${strategy}.safetensors`, options: { ...small, strategy }, tol: BF16_TOL })),
];

describe.skipIf(!present)("inflateCheckpoint parity with the PyTorch reference fixtures", () => {
  for (const c of cases) {
    it(`${c.input} --${c.options.strategy ?? "center"} img ${c.options.img!.join("x")} = ${c.expected} (tolerance ${c.tol} of max |x|)`, () => {
      const src = readSafetensors(join(fixtures, c.input));
      const { tensors } = inflateCheckpoint(src.tensors, { ...c.options, source: c.input });
      const worst = expectParity(tensors, c.expected, c.tol);
      expect(worst).toBeLessThanOrEqual(c.tol);
    });
  }

  let tmp = "";
  afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });
  it("a written file carries the resolved options in __metadata__.transseg_inflation and reads back equal", () => {
    const src = readSafetensors(join(fixtures, "vit2d.safetensors"));
    const { tensors, report } = inflateCheckpoint(src.tensors, { ...small, strategy: "average" });
    tmp = mkdtempSync(join(tmpdir(), "inflate-parity-"));
    const out = join(tmp, "vit3d.safetensors");
    writeSafetensors(out, tensors, { metadata: { [INFLATION_METADATA_KEY]: JSON.stringify(inflationMetadata(report.options)) } });
    const back = readSafetensors(out);
    expect(JSON.parse(back.metadata[INFLATION_METADATA_KEY]!)).toEqual({ strategy: "average", strategy_options: {}, window: 5, img: [64, 64], patch: 16, patch_depth: 5, in_channels: 1 });
    expectParity(back.tensors, "vit2d_to3d_average.safetensors", F32_TOL);
  });
});
