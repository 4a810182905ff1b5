/**
 * `transseg-bench run` as a process, preempted as a cluster would: two datasets, SIGTERM in the
 * middle of the second job's training; the process saves that job's state and exits 75; the same
 * command again keeps the finished job, resumes the interrupted one from its saved step, and
 * writes the results.json of an uninterrupted run (timing fields aside).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jobFileName, withoutTiming, type JobFile, type StudyResults } from "./results.js";
import { jobRunDir } from "./run-job.js";

const bin = fileURLToPath(new URL("../bin.ts", import.meta.url));
const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");
const STEPS = 30;
const ARGS = ["--datasets", "Task04_Hippocampus,Task05_Prostate", "--variants", "random", "--seed", "0", "--steps", String(STEPS), "--jobs", "1", "--backend", "wasm", "--threads", "1"];
const SECOND = "Task05_Prostate/random/s0";

interface Proc { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> }

function bench(out: string): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", bin, "run", ...ARGS, "-o", out], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  return { child, done: new Promise((r) => child.on("exit", (code) => r({ code, stdout, stderr }))) };
}

const stepsLogged = (out: string) => {
  const file = join(jobRunDir(out, SECOND), "metrics.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { step: number; loss?: number }).filter((l) => l.loss !== undefined).map((l) => l.step);
};
const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as StudyResults;

describe("transseg-bench run preempted by SIGTERM", () => {
  it("saves the running job, exits 75; the same run again resumes it and matches an uninterrupted run", async () => {
    const root = mkdtempSync(join(tmpdir(), "bench-preempt-"));
    const whole = await bench(join(root, "whole")).done;
    expect(whole.code, whole.stderr).toBe(0);

    const dir = join(root, "preempted");
    const first = bench(dir);
    // SIGTERM once the second job has trained 10 of its 30 steps (the quick budget logs every 5)
    for (let i = 0; i < 6000 && stepsLogged(dir).length < 2; i++) {
      if (first.child.exitCode !== null) throw new Error(`the run ended before the second job trained: ${(await first.done).stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill("SIGTERM");
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(75);
    expect(stopped.stdout).toMatch(new RegExp(`^1 job\\(s\\) run, 0 kept, .*; 1 missing; interrupted in ${SECOND} at step (\\d+) \\(state saved\\), 0 not started`));
    const at = Number(/at step (\d+)/.exec(stopped.stdout)![1]);
    expect(at).toBeGreaterThanOrEqual(10);
    expect(at).toBeLessThan(STEPS);
    expect(stopped.stderr).toContain("SIGTERM: stopping after the running job's current step");

    const again = await bench(dir).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^1 job\(s\) run, 1 kept, .*; 0 missing/);
    expect(again.stderr).toContain("Task04_Hippocampus/random/s0: finished earlier, kept");
    expect(again.stderr).toContain(`${SECOND}: resuming its run folder from step ${at}`);
    expect(stepsLogged(dir)).toEqual(Array.from({ length: STEPS / 5 }, (_, i) => 5 * (i + 1)));
    expect(withoutTiming(readResults(dir))).toEqual(withoutTiming(readResults(join(root, "whole"))));
    // the training continued exactly: the same loss at every logged step (sources edited between the two runs would show here)
    const curve = (d: string) => (JSON.parse(readFileSync(join(d, "jobs", jobFileName(SECOND)), "utf8")) as JobFile).extras.curve;
    expect(curve(dir)).toEqual(curve(join(root, "whole")));
    process.stdout.write(`preempted at step ${at} of ${STEPS}; ${SECOND} mean Dice ${readResults(dir).jobs.find((j) => j.key === SECOND)!.meanDice} (uninterrupted: ${readResults(join(root, "whole")).jobs.find((j) => j.key === SECOND)!.meanDice})\n`);
  }, 900_000);
});
