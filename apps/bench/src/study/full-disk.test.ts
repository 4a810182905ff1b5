/**
 * A disk that fills up while a study writes its results (a job's file, results.json, the
 * report): the write fails with one line naming the file, the previous file is intact and no
 * temporary file is left. The failure is injected into node:fs (ENOSPC once `allow` bytes fit).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeFileAtomic, writeJsonAtomic } from "./atomic.js";
import { main } from "../main.js";
import { JOB_FORMAT, jobFileName } from "./results.js";
import { sampleResults } from "./testing-results.js";

const disk = vi.hoisted(() => ({ match: null as RegExp | null, allow: 0, failures: 0 }));
vi.mock("node:fs", async (original) => (await import("@transseg/weights/testing/full-disk")).fullDiskFs(await original(), disk));
afterEach(() => void (disk.match = null));

const message = (path: string) => `${path}: cannot write (no space left on device, ENOSPC); the previous file, if any, is unchanged`;

describe("study result writes on a full disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-full-disk-"));

  for (const allow of [0, 100]) {
    it(`a job file and results.json (disk full after ${allow} bytes): one line, previous file intact, no temporary file`, () => {
      const jobs = join(dir, `a${allow}`, "jobs");
      mkdirSync(jobs, { recursive: true });
      const job = join(jobs, "Task09_Spleen__random__s0.json");
      const results = join(dir, `a${allow}`, "results.json");
      writeJsonAtomic(job, { previous: true });
      writeFileAtomic(results, "previous results\n");
      Object.assign(disk, { match: /\.tmp$/, allow, failures: 0 });
      expect(() => writeJsonAtomic(job, { next: "x".repeat(10_000) })).toThrow(message(job));
      expect(() => writeFileAtomic(results, "y".repeat(10_000))).toThrow(message(results));
      expect(disk.failures).toBe(2);
      expect(JSON.parse(readFileSync(job, "utf8"))).toEqual({ previous: true });
      expect(readFileSync(results, "utf8")).toBe("previous results\n");
      expect(readdirSync(jobs)).toEqual(["Task09_Spleen__random__s0.json"]);
      expect(readdirSync(join(dir, `a${allow}`)).sort()).toEqual(["jobs", "results.json"]);
    });
  }

  it("transseg-bench merge: exits 1 with the one line naming results.json, which keeps its previous content", async () => {
    // a shard folder of the sample study (study.json and its job files)
    const { results, extras } = sampleResults({ datasets: ["Task09_Spleen"], seeds: [0] });
    const shard = join(dir, "shard");
    writeJsonAtomic(join(shard, "study.json"), results.settings);
    const writeJobs = (dice: number) => results.jobs.forEach((job, i) => writeJsonAtomic(join(shard, "jobs", jobFileName(job.key)), { format: JOB_FORMAT, result: { ...job, meanDice: dice }, extras: extras[i] }));
    writeJobs(0.5);
    const out = join(dir, "merged");
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
    try {
      expect(await main(["merge", shard, "-o", out])).toBe(0);
      const before = readFileSync(join(out, "results.json"), "utf8");
      writeJobs(0.25); // new results, then the disk fills up as results.json is written
      Object.assign(disk, { match: /results\.json\.\d+\.tmp$/, allow: 1000, failures: 0 });
      expect(await main(["merge", shard, "-o", out])).toBe(1);
      expect(disk.failures).toBe(1);
      expect(stderr.join("")).toBe(`transseg-bench: ${message(join(out, "results.json"))}\n`);
      expect(readFileSync(join(out, "results.json"), "utf8")).toBe(before);
      expect(readdirSync(out).filter((f) => f.includes(".tmp"))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
