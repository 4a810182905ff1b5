import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runParallel } from "./parallel.js";
import type { StudyResults } from "./results.js";

const bin = fileURLToPath(new URL("../bin.ts", import.meta.url));

describe("run --jobs (local shard processes)", () => {
  it("runs one shard per process and merges them: every job once, none missing", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-parallel-"));
    const lines: string[] = [];
    const r = await runParallel({
      out,
      jobs: 2,
      runArgs: ["--datasets", "Task04_Hippocampus", "--variants", "2d,random", "--steps", "2", "--threads", "1"],
      command: [process.execPath, "--import", "tsx", "--conditions=source", bin],
      log: (m) => lines.push(m),
    });
    expect(r.failed).toEqual([]);
    expect(r.sources).toEqual({ "Task04_Hippocampus/2d@medical/s0": join(out, "shards", "shard-0"), "Task04_Hippocampus/random/s0": join(out, "shards", "shard-1") });
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as StudyResults;
    expect(results.jobs.map((j) => [j.key, j.steps])).toEqual([["Task04_Hippocampus/2d@medical/s0", 2], ["Task04_Hippocampus/random/s0", 2]]);
    expect(results.missing).toEqual([]);
    expect(lines.some((l) => l.startsWith("[shard 1] study: 1 of 2 jobs (shard 1/2)"))).toBe(true);
  }, 180_000);
});
