import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Measurement } from "./suite.js";

export interface MeasuredRun extends Measurement {
  readonly stdout: string;
  readonly stderr: string;
  /** CPU time (user + system, all threads) with GNU time: on a busy machine a steadier figure than the wall time. */
  readonly cpuSeconds?: number;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Runs a whole process and measures its wall time and (with GNU time, Debian package `time`)
 * its peak resident set size and CPU time. Fails with the process's stderr when it exits non-zero.
 */
export function runMeasured(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MeasuredRun> {
  const timed = existsSync(GNU_TIME);
  const marker = "@@transseg-rss-kb=";
  const [cmd, argv] = timed ? [GNU_TIME, ["-f", `${marker}%M %U %S`, command, ...args]] : [command, [...args]];
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const m = new RegExp(`${marker}(\\d+) ([\\d.]+) ([\\d.]+)`).exec(stderr);
      // GNU time's own lines (its report, and a note when the command fails) are not the process's
      stderr = stderr.replace(new RegExp(`${marker}[\\d. ]+\\n?`), "").replace(/^Command exited with non-zero status \d+\n/m, "");
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`));
        return;
      }
      resolvePromise({ seconds, stdout, stderr, ...(m ? { peakRssBytes: Number(m[1]) * 1024, cpuSeconds: Number(m[2]) + Number(m[3]) } : {}) });
    });
  });
}
