/**
 * Child process of `train.slow.test.ts`: `tsx --conditions=source train-child.ts <options.json>`
 * trains on the wasm backend with the options in the file (or resumes with `--resume <runDir>`),
 * printing one line per step so the parent can kill it mid-run.
 */
import { readFileSync } from "node:fs";
import { initBackend } from "../../backend/init-backend.js";
import { resume, train } from "../trainer.js";

const [mode, arg] = process.argv.slice(2);
await initBackend(process.env.TRANSSEG_BACKEND ?? "wasm", { threads: 1 });
const onProgress = (p: { step: number }) => console.log(`step ${p.step}`);
const r = mode === "--resume" ? await resume(arg!, { onProgress }) : await train(JSON.parse(readFileSync(mode!, "utf8")), { onProgress });
console.log(`done ${r.step} ${r.stopped}`);
