import { parseArgs, type ParseArgsConfig } from "node:util";
import { join } from "node:path";
import { describePlugin, loadPlugins, pluginSpecs, type LoadedPlugins } from "@transseg/cli";
import { builtinProfiles } from "@transseg/datasets";
import { builtinStrategies } from "@transseg/inflate";
import { builtinLosses } from "@transseg/vit3d";
import { builtinAdapters } from "@transseg/weights";
import { builtinBudgets } from "./budgets.js";
import { availableParallelism } from "node:os";
import { BUNDLED_ENCODERS } from "./bundled.js";
import { buildJobs, resolveBudget, parseDatasets, parseIdList, parseSeeds, parseShard, shardJobs, type StudyRegistries } from "./jobs.js";
import { EXIT_INTERRUPTED, onStopSignals } from "./interrupt.js";
import { mergeStudies } from "./merge.js";
import { RESULTS_MD } from "./outputs.js";
import { runParallel } from "./parallel.js";
import { runStudy, studySettings, type RunStudyOptions } from "./run-study.js";
import { writeSlurmPlan } from "./slurm.js";
import { budgetForEncoder } from "./swin.js";
import { builtinVariants } from "./variants.js";

export const STUDY_USAGE = `  run -o <dir> [--datasets all|ACDC,Task01_BrainTumour,…] [--root <data folder>] [--budget ${Object.keys(builtinBudgets).join("|")}]
      [--variants ours,2d,random] [--strategies center,average,repeat,<plugin's id>] [--plugin <module>]…
      [--pretrained <2D ckpt> | ${Object.keys(BUNDLED_ENCODERS).join(" | ")} | name=<ckpt>,name=<ckpt>,…]
      [--encoder beit|swin] [--seeds 0,1,2 | --seed n] [--data-seed n] [--shard i/n | --jobs n] [--steps n] [--backend auto] [--threads n]
                                                 the 11-dataset study: train + evaluate every dataset × variant
                                                 × pre-training source × training seed (data and split fixed),
                                                 write results.json (with mean ± sd over seeds, paired bootstrap
                                                 comparisons and verdicts), results.md, report.html;
                                                 defaults: the budget's seeds and bundled sources;
                                                 --encoder swin: the quick table with a tiny Swin (budget
                                                 quick-swin: upernet-swint, the bundled 2D Swin swin-medical);
                                                 --jobs n: n local processes (shards), merged at the end
                                                 (quick and standard default: one per core);
                                                 --root: each dataset's folder in the Decathlon layout or a raw
                                                 ACDC / BTCV download, split as the paper split it (counts said);
                                                 --strategies without --datasets: the paper's initialisation
                                                 ablation on BTCV, beside the paper's numbers;
                                                 --plugin (repeatable; also TRANSSEG_PLUGINS=a,b): an ES module
                                                 (path or package) adding strategies, task profiles, source
                                                 layouts, losses; recorded (name, version, sha256) in results.json;
                                                 Ctrl-C, SIGTERM, SIGUSR1 (a cluster's time limit or preemption):
                                                 the running job saves its training state, exit code 75; the same
                                                 command again keeps finished jobs and resumes the interrupted one
  merge <dir…> -o <dir> [--plugin <module>]…     join study folders (shards) and regenerate the outputs
  plan [--slurm] --shards n -o <dir> [run options] [--command transseg-bench] [--time 04:00:00]
      [--cpus 2] [--partition p] [--signal-seconds 300]
                                                 print the shards' jobs; --slurm writes <dir>/slurm/*.sbatch + submit.sh;
                                                 each task asks for USR1 that many seconds before its time limit
                                                 (--signal=B:USR1@300, --requeue), forwards it to the run, waits for
                                                 the state to be saved, then requeues itself (scontrol requeue)
`;

const RUN_OPTIONS = {
  output: { type: "string", short: "o" },
  datasets: { type: "string" },
  root: { type: "string" },
  budget: { type: "string" },
  encoder: { type: "string" },
  variants: { type: "string" },
  strategies: { type: "string" },
  pretrained: { type: "string" },
  seed: { type: "string" },
  seeds: { type: "string" },
  "data-seed": { type: "string" },
  steps: { type: "string" },
  backend: { type: "string" },
  threads: { type: "string" },
  plugin: { type: "string", multiple: true },
} as const satisfies ParseArgsConfig["options"];

function integer(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${what} must be a non-negative integer (got "${v}")`);
  return n;
}

type RunValues = { [K in Exclude<keyof typeof RUN_OPTIONS, "plugin">]?: string } & { plugin?: string[] };

/** The built-in registries with the plugins' entries added. */
function studyRegistries(plugins: LoadedPlugins): StudyRegistries {
  const { added } = plugins;
  return {
    profiles: { ...builtinProfiles, ...added.profiles },
    strategies: { ...builtinStrategies, ...added.strategies },
    adapters: { ...builtinAdapters, ...added.adapters },
    losses: { ...builtinLosses, ...added.losses },
  };
}

/** Loads `--plugin` and TRANSSEG_PLUGINS, saying on stderr what each added. */
async function commandPlugins(values: { plugin?: string[] | undefined }): Promise<LoadedPlugins> {
  const loaded = await loadPlugins(pluginSpecs(values.plugin));
  for (const p of loaded.plugins) process.stderr.write(`plugin ${describePlugin(p)}\n`);
  return loaded;
}

function runOptions(values: RunValues, plugins: LoadedPlugins): Omit<RunStudyOptions, "out"> {
  if (values.seed !== undefined && values.seeds !== undefined) throw new Error("--seed and --seeds exclude each other (--seed n is --seeds n)");
  const registries = studyRegistries(plugins);
  return {
    registries,
    plugins: plugins.plugins,
    // without --datasets: the 11 datasets, or BTCV for the initialisation ablation (studySettings)
    ...(values.datasets !== undefined ? { datasets: parseDatasets(values.datasets, registries.profiles) } : {}),
    ...(values.variants !== undefined ? { variants: parseIdList("variant", values.variants, builtinVariants) } : {}),
    ...(values.strategies !== undefined ? { strategies: parseIdList("inflation strategy", values.strategies, registries.strategies!) } : {}),
    ...(values.budget !== undefined || values.encoder !== undefined ? { budget: budgetForEncoder(values.budget !== undefined ? parseIdList("budget", values.budget, builtinBudgets)[0]! : "quick", values.encoder) } : {}),
    ...(values.root !== undefined ? { root: values.root } : {}),
    ...(values.pretrained !== undefined ? { pretrained: values.pretrained } : {}),
    ...(values.seed !== undefined ? { seeds: [integer(values.seed, "seed")!] } : {}),
    ...(values.seeds !== undefined ? { seeds: parseSeeds(values.seeds) } : {}),
    ...(values["data-seed"] !== undefined ? { dataSeed: integer(values["data-seed"], "data-seed")! } : {}),
    ...(values.steps !== undefined ? { steps: integer(values.steps, "steps")! } : {}),
    ...(values.backend !== undefined ? { backend: values.backend } : {}),
    ...(values.threads !== undefined ? { threads: integer(values.threads, "threads")! } : {}),
  };
}

/** The run options as command-line arguments again (for child processes and the Slurm scripts); plugins by absolute path. */
function forwardArgs(values: RunValues, plugins: LoadedPlugins): string[] {
  const args: string[] = [];
  for (const k of Object.keys(RUN_OPTIONS) as (keyof typeof RUN_OPTIONS)[]) {
    if (k === "output" || k === "plugin" || values[k] === undefined) continue;
    args.push(`--${k}`, values[k]!);
  }
  for (const p of plugins.args) args.push("--plugin", p);
  return args;
}

export async function studyCommand(command: "run" | "merge" | "plan", argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`Usage: transseg-bench ${command} [options]\n\n${STUDY_USAGE}`);
    return 0;
  }
  if (command === "run") {
    const { values } = parseArgs({ args: [...argv], options: { ...RUN_OPTIONS, shard: { type: "string" }, jobs: { type: "string" } }, strict: true });
    if (!values.output) throw new Error("run: -o <dir> is required");
    const plugins = await commandPlugins(values);
    const budget = resolveBudget(budgetForEncoder(values.budget ?? "quick", values.encoder));
    const jobs = values.jobs !== undefined ? integer(values.jobs, "jobs")! : values.shard ? 1 : budget.processes === "cores" ? availableParallelism() : budget.processes;
    // Ctrl-C, SIGTERM, SIGUSR1 (a cluster's time limit or preemption): the running job saves its state, exit code 75
    const stop = onStopSignals((m) => process.stderr.write(`\n${m}\n`));
    try {
      if (jobs > 1) {
        if (values.shard) throw new Error("run: --jobs and --shard exclude each other (--jobs n runs shards 0..n-1 itself)");
        const options = runOptions(values, plugins); // check the options before starting processes
        studySettings(options);
        const r = await runParallel({ out: values.output, jobs, runArgs: [...forwardArgs(values, plugins), ...(values.threads === undefined ? ["--threads", "1"] : [])], registries: options.registries ?? {}, plugins: plugins.plugins, signal: stop.signal });
        const stopped = r.interrupted.length ? `; shard(s) ${r.interrupted.join(", ")} interrupted (run the same command again to resume)` : "";
        process.stdout.write(`${r.results.jobs.length} job(s) in ${jobs} processes; ${r.results.missing.length} missing${r.failed.length ? `; shard(s) ${r.failed.join(", ")} failed` : ""}${stopped}\nresults: ${join(values.output, RESULTS_MD)}\n`);
        return r.failed.length ? 1 : r.interrupted.length || stop.signal.aborted ? EXIT_INTERRUPTED : 0;
      }
      const r = await runStudy({ ...runOptions(values, plugins), out: values.output, ...(values.shard ? { shard: parseShard(values.shard) } : {}), signal: stop.signal });
      const stopped = r.interrupted ? `; interrupted${r.interrupted.key ? ` in ${r.interrupted.key} at step ${r.interrupted.step} (state saved)` : ""}, ${r.interrupted.notStarted.length} not started: run the same command again to resume` : "";
      process.stdout.write(`${r.ran.length} job(s) run, ${r.reused.length} kept, in ${r.seconds.toFixed(0)} s; ${r.results.missing.length} missing${stopped}\nresults: ${join(values.output, RESULTS_MD)}\n`);
      return r.interrupted ? EXIT_INTERRUPTED : 0;
    } finally {
      stop.dispose();
    }
  }
  if (command === "merge") {
    const { values, positionals } = parseArgs({ args: [...argv], options: { output: { type: "string", short: "o" }, plugin: { type: "string", multiple: true } }, allowPositionals: true, strict: true });
    if (!values.output) throw new Error("merge: -o <dir> is required");
    const plugins = await commandPlugins(values);
    const r = mergeStudies(positionals, values.output, studyRegistries(plugins), plugins.plugins);
    process.stdout.write(`merged ${r.results.jobs.length} job(s) into ${values.output}; ${r.results.missing.length} missing${r.results.missing.length ? `: ${r.results.missing.join(", ")}` : ""}\n`);
    return 0;
  }
  const { values } = parseArgs({
    args: [...argv],
    options: { ...RUN_OPTIONS, slurm: { type: "boolean" }, shards: { type: "string" }, command: { type: "string" }, time: { type: "string" }, cpus: { type: "string" }, partition: { type: "string" }, "signal-seconds": { type: "string" } },
    strict: true,
  });
  const shards = integer(values.shards ?? "1", "shards")!;
  if (shards < 1) throw new Error("--shards must be at least 1");
  const plugins = await commandPlugins(values);
  const settings = studySettings(runOptions(values, plugins)); // checks ids and the checkpoint now, not on the cluster
  const jobs = buildJobs(settings, studyRegistries(plugins));
  for (let i = 0; i < shards; i++) process.stdout.write(`shard ${i}/${shards}: ${shardJobs(jobs, { index: i, count: shards }).map((j) => j.key).join(", ")}\n`);
  if (values.slurm) {
    if (!values.output) throw new Error("plan --slurm: -o <dir> is required");
    const files = writeSlurmPlan({
      out: values.output,
      shards,
      runArgs: forwardArgs(values, plugins),
      ...(values.command ? { command: values.command } : {}),
      ...(values.time ? { time: values.time } : {}),
      ...(values.cpus ? { cpus: integer(values.cpus, "cpus")! } : {}),
      ...(values.partition ? { partition: values.partition } : {}),
      ...(values["signal-seconds"] ? { signalSeconds: integer(values["signal-seconds"], "signal-seconds")! } : {}),
    });
    process.stdout.write(`wrote ${files.join(", ")}\nsubmit with: bash ${files[2]}\n`);
  }
  return 0;
}
