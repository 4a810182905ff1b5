import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./test-helpers.js";

describe("transseg", () => {
  it("lists the commands and exits 2 without one", async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage: transseg <command>/);
    expect(r.stdout).toMatch(/inflate/);
  });

  it("suggests the nearest command for a typo", async () => {
    const r = await cli("inflat");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^transseg: unknown command "inflat": did you mean "inflate"\? \(known: /);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects unknown options with exit code 2 and one line", async () => {
    const r = await cli("inspect", "x.pth", "--bogus");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/bogus/);
  });

  it("prints a command's usage with --help", async () => {
    const r = await cli("inflate", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--strategy <id>/);
  });

  // From a clean clone `pnpm transseg` builds the CLI first (tools/launch.mjs): minutes on 2 busy cores.
  it("`pnpm transseg` from the repository root prints only the command's output on stdout", { timeout: 600_000 }, () => {
    const root = resolve(import.meta.dirname, "../../..");
    const r = spawnSync("pnpm", ["transseg", "--help"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("Usage: transseg <command>")).toBe(true);
    // The exit code passes through pnpm.
    const bad = spawnSync("pnpm", ["transseg", "inspect", "/nonexistent.pth"], { cwd: root, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
  });
});
