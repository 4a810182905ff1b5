/**
 * Re-creates apps/bench/assets/beit-tiny-2d.safetensors, the bundled 2D pre-trained encoder:
 *   pnpm exec tsx --conditions=source apps/bench/scripts/pretrain-2d.ts [out] [--threads n] [--steps n]
 * (~8 minutes on 2 cores; see `pretrain2d` for the recipe, recorded in the file's metadata).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initBackend } from "@transseg/vit3d";
import { pretrain2d } from "../src/study/pretrain.js";

const args = process.argv.slice(2);
const threadsAt = args.indexOf("--threads");
const threads = threadsAt >= 0 ? Number(args.splice(threadsAt, 2)[1]) : 1;
const stepsAt = args.indexOf("--steps");
const steps = stepsAt >= 0 ? Number(args.splice(stepsAt, 2)[1]) : undefined;
const out = args[0] ?? fileURLToPath(new URL("../assets/beit-tiny-2d.safetensors", import.meta.url));
const backend = await initBackend("auto", { threads });
process.stderr.write(`backend: ${backend.description}\n`);
const r = await pretrain2d({ out, work: join(tmpdir(), `transseg-pretrain-2d-${process.pid}`), log: (m) => process.stderr.write(`${m}\n`), ...(steps ? { stepsPerProfile: steps } : {}) });
process.stderr.write(`wrote ${r.file} in ${r.seconds.toFixed(0)} s\n${r.metadata.transseg_pretrain}\n`);
