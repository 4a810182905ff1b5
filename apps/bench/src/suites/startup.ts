/**
 * Start-up of the root scripts: `pnpm transseg --help` (pnpm, then tools/launch.mjs: the
 * staleness check of every source of the CLI's project graph, then the built bin in the same
 * process) beside `node apps/cli/dist/bin.js --help`, and the same for `transseg-bench`; runs
 * interleaved, medians compared. Target: the pnpm script within 0.2 s of the built bin. The
 * former script (the sources through tsx) is measured too, for the record.
 */
import { resolve } from "node:path";
import { runMeasured, type MeasuredRun } from "../measure.js";
import type { BenchResult, BenchSuite } from "../suite.js";

const ROOT = resolve(import.meta.dirname, "../../../..");
const LIMIT_SECONDS = 0.2;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

interface App {
  readonly script: string;
  readonly dir: string;
}

const APPS: readonly App[] = [
  { script: "transseg", dir: "apps/cli" },
  { script: "transseg-bench", dir: "apps/bench" },
];

async function helpRun(command: string, args: readonly string[]): Promise<MeasuredRun> {
  const r = await runMeasured(command, [...args, "--help"], { cwd: ROOT });
  if (!r.stdout.startsWith("Usage: ")) throw new Error(`${command} ${args.join(" ")} --help printed no usage: ${r.stdout.slice(0, 80)}`);
  return r;
}

export const startupSuite = {
  id: "startup",
  description: "`pnpm transseg --help` / `pnpm transseg-bench --help` start-up beside the built bins (node <app>/dist/bin.js --help)",
  async run(ctx) {
    const runs = ctx.quick ? 3 : 11;
    const results: BenchResult[] = [];
    for (const app of APPS) {
      // The first run builds when a source changed since the last build; what is timed is "nothing changed".
      await helpRun("pnpm", [app.script]);
      const bin = resolve(ROOT, app.dir, "dist/bin.js");
      const viaTsx = ["--import", "tsx", "--conditions=source", resolve(ROOT, app.dir, "src/bin.ts")];
      ctx.log(`${app.script}: ${runs} interleaved runs of pnpm ${app.script} --help, node ${app.dir}/dist/bin.js --help and the sources through tsx …`);
      const pnpm: number[] = [];
      const node: number[] = [];
      const tsx: number[] = [];
      for (let i = 0; i < runs; i++) {
        pnpm.push((await helpRun("pnpm", [app.script])).seconds);
        node.push((await helpRun(process.execPath, [bin])).seconds);
        if (i < Math.ceil(runs / 2)) tsx.push((await helpRun(process.execPath, viaTsx)).seconds);
      }
      const ours = median(pnpm);
      const ref = median(node);
      results.push({
        name: `pnpm ${app.script} --help, nothing changed, median of ${runs}`,
        ours: { seconds: ours },
        reference: { label: `node ${app.dir}/dist/bin.js --help`, seconds: ref },
        target: `≤ ${ms(LIMIT_SECONDS)} more than the built bin`,
        met: ours - ref <= LIMIT_SECONDS,
        notes: `+${ms(ours - ref)} over the built bin; the sources through tsx (the former script, without pnpm): ${ms(median(tsx))}`,
      });
    }
    return results;
  },
} as const satisfies BenchSuite;
