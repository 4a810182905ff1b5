import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../main.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(""), err: () => err.join("") };
}

describe("transseg-bench run / merge / plan (command line)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("plan --slurm prints each shard's jobs and writes the array, merge and submit scripts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-plan-"));
    const io = capture();
    const code = await main(["plan", "--slurm", "--shards", "2", "-o", dir, "--datasets", "ACDC,Task09_Spleen", "--variants", "random", "--seed", "3", "--time", "01:00:00"]);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(io.out()).toContain("shard 0/2: ACDC/random\nshard 1/2: Task09_Spleen/random\n");
    const array = readFileSync(join(dir, "slurm", "array.sbatch"), "utf8");
    expect(array).toContain("#SBATCH --array=0-1\n");
    expect(array).toContain("#SBATCH --time=01:00:00\n");
    expect(array).toContain(`transseg-bench run --datasets ACDC,Task09_Spleen --variants random --seed 3 -o ${dir}/shards/shard-\${SLURM_ARRAY_TASK_ID} --shard \${SLURM_ARRAY_TASK_ID}/2`);
    expect(readFileSync(join(dir, "slurm", "merge.sbatch"), "utf8")).toContain(`transseg-bench merge ${dir}/shards/shard-0 ${dir}/shards/shard-1 -o ${dir}`);
    expect(statSync(join(dir, "slurm", "submit.sh")).mode & 0o111).not.toBe(0);
  });

  it("fails with one line naming what is wrong", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-plan-"));
    const cases: [string[], RegExp][] = [
      [["run", "--datasets", "ACDC"], /run: -o <dir> is required/],
      [["run", "-o", dir, "--budget", "quik"], /unknown budget "quik": did you mean "quick"\? \(known: quick, paper\)/],
      [["run", "-o", dir, "--shard", "3/3"], /--shard: expected i\/n with 0 <= i < n/],
      [["plan", "--budget", "paper", "--datasets", "ACDC"], /budget "paper" needs --pretrained/],
      [["plan", "--pretrained", join(dir, "nope.pth")], /nope\.pth: pre-trained checkpoint not found/],
      [["merge", join(dir, "nothing"), "-o", join(dir, "m")], /nothing\/study\.json: not found \(not a transseg-bench study folder\)/],
    ];
    for (const [args, message] of cases) {
      const io = capture();
      expect(await main(args)).toBe(1);
      expect(io.err()).toMatch(message);
      expect(io.err().trim().split("\n")).toHaveLength(1);
      vi.restoreAllMocks();
    }
    expect(existsSync(join(dir, "study.json"))).toBe(false);
  });
});
