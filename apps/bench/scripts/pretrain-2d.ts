/**
 * Re-creates the two bundled 2D pre-trained encoders (same tiny BEiT, different data):
 *   apps/bench/assets/beit-tiny-2d-medical.safetensors  (2D segmentation of BTCV phantom slices)
 *   apps/bench/assets/beit-tiny-2d-natural.safetensors  (2D segmentation of formula-driven shapes)
 *
 *   pnpm exec tsx --conditions=source apps/bench/scripts/pretrain-2d.ts [--only medical|natural] [--steps n] [--out-dir dir]
 *
 * Both run at once, one single-threaded process each (≤ 30 minutes on 2 cores); the recipe and
 * the validation Dice curve go into each file's `__metadata__.transseg_pretrain`.
 */
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { only: { type: "string" }, steps: { type: "string" }, "out-dir": { type: "string" }, child: { type: "string" } } });
const outDir = values["out-dir"] ?? fileURLToPath(new URL("../assets/", import.meta.url));
const steps = values.steps === undefined ? undefined : Number(values.steps);
if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1)) throw new Error(`--steps must be a positive integer (got ${values.steps})`);

if (values.child) {
  const source = values.child as "medical" | "natural";
  const { initBackend } = await import("@transseg/vit3d");
  const { pretrain2d } = await import("../src/study/pretrain.js");
  await initBackend("auto", { threads: 1 });
  const r = await pretrain2d({ source, out: join(outDir, `beit-tiny-2d-${source}.safetensors`), work: join(tmpdir(), `transseg-pretrain-${source}-${process.pid}`), log: (m) => process.stderr.write(`${m}\n`), ...(steps ? { steps } : {}) });
  process.stderr.write(`wrote ${r.file} in ${r.seconds.toFixed(0)} s; validation Dice ${JSON.stringify(r.validation)}\n`);
} else {
  const sources = values.only ? [values.only] : ["medical", "natural"];
  for (const s of sources) if (s !== "medical" && s !== "natural") throw new Error(`--only: "${s}" is not medical or natural`);
  const t0 = Date.now();
  const codes = await Promise.all(
    sources.map(
      (s) =>
        new Promise<number>((done) => {
          const args = [...process.execArgv, fileURLToPath(import.meta.url), "--child", s, "--out-dir", outDir, ...(steps ? ["--steps", String(steps)] : [])];
          spawn(process.execPath, args, { stdio: "inherit" }).on("exit", (code) => done(code ?? 1));
        }),
    ),
  );
  process.stderr.write(`pretrain-2d: ${sources.join(" + ")} in ${((Date.now() - t0) / 60000).toFixed(1)} min\n`);
  process.exitCode = codes.every((c) => c === 0) ? 0 : 1;
}
