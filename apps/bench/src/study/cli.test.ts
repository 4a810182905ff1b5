import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
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
    expect(io.out()).toContain("shard 0/2: ACDC/random/s3\nshard 1/2: Task09_Spleen/random/s3\n");
    const array = readFileSync(join(dir, "slurm", "array.sbatch"), "utf8");
    expect(array).toContain("#SBATCH --array=0-1\n");
    expect(array).toContain("#SBATCH --time=01:00:00\n");
    expect(array).toContain(`transseg-bench run --datasets ACDC,Task09_Spleen --variants random --seed 3 -o ${dir}/shards/shard-\${SLURM_ARRAY_TASK_ID} --shard \${SLURM_ARRAY_TASK_ID}/2`);
    expect(readFileSync(join(dir, "slurm", "merge.sbatch"), "utf8")).toContain(`transseg-bench merge ${dir}/shards/shard-0 ${dir}/shards/shard-1 -o ${dir}`);
    expect(statSync(join(dir, "slurm", "submit.sh")).mode & 0o111).not.toBe(0);
  });

  it("fails with one line naming what is wrong", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-plan-"));
    mkdirSync(join(dir, "old"));
    writeFileSync(join(dir, "old", "study.json"), JSON.stringify({ format: "transseg-study/1", seed: 0 }));
    const cases: [string[], RegExp][] = [
      [["merge", join(dir, "old"), "-o", join(dir, "m")], /old\/study\.json: format is "transseg-study\/1", expected "transseg-study\/2" \(a study of another transseg-bench version; run it again into a new folder\)/],
      [["run", "--datasets", "ACDC"], /run: -o <dir> is required/],
      [["run", "-o", dir, "--budget", "quik"], /unknown budget "quik": did you mean "quick"\? \(known: quick, standard, paper, quick-swin\)/],
      [["plan", "--seed", "1", "--seeds", "0,1"], /--seed and --seeds exclude each other/],
      [["plan", "--seeds", "0,0"], /--seeds: a seed is given twice/],
      [["plan", "--pretrained", "natual"], /unknown bundled encoder "natual": did you mean "natural"\?/],
      [["plan", "--pretrained", "a.pth,b.pth"], /--pretrained: name each of several checkpoints/],
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

  it("plan runs every job once per seed and the checkpoint variants once per named source", async () => {
    const io = capture();
    const code = await main(["plan", "--shards", "2", "--datasets", "ACDC", "--seeds", "0,1", "--pretrained", "medical,natural"]);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const keys = io.out().split("\n").filter(Boolean).flatMap((l) => l.replace(/^shard \d\/2: /, "").split(", "));
    expect(keys.sort()).toEqual(["ACDC/2d@medical/s0", "ACDC/2d@medical/s1", "ACDC/2d@natural/s0", "ACDC/2d@natural/s1", "ACDC/ours@medical/s0", "ACDC/ours@medical/s1", "ACDC/ours@natural/s0", "ACDC/ours@natural/s1", "ACDC/random/s0", "ACDC/random/s1"]);
  });

  it("run --help (and merge, plan) prints the usage and exits 0", async () => {
    for (const command of ["run", "merge", "plan"]) {
      const io = capture();
      expect(await main([command, "--help"])).toBe(0);
      expect(io.out()).toContain("--seeds 0,1,2 | --seed n");
      expect(io.out()).toContain("--budget quick|standard|paper|quick-swin");
      expect(io.out()).toContain("medical | natural | swin-medical | name=<ckpt>");
      expect(io.out()).toContain("[--encoder beit|swin]");
      expect(io.err()).toBe("");
      vi.restoreAllMocks();
    }
  });

  describe("--plugin and the initialisation ablation", () => {
    const plugin = (name: string) => resolve(import.meta.dirname, "../../../cli/test-plugins", name);

    it("--strategies without --datasets is the paper's ablation on BTCV; a plugin's strategy is a column of it", async () => {
      const io = capture();
      expect(await main(["plan", "--strategies", "center,average,triangle", "--variants", "ours", "--plugin", plugin("triangle.ts")])).toBe(0);
      expect(io.out()).toBe("shard 0/1: BTCV/ours@medical/s0, BTCV/ours-average@medical/s0, BTCV/ours-triangle@medical/s0\n");
      expect(io.err()).toMatch(/^plugin triangle\.ts \(sha256 [0-9a-f]{12}…\): inflation strategy triangle\n$/);
      vi.restoreAllMocks();
      const without = capture();
      expect(await main(["plan", "--strategies", "center,triangle"])).toBe(1);
      expect(without.err()).toMatch(/^transseg-bench: unknown inflation strategy "triangle".*\(known: center, average, repeat, gaussian\)\n$/);
    });

    it("plan --slurm passes each plugin on to the shards by absolute path", async () => {
      const dir = mkdtempSync(join(tmpdir(), "bench-plan-plugin-"));
      capture();
      expect(await main(["plan", "--slurm", "--shards", "2", "-o", dir, "--strategies", "triangle", "--variants", "ours", "--plugin", plugin("triangle.ts")])).toBe(0);
      expect(readFileSync(join(dir, "slurm", "array.sbatch"), "utf8")).toContain(`--variants ours --strategies triangle --plugin ${plugin("triangle.ts")} -o `);
    });

    it("refuses a strategy that breaks the kit and a module that exports nothing usable, in one line", async () => {
      for (const [name, message] of [
        ["mutating-strategy.ts", /^transseg-bench: plugin .*mutating-strategy\.ts: export "halve": inflation strategy "halve" fails its conformance rules: input untouched: /],
        ["nothing.ts", /^transseg-bench: plugin .*nothing\.ts: exports nothing usable: /],
      ] as const) {
        const io = capture();
        expect(await main(["run", "-o", mkdtempSync(join(tmpdir(), "bench-bad-plugin-")), "--strategies", "center", "--plugin", plugin(name)])).toBe(1);
        expect(io.err()).toMatch(message);
        expect(io.err().trim().split("\n")).toHaveLength(1);
        vi.restoreAllMocks();
      }
    });
  });
});
