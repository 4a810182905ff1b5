/**
 * An interrupted study (the abort signal that SIGTERM / SIGUSR1 / Ctrl-C raise in the CLI) in
 * one process: the running job stops after a step with its state saved, the run says which job it
 * was; the same run again keeps the finished job, resumes the interrupted one from its saved step,
 * and writes the results.json of an uninterrupted run (timing aside). The same with real signals
 * and processes: `interrupt.slow.test.ts`.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend, STATE_FILE } from "@transseg/vit3d";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinBudgets, type StudyBudget } from "./budgets.js";
import { EXIT_INTERRUPTED, JobInterrupted, onStopSignals } from "./interrupt.js";
import { jobFileName, withoutTiming, type JobFile, type StudyResults } from "./results.js";
import { jobRunDir } from "./run-job.js";
import { runStudy } from "./run-study.js";

const tinyBudget = {
  id: "tiny",
  description: "unit-test budget",
  train: { img: [32, 32], steps: 8, batch: 1, lr: 1e-3, warmup: 1, dropout: 0, foregroundProbability: 0.9, valEvery: 4, valCases: 1, saveEvery: 100, logEvery: 1, workers: 0 },
  randomEncoder: { kind: "beit", dim: 16, depth: 2, heads: 2, mlp_ratio: 2, patch: 8 },
  randomPreset: null,
  synth: { cases: 5, size: 32, depth: 6 },
  seeds: [3],
  sources: [],
  reason: "unit tests",
  predictBatch: 8,
  processes: 1,
} as const satisfies StudyBudget;

const registries = { budgets: { ...builtinBudgets, tiny: tinyBudget } };
const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as StudyResults;
const SECOND = "Task05_Prostate/random/s3";
const loggedSteps = (dir: string) => {
  const file = join(jobRunDir(dir, SECOND), "metrics.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { step: number; loss?: number }).filter((l) => l.loss !== undefined).map((l) => l.step);
};

describe("an interrupted study resumes", () => {
  const root = mkdtempSync(join(tmpdir(), "bench-interrupt-"));
  const common = { budget: "tiny", datasets: ["Task04_Hippocampus", "Task05_Prostate"], variants: ["random"], backend: "wasm", threads: 1, registries };

  beforeAll(async () => {
    await initBackend("wasm", { threads: 1 });
  });

  it("stops the running job after a step with its state saved, keeps finished jobs and resumes it: results.json as uninterrupted", async () => {
    const whole = join(root, "whole");
    const ref = await runStudy({ ...common, out: whole, log: () => {} });
    expect(ref.interrupted).toBeUndefined();

    const dir = join(root, "interrupted");
    const controller = new AbortController();
    // abort once the second job has logged 3 steps (of 8): mid-job, as a signal would
    const poll = setInterval(() => loggedSteps(dir).length >= 3 && controller.abort("SIGTERM"), 5);
    const first = await runStudy({ ...common, out: dir, log: () => {}, signal: controller.signal }).finally(() => clearInterval(poll));
    expect(first.ran).toEqual(["Task04_Hippocampus/random/s3"]);
    expect(first.interrupted?.key).toBe(SECOND);
    const stoppedAt = first.interrupted!.step!;
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(8);
    expect(first.interrupted?.notStarted).toEqual([]);
    expect(first.results.missing).toEqual([SECOND]);
    expect(existsSync(join(jobRunDir(dir, SECOND), STATE_FILE))).toBe(true);
    expect(existsSync(join(jobRunDir(dir, SECOND), "run.lock"))).toBe(false);

    const lines: string[] = [];
    const again = await runStudy({ ...common, out: dir, log: (m) => lines.push(m) });
    expect(again.reused).toEqual(["Task04_Hippocampus/random/s3"]);
    expect(again.ran).toEqual([SECOND]);
    expect(again.interrupted).toBeUndefined();
    expect(lines).toContain(`${SECOND}: resuming its run folder from step ${stoppedAt}`);
    // every step trained and logged once: the resumed run continued, it did not start over
    expect(loggedSteps(dir)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(withoutTiming(readResults(dir))).toEqual(withoutTiming(readResults(whole)));
    // the training itself continued exactly: the same loss at every step, the same validation
    const extras = (d: string) => (JSON.parse(readFileSync(join(d, "jobs", jobFileName(SECOND)), "utf8")) as JobFile).extras;
    expect(extras(dir).curve).toEqual(extras(whole).curve);
    expect(extras(dir).curve).toHaveLength(8);
    expect(extras(dir).validation).toEqual(extras(whole).validation);
  }, 300_000);

  it("an abort before a job starts stops the run there, naming the jobs not started", async () => {
    const controller = new AbortController();
    controller.abort("SIGUSR1");
    const r = await runStudy({ ...common, out: join(root, "early"), log: () => {}, signal: controller.signal });
    expect(r.ran).toEqual([]);
    expect(r.interrupted).toEqual({ key: null, step: null, notStarted: ["Task04_Hippocampus/random/s3", SECOND] });
  }, 60_000);

  it("signal handlers: the first signal aborts (its name the reason), later ones only log; exit code 75 as train's", () => {
    const logs: string[] = [];
    const forwarded: string[] = [];
    const before = process.listenerCount("SIGUSR1");
    const stop = onStopSignals((m) => logs.push(m), (s) => forwarded.push(s));
    try {
      process.emit("SIGUSR1", "SIGUSR1");
      process.emit("SIGTERM", "SIGTERM");
      expect(stop.signal.aborted).toBe(true);
      expect(stop.signal.reason).toBe("SIGUSR1");
      expect(stop.received()).toBe("SIGUSR1");
      expect(forwarded).toEqual(["SIGUSR1"]);
      expect(logs).toHaveLength(2);
      expect(logs[1]).toMatch(/^SIGTERM: still saving/);
    } finally {
      stop.dispose();
    }
    expect(process.listenerCount("SIGUSR1")).toBe(before);
    expect(EXIT_INTERRUPTED).toBe(75);
    expect(new JobInterrupted("a/b/s1", 4).message).toBe("a/b/s1: interrupted at step 4 (the training state is saved)");
  });
});
