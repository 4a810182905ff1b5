import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pythonWith } from "./python.js";
import type { BenchContext, BenchResult, BenchSuite } from "./suite.js";
import { sharedDir } from "@transseg/weights/testing/shared-dir"; // without vitest (unlike the testing entry)

export interface PerfOptions {
  suites: Readonly<Record<string, BenchSuite>>;
  only?: readonly string[];
  quick?: boolean;
  log?: (message: string) => void;
}

export interface PerfRow extends BenchResult {
  readonly suite: string;
}

/** The repository's parity fixtures (`$TRANSSEG_SHARED/fixtures`, else `../shared/fixtures` beside the checkout), if present. */
export function fixturesDir(): string | null {
  const dir = sharedDir("fixtures");
  return existsSync(dir) ? dir : null;
}

export async function runPerf(options: PerfOptions): Promise<PerfRow[]> {
  const ids = options.only?.length ? options.only : Object.keys(options.suites);
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const rows: PerfRow[] = [];
  for (const id of ids) {
    const suite = options.suites[id];
    if (!suite) throw new Error(`unknown suite "${id}"; valid: ${Object.keys(options.suites).join(", ")}`);
    const tmp = mkdtempSync(join(tmpdir(), `transseg-bench-${id}-`));
    const ctx: BenchContext = { tmpDir: tmp, pythonWith, fixtures: fixturesDir(), quick: options.quick ?? false, log: (m) => log(`[${id}] ${m}`) };
    try {
      log(`[${id}] ${suite.description}`);
      for (const r of await suite.run(ctx)) rows.push({ suite: id, ...r });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return rows;
}

const mb = (b?: number) => (b === undefined ? "-" : `${(b / 2 ** 20).toFixed(0)} MB`);
const s = (x?: number) => (x === undefined ? "-" : x < 0.1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(2)} s`);

/** One Markdown table: ours, the reference, time ratio ours/reference, target and verdict. */
export function formatPerfTable(rows: readonly PerfRow[]): string {
  const head = ["suite", "benchmark", "ours", "peak RSS", "reference", "ref time", "ref RSS", "time ratio", "target", "met", "notes"];
  const body = rows.map((r) => [
    r.suite,
    r.name,
    s(r.ours.seconds),
    mb(r.ours.peakRssBytes),
    r.reference?.label ?? "(not available)",
    s(r.reference?.seconds),
    mb(r.reference?.peakRssBytes),
    r.reference ? `${(r.ours.seconds / r.reference.seconds).toFixed(3)}×` : "-",
    r.target ?? "-",
    r.met === undefined ? "-" : r.met ? "yes" : "NO",
    r.notes ?? "",
  ]);
  const lines = [head, head.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}
