import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hashSeed, initValues, mulberry32, normalSamples, swinEncoderParams, type SwinEncoderConfig } from "@transseg/model";
import { f32Entry, toFloat32, type TensorEntry, type TensorMap } from "@transseg/weights";
import { ParamStore } from "../../params.js";

/** Test helpers of the Swin encoders (not exported from the package). */

export const PYTHON = "/usr/bin/python3";
export const SWIN_REFERENCE = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "swin_reference.py");

/** Why the PyTorch reference cannot run here ("" when it can). */
export function referenceSkipReason(modules = "torch"): string {
  const ok = spawnSync(PYTHON, ["-c", `import ${modules}`], { stdio: "ignore" }).status === 0;
  return ok ? "" : `${PYTHON} with ${modules} is not available`;
}

/** Runs `swin_reference.py` with `args`; throws with its stderr on failure. */
export function runSwinReference(args: readonly string[]): void {
  const r = spawnSync(PYTHON, [SWIN_REFERENCE, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`swin_reference.py ${args[0]} failed: ${r.stderr || r.error?.message}`);
}

/**
 * Every encoder tensor with random values (PyTorch layout, no `encoder.` prefix): LayerNorm
 * weights 1 ± 0.3, biases and tables N(0, 0.1), matrices N(0, 0.02·…) scaled to keep the
 * activations O(1), so that a wrong norm, bias, table or mask shows.
 */
export function randomSwinTensors(e: SwinEncoderConfig, seed: number): TensorMap {
  const out = new Map<string, TensorEntry>();
  for (const s of swinEncoderParams(e)) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const z = normalSamples(n, mulberry32(hashSeed(seed, s.name)));
    const fan = s.shape.length > 1 ? s.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
    const isNormWeight = /norm\d?\.weight$|norm\.weight$/.test(s.name);
    const values = z.map((v) => (isNormWeight ? 1 + 0.3 * v : s.shape.length > 1 && !s.name.endsWith("bias_table") ? v / Math.sqrt(fan) : 0.1 * v));
    out.set(s.name, f32Entry(s.shape, values));
  }
  return out;
}

/** A parameter store of the encoder (`encoder.` names) from `tensors` (PyTorch layout, no prefix); missing ones fresh from `seed`. */
export function swinStore(e: SwinEncoderConfig, tensors: TensorMap, seed = 0): ParamStore {
  const store = new ParamStore();
  for (const s of swinEncoderParams(e)) {
    const name = `encoder.${s.name}`;
    const entry = tensors.get(s.name) ?? tensors.get(name);
    store.add({ ...s, name }, entry ? toFloat32(entry) : initValues({ ...s, name }, seed));
  }
  return store;
}
