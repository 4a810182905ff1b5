import { chmodSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "./atomic.js";

export interface SlurmPlanOptions {
  /** The merged study folder; shards go to `<out>/shards/shard-<i>`, logs to `<out>/logs`. */
  readonly out: string;
  /** Array tasks (= shards). */
  readonly shards: number;
  /** `transseg-bench run` options to forward (without -o and --shard). */
  readonly runArgs: readonly string[];
  /** How a compute node starts the bench (default `transseg-bench`). */
  readonly command?: string;
  readonly time?: string;
  readonly cpus?: number;
  readonly partition?: string;
  readonly jobName?: string;
}

export interface SlurmScripts {
  readonly array: string;
  readonly merge: string;
  readonly submit: string;
}

/** POSIX shell quoting (single quotes when needed). */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The Slurm scripts of a sharded study: an array job with one task per shard running
 * `run … --shard $SLURM_ARRAY_TASK_ID/n`, a merge job, and `submit.sh`, which submits the array
 * and the merge with `--dependency=afterany:<array>` (the merge lists jobs a failed shard missed).
 */
export function slurmScripts(o: SlurmPlanOptions): SlurmScripts {
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new Error(`--shards must be a positive integer (got ${o.shards})`);
  const out = resolve(o.out);
  const cmd = o.command ?? "transseg-bench";
  const name = o.jobName ?? "transseg-bench";
  const common = [
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    `#SBATCH --cpus-per-task=${o.cpus ?? 2}`,
    `#SBATCH --time=${o.time ?? "04:00:00"}`,
  ];
  const shardDirs = Array.from({ length: o.shards }, (_, i) => shellQuote(join(out, "shards", `shard-${i}`)));
  const array = [
    "#!/bin/bash",
    `#SBATCH --job-name=${name}`,
    `#SBATCH --array=0-${o.shards - 1}`,
    ...common,
    `#SBATCH --output=${join(out, "logs", "shard-%a.log")}`,
    "set -euo pipefail",
    `${cmd} run ${o.runArgs.map(shellQuote).join(" ")} -o ${shellQuote(join(out, "shards"))}/shard-\${SLURM_ARRAY_TASK_ID} --shard \${SLURM_ARRAY_TASK_ID}/${o.shards}`,
    "",
  ].join("\n");
  const merge = [
    "#!/bin/bash",
    `#SBATCH --job-name=${name}-merge`,
    ...common.filter((l) => !l.startsWith("#SBATCH --time")),
    "#SBATCH --time=00:15:00",
    `#SBATCH --output=${join(out, "logs", "merge.log")}`,
    "set -euo pipefail",
    `${cmd} merge ${shardDirs.join(" ")} -o ${shellQuote(out)}`,
    "",
  ].join("\n");
  const submit = [
    "#!/bin/bash",
    "# Submits the shards as one array job, then the merge once every shard has ended.",
    "set -euo pipefail",
    'here="$(cd "$(dirname "$0")" && pwd)"',
    `mkdir -p ${shellQuote(join(out, "logs"))}`,
    'array=$(sbatch --parsable "$here/array.sbatch")',
    'array=${array%%;*}',
    'merge=$(sbatch --parsable --dependency=afterany:"$array" "$here/merge.sbatch")',
    'echo "submitted array job $array and merge job $merge"',
    "",
  ].join("\n");
  return { array, merge, submit };
}

/** Writes `<out>/slurm/{array.sbatch, merge.sbatch, submit.sh}` (atomically) and returns their paths. */
export function writeSlurmPlan(o: SlurmPlanOptions): string[] {
  const s = slurmScripts(o);
  const dir = join(resolve(o.out), "slurm");
  const files = [join(dir, "array.sbatch"), join(dir, "merge.sbatch"), join(dir, "submit.sh")];
  writeFileAtomic(files[0]!, s.array);
  writeFileAtomic(files[1]!, s.merge);
  writeFileAtomic(files[2]!, s.submit);
  for (const f of files) chmodSync(f, 0o755);
  return files;
}
