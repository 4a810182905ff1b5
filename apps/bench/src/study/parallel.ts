import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PluginRecord } from "@transseg/cli";
import type { StudyRegistries } from "./jobs.js";
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
export async function runParallel(o: ParallelRunOptions): Promise<MergeResult & { readonly failed: readonly number[] }> {
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const [cmd, ...pre] = o.command ?? selfCommand();
  const dirs = Array.from({ length: o.jobs }, (_, i) => join(o.out, "shards", `shard-${i}`));
  const codes = await Promise.all(
    dirs.map(
      (dir, i) =>
        new Promise<number>((resolve) => {
          const child = spawn(cmd!, [...pre, "run", ...o.runArgs, "-o", dir, "--shard", `${i}/${o.jobs}`], { stdio: ["ignore", "ignore", "pipe"] });
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
          child.on("close", (code) => {
            if (pending.trim()) log(`[shard ${i}] ${pending}`);
            resolve(code ?? 1);
          });
        }),
    ),
  );
  const failed = codes.flatMap((c, i) => (c === 0 ? [] : [i]));
  // a failed shard's finished jobs are merged too (its study.json exists once it started)
  const started = dirs.filter((d) => existsSync(join(d, "study.json")));
  if (started.length === 0) throw new Error(`run --jobs: no shard started (see the messages above)`);
  return { ...mergeStudies(started, o.out, o.registries, o.plugins), failed };
}
