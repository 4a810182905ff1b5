import { readSafetensors } from "@transseg/weights";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, HAVE_SHARED_FIXTURES } from "@transseg/model/testing";
import type { SegConfigInput } from "@transseg/model";
import { writeOnnx } from "./export.js";
import { syntheticCheckpoint } from "./synthetic.js";

// The official checker (python3-onnx; Debian's 1.12 accepts IR <= 8) with full_check=True, which
// also runs strict shape inference over the whole graph.
// The first of $PYTHON, python3 and Debian's /usr/bin/python3 (where apt's python3-onnx installs) that imports onnx.
const probeOnnx = (py: string) => spawnSync(py, ["-c", "import onnx; print(onnx.__version__)"], { encoding: "utf8" });
const PYTHON = (process.env.PYTHON ? [process.env.PYTHON] : ["python3", "/usr/bin/python3"]).find((py) => probeOnnx(py).status === 0) ?? process.env.PYTHON ?? "python3";
const probe = probeOnnx(PYTHON);
const HAVE_ONNX = probe.status === 0;
if (!HAVE_ONNX) console.warn(`skipping onnx.checker tests: \`${PYTHON} -c "import onnx"\` failed (install python3-onnx)`);

const CHECK = "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(p, full_check=True)\nprint('ok')";

describe.skipIf(!HAVE_ONNX)(`onnx.checker.check_model(full_check=True) (onnx ${probe.stdout?.trim()})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "transseg-onnx-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const local = (name: string) => new URL(`../test-data/onnx/${name}.safetensors`, import.meta.url).pathname;
  const sources: [string, string][] = [
    ["gd3_beit", local("gd3_beit")],
    ["force2d_vit", local("force2d_vit")],
    ...(HAVE_SHARED_FIXTURES ? (["seg_beit", "seg_vit"].map((n) => [n, fixture(`${n}.safetensors`)]) as [string, string][]) : []),
  ];

  it("accepts the setr-pup, convtrans and unetr exports (odd, non-square grids) at opsets 17 and 13", () => {
    const enc = { dim: 16, depth: 2, heads: 2, window: 3, in_channels: 1 };
    const configs: [string, SegConfigInput][] = [
      ["setr-pup", { encoder: { ...enc, kind: "beit", patch: 16, img: [48, 80] }, decoder: { kind: "setr-pup" }, classes: 3 }],
      ["convtrans", { encoder: { ...enc, kind: "vit", patch: 8, img: [24, 40] }, decoder: { kind: "convtrans" }, classes: 3 }],
      ["unetr", { encoder: { ...enc, kind: "beit", patch: 16, img: [32, 48], window: 9, patch_depth: 3 }, decoder: { kind: "unetr", feature_size: 4 }, classes: 3 }],
      ["upernet-odd", { encoder: { ...enc, kind: "vit", patch: 16, img: [112, 48] }, decoder: { kind: "upernet", channels: 8, layer_idxs: [0, 1, 0, 1] }, classes: 3 }],
    ];
    const files: string[] = [];
    for (const [name, config] of configs) {
      for (const opset of [17, 13]) {
        const out = join(dir, `${name}_${opset}.onnx`);
        writeOnnx(out, syntheticCheckpoint(config, 3), { opset });
        files.push(out);
      }
    }
    const r = spawnSync(PYTHON, ["-c", CHECK, ...files], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ok");
  });

  it(`accepts every export at opsets 17 and 13, BEiT also with relativeBias gather (${sources.map((s) => s[0]).join(", ")})`, () => {
    const files: string[] = [];
    for (const [name, path] of sources) {
      for (const opset of [17, 13]) {
        const out = join(dir, `${name}_${opset}.onnx`);
        writeOnnx(out, readSafetensors(path), { opset });
        files.push(out);
      }
      if (name.includes("beit")) {
        const out = join(dir, `${name}_gather.onnx`);
        writeOnnx(out, readSafetensors(path), { relativeBias: "gather" });
        files.push(out);
      }
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const r = spawnSync(PYTHON, ["-c", CHECK, ...files], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ok");
  });
});
