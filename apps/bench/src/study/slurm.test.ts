import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellQuote, slurmScripts } from "./slurm.js";

describe("slurm plan", () => {
  const s = slurmScripts({ out: "/scratch/study", shards: 4, runArgs: ["--budget", "paper", "--pretrained", "/ck/beit base.pth"], time: "12:00:00", cpus: 8, partition: "gpu" });

  it("writes one array task per shard, each running its shard into its own folder", () => {
    expect(s.array).toContain("#SBATCH --array=0-3\n");
    expect(s.array).toContain("#SBATCH --partition=gpu\n#SBATCH --cpus-per-task=8\n#SBATCH --time=12:00:00\n");
    expect(s.array).toContain("transseg-bench run --budget paper --pretrained '/ck/beit base.pth' -o /scratch/study/shards/shard-${SLURM_ARRAY_TASK_ID} --shard ${SLURM_ARRAY_TASK_ID}/4 &\n"); // in the background: the script forwards signals to it
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

  it("asks Slurm for USR1 300 s before the limit and allows requeueing", () => {
    expect(s.array).toContain("#SBATCH --signal=B:USR1@300\n#SBATCH --requeue\n#SBATCH --open-mode=append\n");
    expect(slurmScripts({ out: "/s", shards: 1, runArgs: [], signalSeconds: 600 }).array).toContain("#SBATCH --signal=B:USR1@600\n");
    expect(() => slurmScripts({ out: "/s", shards: 1, runArgs: [], signalSeconds: 0 })).toThrow(/signal time/);
  });
});

/**
 * The array script run by bash as Slurm would run it, with a stub `scontrol` on PATH and a stub
 * `transseg-bench` that, like the real one, saves on USR1 / TERM and exits 75.
 */
describe("slurm array script under bash (stub scontrol and run command)", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-slurm-"));
  const events = join(dir, "events.log");
  const stub = (name: string, body: string) => {
    const file = join(dir, "bin", name);
    writeFileSync(file, `#!/bin/bash\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  spawnSync("mkdir", ["-p", join(dir, "bin")]);
  stub("scontrol", `echo "scontrol $*" >> ${shellQuote(events)}`);
  // the run: says it started, then either finishes (RUN_FINISHES=1) or runs until a signal, saves (slowly) and exits 75
  const run = stub(
    "fake-bench",
    [
      `log=${shellQuote(events)}`,
      `save() { echo "run got $1, saving" >> "$log"; sleep 0.5; echo "run saved" >> "$log"; exit 75; }`,
      "trap 'save USR1' USR1",
      "trap 'save TERM' TERM",
      'echo "run started: $*" >> "$log"',
      '[ "${RUN_FINISHES:-0}" = 1 ] && { echo "run finished" >> "$log"; exit 0; }',
      "while :; do sleep 0.05; done",
    ].join("\n"),
  );
  const array = slurmScripts({ out: join(dir, "study"), shards: 2, runArgs: ["--budget", "quick"], command: run }).array;
  writeFileSync(join(dir, "array.sbatch"), array);

  async function runTask(signal: NodeJS.Signals | null, env: Record<string, string> = {}): Promise<{ code: number | null; events: string[] }> {
    writeFileSync(events, "");
    const child = spawn("bash", [join(dir, "array.sbatch")], { env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, SLURM_JOB_ID: "4242", SLURM_ARRAY_TASK_ID: "1", ...env }, stdio: ["ignore", "ignore", "pipe"] });
    const done = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    if (signal) {
      for (let i = 0; i < 200 && !readFileSync(events, "utf8").includes("run started"); i++) await new Promise((r) => setTimeout(r, 25));
      child.kill(signal); // to the batch script only, as --signal=B: does
    }
    const code = await done;
    return { code, events: readFileSync(events, "utf8").trim().split("\n") };
  }

  it("USR1: forwards it to the run, waits for it to save, then requeues the task and exits 75", async () => {
    const r = await runTask("SIGUSR1");
    expect(r.code).toBe(75);
    expect(r.events).toEqual([`run started: run --budget quick -o ${join(dir, "study", "shards")}/shard-1 --shard 1/2`, "run got USR1, saving", "run saved", "scontrol requeue 4242"]);
  }, 20_000);

  it("TERM (preemption, scancel): forwarded and waited for, but no requeue from the script", async () => {
    const r = await runTask("SIGTERM");
    expect(r.code).toBe(75);
    expect(r.events.slice(1)).toEqual(["run got TERM, saving", "run saved"]);
  }, 20_000);

  it("a run that finishes exits with its code and is not requeued", async () => {
    const r = await runTask(null, { RUN_FINISHES: "1" });
    expect(r.code).toBe(0);
    expect(r.events.slice(1)).toEqual(["run finished"]);
    expect(existsSync(events)).toBe(true);
  }, 20_000);
});
