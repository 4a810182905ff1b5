import { readSafetensors } from "@transseg/weights";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyRunOptions, tinySpleenDataset } from "./testing-data.js";

// kill -9 in the middle of a run, then resume: the run ends at the requested step count, every
// step is logged exactly once, and the final weights equal those of an uninterrupted run.
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "../../../..");
// node itself with tsx as a loader: killing a `tsx` wrapper would leave its node child running
const nodeArgs = ["--import", "tsx", "--conditions=source"];
const child = join(here, "testing/train-child.ts");

let data = "";
beforeAll(async () => {
  data = await tinySpleenDataset();
});
afterAll(() => rmSync(dirname(data), { recursive: true, force: true }));

function runChild(args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, child, ...args], { encoding: "utf8", cwd: repo });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { status: r.status, stdout: r.stdout };
}

describe("kill -9 and resume", () => {
  it("a killed run resumes and finishes exactly like an uninterrupted one", async () => {
    const runs = join(dirname(data), "runs");
    mkdirSync(runs, { recursive: true });
    const steps = 24;
    const opts = (out: string) => tinyRunOptions(data, out, { steps, saveEvery: 5, logEvery: 1 });
    const straightFile = join(runs, "straight.json");
    writeFileSync(straightFile, JSON.stringify(opts(join(runs, "straight"))));
    runChild([straightFile]);

    const killedDir = join(runs, "killed");
    const killedFile = join(runs, "killed.json");
    writeFileSync(killedFile, JSON.stringify(opts(killedDir)));
    const proc = spawn(process.execPath, [...nodeArgs, child, killedFile], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    // kill after step 13: the last state is the one of step 10, steps 11–13 are lost and redone
    await new Promise<void>((resolve, reject) => {
      let out = "";
      proc.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (/step 13\n/.test(out)) {
          proc.kill("SIGKILL");
          resolve();
        }
      });
      proc.on("exit", (code) => reject(new Error(`child exited (${code}) before step 13: ${out}`)));
    });
    await new Promise((r) => proc.on("exit", r));
    const state = JSON.parse(readSafetensors(join(killedDir, "state.safetensors")).metadata.train_state!) as { step: number };
    expect(state.step).toBe(10);
    expect(existsSync(join(killedDir, "last.safetensors"))).toBe(true);

    const resumed = runChild(["--resume", killedDir]);
    expect(resumed.stdout).toMatch(/^step 11\n/);
    expect(resumed.stdout).toContain(`done ${steps} completed`);
    const lines = readFileSync(join(killedDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { step: number; loss?: number });
    expect(lines.filter((l) => l.loss !== undefined).map((l) => l.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    const a = readSafetensors(join(runs, "straight", "last.safetensors")).tensors;
    const b = readSafetensors(join(killedDir, "last.safetensors")).tensors;
    for (const [name, e] of a) expect(Buffer.compare(Buffer.from(e.read().buffer), Buffer.from(b.get(name)!.read().buffer)), name).toBe(0);
  }, 600_000);
});
