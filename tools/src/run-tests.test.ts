/** tools/run-tests.mjs: `pnpm test` through turbo keeps the `N passed, N failed` line last. */
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ES module, no declarations
import { SUMMARY_LINE, summaryLast, turboArgs } from "../run-tests.mjs";

function feed(lines: string[]): string {
  let out = "";
  const s = summaryLast((t: string) => (out += t));
  for (const l of lines) s.line(l);
  s.end();
  return out;
}

describe("run-tests", () => {
  it("recognises the summary reporter's line only", () => {
    expect(["12 passed, 0 failed", "3 passed, 1 failed, 4 skipped"].every((l) => SUMMARY_LINE.test(l))).toBe(true);
    expect(["Tests  4 passed (4)", "12 passed, 0 failed.", "x 12 passed, 0 failed"].some((l) => SUMMARY_LINE.test(l))).toBe(false);
  });

  it("moves the summary line after turbo's own run summary", () => {
    const turbo = ["• turbo 2.11.11", " ✓ a.test.ts (3 tests)", "5 passed, 1 failed, 2 skipped", "", " Tasks:    1 successful, 1 total", "Cached:    0 cached, 1 total", "  Time:    3.2s "];
    const out = feed(turbo).split("\n");
    expect(out.at(-1)).toBe("");
    expect(out.at(-2)).toBe("5 passed, 1 failed, 2 skipped");
    expect(out.filter((l) => SUMMARY_LINE.test(l))).toHaveLength(1);
    expect(out.slice(0, -2)).toEqual(turbo.filter((l) => !SUMMARY_LINE.test(l)));
  });

  it("writes an earlier summary-like line when the next arrives, the last one last; passes through a run without one", () => {
    expect(feed(["1 passed, 0 failed", "a", "9 passed, 0 failed", "b"])).toBe("a\n1 passed, 0 failed\nb\n9 passed, 0 failed\n");
    expect(feed(["\u001b[32m2 passed, 0 failed\u001b[39m", "c"])).toBe("c\n\u001b[32m2 passed, 0 failed\u001b[39m\n");
    expect(feed(["x", "y"])).toBe("x\ny\n");
  });

  it("runs the root task test:root and forwards arguments to vitest", () => {
    expect(turboArgs([]).slice(0, 2)).toEqual(["run", "test:root"]);
    expect(turboArgs([])).toContain("--log-prefix=none");
    expect(turboArgs(["packages/metrics", "-t", "dice"]).slice(-4)).toEqual(["--", "packages/metrics", "-t", "dice"]);
  });
});
