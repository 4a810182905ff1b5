import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resultsMarkdown } from "./markdown.js";
import { reportHtml } from "./report.js";
import { sampleResults } from "./testing-results.js";

const chromium = ["chromium", "chromium-browser", "google-chrome"].find((c) => spawnSync("which", [c]).status === 0);
const CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

describe("results.md", () => {
  it("is shaped like Table 5: datasets as rows, Ours / w/o D / w/o T&D as columns, Dice in %", () => {
    const md = resultsMarkdown(sampleResults().results);
    expect(md).toContain("| dataset | data | Ours | w/o D | w/o T&D |");
    expect(md).toContain("| ACDC | synthetic | 90.00 | 80.00 | 70.00 |");
    expect(md).toContain("| Task09_Spleen | synthetic | 85.00 | 75.00 | 65.00 |");
    expect(md).toContain("| **mean** |  | 87.50 | 77.50 | 67.50 |");
    expect(md).not.toContain("paper Ours"); // synthetic data: no paper columns
  });

  it("puts the paper's numbers beside ours on real data", () => {
    const md = resultsMarkdown(sampleResults("real").results);
    expect(md).toContain("| dataset | data | Ours | paper Ours | w/o D | paper w/o D | w/o T&D |");
    expect(md).toContain("| ACDC | real | 90.00 | 92.69 | 80.00 | 92.62 | 70.00 |");
    expect(md).toContain("| Task09_Spleen | real | 85.00 | 95.56 | 75.00 | 95.12 | 65.00 |");
  });
});

describe("report.html", () => {
  const { results, extras } = sampleResults("real");
  const html = reportHtml(results, extras);

  it("is one self-contained page: no external resources, images as data: URLs, escaped text", () => {
    expect(html).not.toMatch(/<link\b|<script[^>]*\bsrc=|<img[^>]*src="(?!data:)|url\(http|@import/);
    expect(html.match(/<img /g)).toHaveLength(2 * (2 + 3));
    expect(html).toContain("a&lt;b"); // the class name is escaped
    expect(html).toContain('data-rendered="pending"');
    expect(html.match(/<svg /g)?.length).toBe(2); // Dice and HD95 bar charts; loss curves are drawn by the script
    expect(html).toContain("(paper 92.69)");
  });

  it.skipIf(!chromium)("renders in headless Chromium without script errors (data-rendered=ok, loss charts drawn)", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const r = spawnSync(chromium!, [...CHROME_FLAGS, "--enable-logging=stderr", "--v=0", "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toContain('data-rendered="ok"');
    expect(r.stdout).toContain("rendered 2 loss chart(s)");
    expect(r.stdout.match(/<polyline /g)).toHaveLength(6);
    expect(r.stderr).not.toMatch(/Uncaught|SyntaxError|TypeError/);
    // a page whose script fails is caught by the same check
    writeFileSync(file, html.replace('id="study-data">', 'id="study-data">{'));
    const bad = spawnSync(chromium!, [...CHROME_FLAGS, "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 60_000 });
    expect(bad.stdout).toMatch(/data-rendered="error: /);
  });
  if (!chromium) it.skip("headless Chromium test skipped: no chromium on PATH (Debian: apt-get install chromium)", () => {});
});
