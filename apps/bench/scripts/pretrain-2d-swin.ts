/**
 * Re-creates the bundled 2D pre-trained Swin of the Swin study (the tiny Swin of
 * `src/study/swin.ts`, 2D segmentation of BTCV phantom slices, the medical recipe):
 *   apps/bench/assets/swin-tiny-2d-medical.safetensors
 *
 *   pnpm exec tsx --conditions=source apps/bench/scripts/pretrain-2d-swin.ts [--steps n] [--out-dir dir]
 *
 * The recipe and the validation Dice curve go into the file's `__metadata__.transseg_pretrain`.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { steps: { type: "string" }, "out-dir": { type: "string" } } });
const outDir = values["out-dir"] ?? fileURLToPath(new URL("../assets/", import.meta.url));
const steps = values.steps === undefined ? undefined : Number(values.steps);
if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1)) throw new Error(`--steps must be a positive integer (got ${values.steps})`);
const { initBackend } = await import("@transseg/vit3d");
const { pretrain2d } = await import("../src/study/pretrain.js");
const { TINY_SWIN } = await import("../src/study/swin.js");
await initBackend("auto", { threads: 1 });
const r = await pretrain2d({ source: "medical", encoder: TINY_SWIN, out: join(outDir, "swin-tiny-2d-medical.safetensors"), work: join(tmpdir(), `transseg-pretrain-swin-${process.pid}`), log: (m) => process.stderr.write(`${m}\n`), ...(steps ? { steps } : {}) });
process.stderr.write(`wrote ${r.file} in ${r.seconds.toFixed(0)} s; validation Dice ${JSON.stringify(r.validation)}\n`);
