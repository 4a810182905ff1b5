/**
 * Every command of both CLIs answers `--help` and `-h` with its usage on stdout, nothing on
 * stderr, and exit code 0 (in-process: the registries are walked, so a new command is covered).
 */
import { builtinCommands, main as transseg, type CliIO } from "@transseg/cli";
import { afterEach, describe, expect, it, vi } from "vitest";
import { builtinBenchCommands } from "./commands/index.js";
import { main as transsegBench } from "./main.js";

async function runTransseg(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false };
  const code = await transseg(argv, io);
  return { code, stdout, stderr };
}

async function runBench(argv: string[]) {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((t) => ((stdout += String(t)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((t) => ((stderr += String(t)), true));
  try {
    const code = await transsegBench(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Commands with subcommands: the subcommands' argv prefixes. */
const SUBCOMMANDS: Record<string, string[][]> = { datasets: [["datasets", "convert"]] };

afterEach(() => vi.restoreAllMocks());

describe("--help on every command", () => {
  it("transseg: the overview and every command (and subcommand) with --help and -h", async () => {
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      const r = await runTransseg(argv);
      expect([argv, r.code, r.stderr]).toEqual([argv, 0, ""]);
      expect(r.stdout).toMatch(/^Usage: transseg <command>/);
    }
    const names = Object.keys(builtinCommands);
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      for (const prefix of [[name], ...(SUBCOMMANDS[name] ?? [])]) {
        for (const flag of ["--help", "-h"]) {
          const r = await runTransseg([...prefix, flag]);
          expect([prefix, flag, r.code, r.stderr]).toEqual([prefix, flag, 0, ""]);
          expect(r.stdout.split("\n")[0]).toMatch(new RegExp(`^Usage: transseg ${name}\\b`));
        }
      }
    }
  });

  it("transseg-bench: the overview and every command with --help and -h", async () => {
    for (const argv of [[], ["--help"], ["-h"], ["help"]]) {
      const r = await runBench(argv);
      expect([argv, r.code, r.stderr]).toEqual([argv, 0, ""]);
      expect(r.stdout).toMatch(/^Usage: transseg-bench <command>/);
      for (const name of Object.keys(builtinBenchCommands)) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    const names = Object.keys(builtinBenchCommands);
    expect(names).toEqual(expect.arrayContaining(["perf", "demo", "run", "merge", "plan"]));
    for (const name of names) {
      for (const argv of [[name, "--help"], [name, "-h"], [name, "-o", "somewhere", "--help"]]) {
        const r = await runBench(argv);
        expect([argv, r.code, r.stderr]).toEqual([argv, 0, ""]);
        expect(r.stdout.split("\n")[0]).toMatch(new RegExp(`^Usage: transseg-bench ${name}\\b`));
      }
    }
  });

  it("an unknown command is named, with exit code 2", async () => {
    const bench = await runBench(["perff"]);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toBe('transseg-bench: unknown command "perff" (known: perf, demo, run, merge, plan)\n');
    expect((await runBench(["toString"])).code).toBe(2);
    expect((await runTransseg(["perff"])).code).toBe(2);
  });
});
