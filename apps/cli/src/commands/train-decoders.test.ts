import { existsSync, readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readNifti } from "@transseg/datasets";
import { readSafetensorsHeader } from "@transseg/weights";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

// Every decoder trains from the command line (a few steps on a synthetic dataset); the ONNX
// engine's whole-volume predictions equal TensorFlow.js's, and the exports pass onnx.checker.
const dir = scratch("cli-train-decoders-");
const data = join(dir, "data");
const common = ["--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "--steps", "2", "--batch", "2", "--val-every", "0", "--save-every", "2", "--log-every", "1", "--backend", "wasm", "--threads", "1", "--workers", "0", "--quiet"];
const DECODERS: Record<string, string[]> = {
  upernet: ["--decoder-channels", "32", "--dropout", "0.2"],
  "setr-pup": [],
  convtrans: [],
  unetr: ["--window", "3", "--patch-depth", "1", "--feature-size", "4"], // Gd = 3
};
const PYTHON = ["python3", "/usr/bin/python3"].find((py) => spawnSync(py, ["-c", "import onnx"], { stdio: "ignore" }).status === 0);
if (!PYTHON) console.warn('onnx.checker part skipped: no python3 imports onnx (install python3-onnx)');

let volume = "";
beforeAll(async () => {
  const r = await cli("synth", "--task", "Task09_Spleen", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet");
  expect(r.code).toBe(0);
  volume = join(data, "imagesTr", readdirSync(join(data, "imagesTr")).sort()[0]!);
}, 60_000);

describe("transseg train --decoder", () => {
  for (const [decoder, extra] of Object.entries(DECODERS)) {
    it(`${decoder}: trains, records the decoder; predict --engine onnx equals --engine tfjs; the export passes the checker`, async () => {
      const run = join(dir, decoder);
      const r = await cli("train", "--data", data, "--decoder", decoder, ...extra, "-o", run, ...common);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/: completed at step 2 in/);
      const options = JSON.parse(readFileSync(join(run, "run.json"), "utf8")).options;
      expect(options.decoder).toBe(decoder);
      const ckpt = join(run, "last.safetensors");
      const config = JSON.parse(readSafetensorsHeader(ckpt).metadata.transseg!);
      expect(config.decoder.kind).toBe(decoder);
      if (decoder === "unetr") expect([config.encoder.window, config.encoder.patch_depth, config.decoder.feature_size]).toEqual([3, 1, 4]);
      if (decoder === "upernet") expect(config.decoder).toMatchObject({ channels: 32, dropout: 0.2 });

      const out = (engine: string) => ({ labels: join(dir, `${decoder}-${engine}.nii.gz`), probs: join(dir, `${decoder}-${engine}-p.nii.gz`) });
      for (const engine of ["onnx", "tfjs"]) {
        const p = await cli("predict", "--checkpoint", ckpt, "--input", volume, "--output", out(engine).labels, "--probabilities", out(engine).probs, "--engine", engine, "--backend", "wasm", "--threads", "1", "--quiet");
        expect(p.stderr).toBe("");
        expect(p.code).toBe(0);
      }
      const [a, b] = await Promise.all([readNifti(out("onnx").labels), readNifti(out("tfjs").labels)]);
      let same = 0;
      for (let i = 0; i < a.data.length; i++) if (a.data[i] === b.data[i]) same++;
      expect(same / a.data.length).toBeGreaterThanOrEqual(0.995);
      const [pa, pb] = await Promise.all([readNifti(out("onnx").probs), readNifti(out("tfjs").probs)]);
      let worst = 0;
      for (let i = 0; i < pa.data.length; i++) worst = Math.max(worst, Math.abs(pa.data[i]! - pb.data[i]!));
      expect(worst, "largest probability difference").toBeLessThan(1e-4);
      const classes = new Set(b.data).size;
      console.log(`${decoder}: onnx = tfjs on ${((100 * same) / a.data.length).toFixed(2)} % of ${a.data.length} voxels (${classes} class(es) predicted), largest probability difference ${worst.toExponential(1)}`);

      const onnx = join(dir, `${decoder}.onnx`);
      const e = await cli("export", "--checkpoint", ckpt, "--onnx", onnx, "--backend", "wasm", "--quiet");
      expect(e.code).toBe(0);
      expect(e.stdout).toMatch(/matches TensorFlow.js within/);
      if (PYTHON) {
        const check = spawnSync(PYTHON, ["-c", "import onnx, sys\nonnx.checker.check_model(sys.argv[1], full_check=True)\nprint('ok')", onnx], { encoding: "utf8" });
        expect(check.stderr).toBe("");
        expect(check.stdout.trim()).toBe("ok");
      }
    }, 300_000);
  }

  it("refuses a combination that cannot work before training starts (exit 2, no run folder)", async () => {
    const refused = async (args: string[], message: RegExp) => {
      const run = join(dir, `refused-${args.join("-")}`);
      const r = await cli("train", "--data", data, ...args, "-o", run, ...common);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(run)).toBe(false);
    };
    await refused(["--decoder", "unetr"], /decoder "unetr" needs depth tokens \(Gd > 1\) but patchDepth 5 = window 5 gives one depth token \(Gd = 1\); give patchDepth 1/);
    await refused(["--decoder", "unetr", "--variant", "2d"], /the 2d variant has one depth token/);
    await refused(["--decoder", "setr-pup", "--dropout", "0.2"], /dropout does not apply to decoder "setr-pup" \(its options: none\)/);
    await refused(["--decoder", "upernet", "--feature-size", "8"], /featureSize does not apply to decoder "upernet" \(its options: channels, layer_idxs, pool_scales, dropout\)/);
    await refused(["--decoder", "unetr", "--window", "5", "--patch-depth", "2"], /patchDepth must divide the window 5 \(got 2; valid: 1, 5\)/);
    await refused(["--variant", "2d", "--patch-depth", "1"], /patchDepth applies to the 3d variant/);
    await refused(["--decoder", "unter"], /unknown decoder "unter".*did you mean "unetr"/);
  }, 60_000);
});
