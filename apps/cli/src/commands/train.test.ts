import { existsSync, readFileSync } from "node:fs";
import { readSafetensors } from "@transseg/weights";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES, scratch } from "../test-helpers.js";

const dir = scratch("cli-train-");
const data = join(dir, "data");
const common = ["--steps", "2", "--batch", "2", "--val-every", "2", "--save-every", "2", "--log-every", "1", "--backend", "wasm", "--threads", "1", "--workers", "0", "--quiet"];

beforeAll(async () => {
  const r = await cli("synth", "--task", "Task09_Spleen", "-o", data, "--cases", "4", "--test-cases", "0", "--size", "32", "--quiet");
  expect(r.code).toBe(0);
}, 60_000);

function lines(run: string): Record<string, unknown>[] {
  return readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

describe("transseg train", () => {
  it("--init random --encoder beit-tiny: writes the run folder, then --resume completes it", async () => {
    const run = join(dir, "random");
    const r = await cli("train", "--data", data, "--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "-o", run, ...common);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: completed at step 2 in [\d.]+ s; best validation Dice [\d.]+ at step 2\n$/);
    for (const f of ["run.json", "metrics.jsonl", "best.safetensors", "last.safetensors"]) expect(existsSync(join(run, f)), f).toBe(true);
    const log = lines(run);
    expect(log[0]).toEqual({ step: 1, loss: expect.any(Number), lr: expect.any(Number), seconds: expect.any(Number) });
    expect(log.at(-1)).toMatchObject({ step: 2, val_dice: expect.any(Number), val_dice_per_class: { "1": expect.any(Number) } });
    const again = await cli("train", "--resume", run, "--backend", "wasm", "--threads", "1", "--quiet");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/completed at step 2/);
  }, 120_000);

  it.skipIf(!HAS_FIXTURES)("--variant 2d from a 2D checkpoint, and img from an inflated checkpoint's metadata", async () => {
    const twoD = join(dir, "twod");
    const r = await cli("train", "--data", data, "--init", fixture("beit2d.pth"), "--variant", "2d", "--img", "32x32", "-o", twoD, ...common);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const inflated = join(dir, "inflated.safetensors");
    expect((await cli("inflate", fixture("vit2d.safetensors"), "-o", inflated, "--img", "64x64", "--quiet")).code).toBe(0);
    const ours = join(dir, "ours");
    const o = await cli("train", "--data", data, "--init", inflated, "--heads", "4", "-o", ours, ...common);
    expect(o.code).toBe(0);
    expect(JSON.parse(readFileSync(join(ours, "run.json"), "utf8")).options.img).toEqual([64, 64]);
  }, 120_000);

  it("SIGTERM and SIGUSR1 save the state after the current step and exit 75; --resume finishes the run", async () => {
    const run = join(dir, "signals");
    const lineCount = () => (existsSync(join(run, "metrics.jsonl")) ? readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").length : 0);
    /** Sends `signal` (as the OS would, to this process's listeners) once the run has logged more than `after` lines. */
    const signalAfter = (signal: NodeJS.Signals, after: number) => {
      const timer = setInterval(() => {
        if (lineCount() <= after) return;
        clearInterval(timer);
        process.emit(signal, signal);
      }, 10);
      return timer;
    };
    const args = ["--steps", "6", "--batch", "1", "--val-every", "0", "--save-every", "100", "--log-every", "1", "--backend", "wasm", "--threads", "1", "--workers", "0", "--quiet"];
    let timer = signalAfter("SIGTERM", 0);
    const first = await cli("train", "--data", data, "--init", "random", "--encoder", "beit-tiny", "--img", "32x32", "-o", run, ...args);
    clearInterval(timer);
    expect(first.code).toBe(75);
    expect(first.stdout).toMatch(/: aborted at step \d+ in/);
    const stepOf = () => (JSON.parse(readSafetensors(join(run, "state.safetensors")).metadata.train_state!) as { step: number }).step;
    const saved = stepOf();
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(6);
    expect(existsSync(join(run, "run.lock"))).toBe(false);

    const before = lineCount();
    timer = signalAfter("SIGUSR1", before);
    const second = await cli("train", "--resume", run, "--backend", "wasm", "--threads", "1", "--quiet");
    clearInterval(timer);
    expect(second.code).toBe(75);
    expect(stepOf()).toBeGreaterThan(saved);

    const last = await cli("train", "--resume", run, "--backend", "wasm", "--threads", "1", "--quiet");
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/completed at step 6/);
    expect(lines(run).filter((l) => "loss" in l).map((l) => l.step)).toEqual(Array.from({ length: 6 }, (_, i) => i + 1));
  }, 180_000);

  it("bad usage exits 2 with one line", async () => {
    const missing = await cli("train", "--data", data, "--init", "/nonexistent/x.pth", "-o", join(dir, "bad"), "--backend", "cpu", "--quiet");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/x\.pth: no such file/);
    const noData = await cli("train", "--init", "random", "-o", join(dir, "bad"));
    expect(noData.code).toBe(2);
    expect(noData.stderr).toBe("transseg: missing --data\n");
  });
});
