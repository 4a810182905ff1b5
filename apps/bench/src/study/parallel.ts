import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PluginRecord } from "@transseg/cli";
import type { StudyRegistries } from "./jobs.js";
import { EXIT_INTERRUPTED } from "./interrupt.js";
import { mergeStudies, type MergeResult } from "./merge.js";

export interface ParallelRunOptions {
  readonly out: string;
  /** Processes (= shards). */
  readonly jobs: number;
  /** `run` options to forward to every process (without -o, --shard and --jobs; with each `--plugin`). */
  readonly runArgs: readonly string[];
  /** Registries and plugins of this process, for the merge at the end. */
  readonly registries?: StudyRegistries;
  readonly plugins?: readonly PluginRecord[];
  /** How to start this program again (default: this node process's own command line). */
  readonly command?: readonly string[];
  readonly log?: (message: string) => void;
  /** Aborting forwards the abort's reason (a signal name, default SIGTERM) to every child: each saves its running job's state and exits 75. */
  readonly signal?: AbortSignal;
}

/** The command that started this process (node, its flags such as tsx's loader, the script). */
function selfCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!];
}

/**
 * `run --jobs n`: runs shards 0..n-1 as n child processes on this machine (into
 * `<out>/shards/shard-<i>`), then merges them into `out`. On 2 cores, two single-threaded
 * processes train about twice as many tiny models per minute as one process with 2 wasm threads.
 */
export async function runParallel(o: ParallelRunOptions): Promise<MergeResult & { readonly failed: readonly number[]; readonly interrupted: readonly number[] }> {
  const dirs = shardDirs(o.out, o.jobs);
  const codes = await runShardProcesses(o);
  const failed = codes.flatMap((c, i) => (c === 0 || c === EXIT_INTERRUPTED ? [] : [i]));
  const interrupted = codes.flatMap((c, i) => (c === EXIT_INTERRUPTED ? [i] : []));
  // a failed or interrupted shard's finished jobs are merged too (its study.json exists once it started)
  const started = dirs.filter((d) => existsSync(join(d, "study.json")));
  if (started.length === 0) throw new Error(`run --jobs: no shard started (see the messages above)`);
  return { ...mergeStudies(started, o.out, o.registries, o.plugins), failed, interrupted };
}

const shardDirs = (out: string, n: number) => Array.from({ length: n }, (_, i) => join(out, "shards", `shard-${i}`));

/**
 * Starts `<command> run <runArgs> -o <out>/shards/shard-<i> --shard i/n` for every shard, prefixes
 * their stderr lines with `[shard i]`, forwards an abort of `o.signal` to each (as the signal its
 * reason names) and resolves to their exit codes.
 */
export async function runShardProcesses(o: Omit<ParallelRunOptions, "registries" | "plugins">): Promise<number[]> {
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const [cmd, ...pre] = o.command ?? selfCommand();
  const dirs = shardDirs(o.out, o.jobs);
  return await Promise.all(
    dirs.map(
      (dir, i) =>
        new Promise<number>((resolve) => {
          const child = spawn(cmd!, [...pre, "run", ...o.runArgs, "-o", dir, "--shard", `${i}/${o.jobs}`], { stdio: ["ignore", "ignore", "pipe"] });
          let forwarded = false;
          const forward = () => {
            const reason: unknown = o.signal?.reason;
            forwarded = true;
            if (child.exitCode === null && child.signalCode === null) child.kill(typeof reason === "string" && reason.startsWith("SIG") ? (reason as NodeJS.Signals) : "SIGTERM");
          };
          if (o.signal?.aborted) forward();
          else o.signal?.addEventListener("abort", forward, { once: true });
          let pending = "";
          child.stderr.setEncoding("utf8");
          child.stderr.on("data", (chunk: string) => {
            pending += chunk;
            const lines = pending.split("\n");
            pending = lines.pop() ?? "";
            for (const l of lines) if (l.trim()) log(`[shard ${i}] ${l}`);
          });
          child.on("error", (e) => {
            log(`[shard ${i}] ${e.message}`);
            resolve(1);
          });
          child.on("close", (code, signal) => {
            o.signal?.removeEventListener("abort", forward);
            if (pending.trim()) log(`[shard ${i}] ${pending}`);
            // killed by the signal forwarded before it could handle it (still starting): nothing was lost, it is interrupted
            resolve(code ?? (forwarded && signal !== "SIGKILL" ? EXIT_INTERRUPTED : 1));
          });
        }),
    ),
  );
}
