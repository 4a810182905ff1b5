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
  /** Seconds before the time limit at which Slurm sends USR1 to the batch script (default 300). */
  readonly signalSeconds?: number;
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
 * The body of a task that runs `command` in the background and lets it save before the job
 * ends: USR1 (sent by `--signal=B:USR1@<s>` before the time limit) and TERM (preemption,
 * scancel, the limit itself) are forwarded to it; the script waits until it has exited (a run
 * saves its running job's training state and exits 75), and after USR1 requeues the task with
 * `scontrol requeue` — Slurm does not requeue a job that reaches its time limit — so that the
 * next start skips the finished jobs and resumes the interrupted one.
 */
function preemptibleBody(command: string): string[] {
  return [
    "set -uo pipefail",
    "requeue=0",
    'forward() { # $1: the signal; the run saves its running job\'s training state and exits 75',
    '  echo "$(date -u +%FT%TZ) $1: asking the run (pid $pid) to save its state" >&2',
    '  [ "$1" = USR1 ] && requeue=1',
    '  kill -s "$1" "$pid" 2>/dev/null || true',
    "}",
    "trap 'forward USR1' USR1",
    "trap 'forward TERM' TERM",
    `${command} &`,
    "pid=$!",
    "# a trapped signal ends `wait` early: wait again until the run has exited, then take its status",
    'while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done',
    'wait "$pid"; code=$?',
    'if [ "$requeue" = 1 ] && [ "$code" = 75 ]; then',
    '  echo "$(date -u +%FT%TZ) state saved; requeueing job ${SLURM_JOB_ID}" >&2',
    '  scontrol requeue "${SLURM_JOB_ID}"',
    "fi",
    'exit "$code"',
  ];
}

/**
 * The Slurm scripts of a sharded study: an array job with one task per shard running
 * `run … --shard $SLURM_ARRAY_TASK_ID/n` (preemptible: `--signal=B:USR1@300`, `--requeue`, the
 * signal forwarded to the run, which saves, then the task requeued; `preemptibleBody`), a merge
 * job, and `submit.sh`, which submits the array and the merge with `--dependency=afterany:<array>`
 * (the merge lists jobs a failed shard missed).
 */
export function slurmScripts(o: SlurmPlanOptions): SlurmScripts {
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new Error(`--shards must be a positive integer (got ${o.shards})`);
  const signalSeconds = o.signalSeconds ?? 300;
  if (!Number.isInteger(signalSeconds) || signalSeconds < 1 || signalSeconds > 65535) throw new Error(`the signal time must be 1–65535 seconds before the limit (got ${o.signalSeconds})`);
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
    // USR1 to this script 300 s before the limit; may be requeued; a requeued task appends to its log
    `#SBATCH --signal=B:USR1@${signalSeconds}`,
    "#SBATCH --requeue",
    "#SBATCH --open-mode=append",
    ...preemptibleBody(`${cmd} run ${o.runArgs.map(shellQuote).join(" ")} -o ${shellQuote(join(out, "shards"))}/shard-\${SLURM_ARRAY_TASK_ID} --shard \${SLURM_ARRAY_TASK_ID}/${o.shards}`),
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
