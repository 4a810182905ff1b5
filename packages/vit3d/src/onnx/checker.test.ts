import { readSafetensors } from "@transseg/weights";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, HAVE_SHARED_FIXTURES } from "../testing/fixtures.js";
import { writeOnnx } from "./export.js";

// The official checker (python3-onnx; Debian's 1.12 accepts IR <= 8) with full_check=True, which
// also runs strict shape inference over the whole graph.
const PYTHON = process.env.PYTHON ?? "python3";
const probe = spawnSync(PYTHON, ["-c", "import onnx; print(onnx.__version__)"], { encoding: "utf8" });
const HAVE_ONNX = probe.status === 0;
if (!HAVE_ONNX) console.warn(`skipping onnx.checker tests: \`${PYTHON} -c "import onnx"\` failed (install python3-onnx)`);

const CHECK = "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(p, full_check=True)\nprint('ok')";

describe.skipIf(!HAVE_ONNX)(`onnx.checker.check_model(full_check=True) (onnx ${probe.stdout?.trim()})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "transseg-onnx-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const local = (name: string) => new URL(`../../test-data/onnx/${name}.safetensors`, import.meta.url).pathname;
  const sources: [string, string][] = [
    ["gd3_beit", local("gd3_beit")],
    ["force2d_vit", local("force2d_vit")],
    ...(HAVE_SHARED_FIXTURES ? (["seg_beit", "seg_vit"].map((n) => [n, fixture(`${n}.safetensors`)]) as [string, string][]) : []),
  ];

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
