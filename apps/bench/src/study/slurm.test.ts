import { describe, expect, it } from "vitest";
import { shellQuote, slurmScripts } from "./slurm.js";

describe("slurm plan", () => {
  const s = slurmScripts({ out: "/scratch/study", shards: 4, runArgs: ["--budget", "paper", "--pretrained", "/ck/beit base.pth"], time: "12:00:00", cpus: 8, partition: "gpu" });

  it("writes one array task per shard, each running its shard into its own folder", () => {
    expect(s.array).toContain("#SBATCH --array=0-3\n");
    expect(s.array).toContain("#SBATCH --partition=gpu\n#SBATCH --cpus-per-task=8\n#SBATCH --time=12:00:00\n");
    expect(s.array).toContain("transseg-bench run --budget paper --pretrained '/ck/beit base.pth' -o /scratch/study/shards/shard-${SLURM_ARRAY_TASK_ID} --shard ${SLURM_ARRAY_TASK_ID}/4\n");
    expect(s.array.startsWith("#!/bin/bash\n")).toBe(true);
  });

  it("merges every shard folder once the array has ended", () => {
    expect(s.merge).toContain("transseg-bench merge /scratch/study/shards/shard-0 /scratch/study/shards/shard-1 /scratch/study/shards/shard-2 /scratch/study/shards/shard-3 -o /scratch/study\n");
    expect(s.submit).toContain('sbatch --parsable --dependency=afterany:"$array" "$here/merge.sbatch"');
    expect(() => slurmScripts({ out: "x", shards: 0, runArgs: [] })).toThrow(/--shards/);
  });

  it("quotes for the shell", () => {
    expect(shellQuote("a/b-c.d")).toBe("a/b-c.d");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
