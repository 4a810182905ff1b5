import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { transsegCommand } from "./predict-memory.js";

describe("predict-memory: how transseg is started", () => {
  it("the built CLI by default, the sources through tsx with TRANSSEG_BENCH_CLI=source (said in the notes)", () => {
    const built = transsegCommand({});
    expect(built.args).toHaveLength(1);
    expect(built.args[0]).toMatch(/apps\/cli\/dist\/bin\.js$/);
    const source = transsegCommand({ TRANSSEG_BENCH_CLI: "source" });
    expect(source.args.slice(0, 3)).toEqual(["--import", "tsx", "--conditions=source"]);
    expect(existsSync(source.args[3]!)).toBe(true);
    expect(source.note).toMatch(/tsx/);
  });
});
