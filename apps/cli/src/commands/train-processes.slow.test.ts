/**
 * `transseg train` as separate processes, as on a cluster: a second train (or --resume) on a
 * folder in use is refused by name; after kill -9 of the holder, --resume takes over its stale
 * lock; real SIGTERM and SIGUSR1 save and exit 75; the last --resume completes the run with
 * every step logged once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readSafetensors } from "@transseg/weights";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, scratch } from "../test-helpers.js";

const repo = resolve(import.meta.dirname, "../../../..");
const bin = join(repo, "apps/cli/src/bin.ts");
const dir = scratch("cli-train-procs-");
const data = join(dir, "data");
const run = join(dir, "run");
const STEPS = 40;
const common = ["--backend", "wasm", "--threads", "1", "--quiet"];

beforeAll(async () => {
  expect((await cli("synth", "--task", "Task09_Spleen", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet")).code).toBe(0);
}, 60_000);

interface Proc { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> }

/** `transseg <args>` as its own node process (tsx as a loader, so the pid is the trainer's). */
function transseg(...args: string[]): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", bin, ...args], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  return { child, done: new Promise((r) => child.on("exit", (code, signal) => r({ code, signal, stdout, stderr }))) };
}

const logged = () => (existsSync(join(run, "metrics.jsonl")) ? readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { step: number; loss?: number }) : []);
const savedStep = () => (JSON.parse(readSafetensors(join(run, "state.safetensors")).metadata.train_state!) as { step: number }).step;

async function until(what: string, ok: () => boolean, proc?: Proc): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (ok()) return;
    if (proc && proc.child.exitCode !== null) throw new Error(`the trainer exited before ${what}: ${(await proc.done).stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("train processes on one run folder", () => {
  it("refuses a second writer, takes over after kill -9, stops cleanly on SIGTERM / SIGUSR1, and completes", async () => {
    const first = transseg("train", "--data", data, "--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "-o", run, "--steps", String(STEPS), "--batch", "1", "--val-every", "0", "--save-every", "2", "--log-every", "1", "--workers", "0", ...common);
    await until("step 3", () => logged().length >= 3, first);

    const [refused, resumeRefused] = await Promise.all([
      transseg("train", "--data", data, "--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "-o", run, "--steps", String(STEPS), ...common).done,
      transseg("train", "--resume", run, ...common).done,
    ]);
    expect(first.child.exitCode).toBeNull(); // still training
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^transseg: ${run}: the run folder is in use by transseg train \\(pid ${first.child.pid} on host [^,]+, started [^,]+, heartbeat \\d+ s ago\\)`));
    expect(resumeRefused.code).toBe(1);
    expect(resumeRefused.stderr).toMatch(new RegExp(`in use by transseg train \\(pid ${first.child.pid} `));

    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    expect(existsSync(join(run, "run.lock"))).toBe(true); // left behind: stale now
    const killedAt = savedStep();

    for (const signal of ["SIGTERM", "SIGUSR1"] as const) {
      const before = logged().filter((l) => l.loss !== undefined).length;
      const resumed = transseg("train", "--resume", run, ...common);
      await until(`a step after resuming (${signal})`, () => logged().filter((l) => l.loss !== undefined).length > before + 1, resumed);
      resumed.child.kill(signal);
      const r = await resumed.done;
      expect(r.code, r.stderr).toBe(75);
      expect(r.stdout).toMatch(/: aborted at step \d+/);
      expect(existsSync(join(run, "run.lock"))).toBe(false);
      expect(savedStep()).toBeGreaterThan(killedAt);
    }

    const last = await transseg("train", "--resume", run, ...common).done;
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(new RegExp(`completed at step ${STEPS}`));
    expect(logged().filter((l) => l.loss !== undefined).map((l) => l.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(existsSync(join(run, "run.lock"))).toBe(false);
  }, 600_000);
});
