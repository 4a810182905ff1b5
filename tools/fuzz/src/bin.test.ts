import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("./bin.ts", import.meta.url));
const fuzz = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", BIN, ...args], { encoding: "utf8" });

describe("pnpm fuzz (bin)", () => {
  it("answers --help with its usage and exit code 0, without fuzzing", () => {
    const r = fuzz("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pnpm fuzz \[--budget 20000\]/);
    expect(r.stdout).toContain("--target <list>");
  });

  it("refuses unknown options and bad numbers in one line with exit code 2", () => {
    const cases: [string[], string][] = [
      [["--nope"], "fuzz: Unknown option '--nope'"],
      [["--budget", "0"], 'fuzz: --budget must be a whole number ≥ 1, got "0"'],
      [["--budget", "1.5"], 'fuzz: --budget must be a whole number ≥ 1, got "1.5"'],
      [["--from=-1"], 'fuzz: --from must be a whole number ≥ 0, got "-1"'],
      [["--timeout", "x"], 'fuzz: --timeout must be a number of seconds > 0, got "x"'],
    ];
    for (const [args, message] of cases) {
      const r = fuzz(...args);
      expect([r.status, r.stderr.split("\n")[0], r.stderr.trim().split("\n").length], args.join(" ")).toEqual([2, message, 1]);
      expect(r.stdout).toBe("");
    }
  });
});
