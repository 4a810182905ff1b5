/**
 * The wasm thread count of `transseg train`: `--threads`, else `TRANSSEG_WASM_THREADS`, else
 * chosen by the model (`chooseWasmThreads`: measured once per model configuration and machine,
 * cached), since wasm's threads are fixed when its runtime starts and small models train faster
 * on one thread than on all cores.
 */
import type { InitRegistries, TrainCallbacks, TrainOptions } from "@transseg/vit3d";
import { UsageError } from "../errors.js";
import type { loadVit3d } from "../heavy.js";
import type { CliIO } from "../io.js";

/** A fixed wasm thread count for every `transseg train` (shared machines, CI), without measuring. */
export const THREADS_ENV = "TRANSSEG_WASM_THREADS";

export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env[THREADS_ENV];
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${THREADS_ENV} must be an integer ≥ 1, got "${v}"`);
  return Number(v);
}

type Vit3d = Awaited<ReturnType<typeof loadVit3d>>;

/**
 * `initBackend`'s `chooseThreads` for a run (its options, or the folder it resumes): asked for
 * wasm only. The model config is computed there (dataset and checkpoint read, without TF.js);
 * if that fails, the default is kept and `rethrow` throws the error after the backend started
 * (the same error training would stop on). A failed measurement only logs and keeps all cores.
 */
export function trainThreadChooser(
  vit3d: Pick<Vit3d, "chooseWasmThreads" | "trainModelConfig" | "measureTrainStep" | "LARGE_STEP_SECONDS">,
  run: TrainOptions | { readonly resume: string },
  registries: InitRegistries & Pick<TrainCallbacks, "profiles" | "decoders">,
  io: CliIO,
  quiet: boolean,
  cacheDir?: string,
): { chooseThreads: (backend: string) => Promise<number | undefined>; rethrow: () => void } {
  let failure: unknown = null;
  const log = (m: string) => !quiet && io.stderr(`${m}\n`);
  return {
    async chooseThreads(backend) {
      if (backend !== "wasm") return undefined;
      let config: unknown;
      try {
        config = await vit3d.trainModelConfig(run, registries);
      } catch (error) {
        failure = error;
        return undefined;
      }
      try {
        let announced = false;
        const measure = (threads: number) => {
          if (!announced) log("wasm threads: timing a few training steps of this model on all cores and on 1 thread (once per model and machine) …");
          announced = true;
          return vit3d.measureTrainStep(config, threads, vit3d.LARGE_STEP_SECONDS);
        };
        const choice = await vit3d.chooseWasmThreads(config, { log, measure, ...(cacheDir ? { cacheDir } : {}) });
        if (choice.source === "cache") log(`wasm threads: ${choice.threads} (measured earlier for this model on this machine)`);
        return choice.threads;
      } catch (error) {
        log(`wasm threads: all cores (timing failed: ${(error as Error).message.split("\n")[0]})`);
        return undefined;
      }
    },
    rethrow() {
      if (failure !== null) throw failure;
    },
  };
}
