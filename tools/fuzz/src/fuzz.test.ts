/**
 * A small seeded sample of `pnpm fuzz` (which runs 20,000 inputs per reader): every reader's
 * seeds read correctly, and every mutated input reads or fails with the reader's own one-line
 * error naming the file — no foreign exception, hang, crash or oversized allocation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { formatReports, runFuzz, type TargetReport } from "./run-fuzz.js";
import { builtinTargets } from "./targets/index.js";

const BUDGET = Number(process.env.TRANSSEG_FUZZ_BUDGET ?? 200);
let reports: TargetReport[] = [];

beforeAll(async () => {
  reports = await runFuzz({ budget: BUDGET, seed: "test", timeoutMs: 30_000 });
}, 300_000);

describe(`fuzzing every reader (${BUDGET} seeded inputs each)`, () => {
  for (const id of Object.keys(builtinTargets)) {
    it(`${id}: seeds read, every input reads or is refused cleanly`, () => {
      const r = reports.find((x) => x.target === id)!;
      const table = formatReports([r]);
      expect(r.seedProblems, table).toEqual([]);
      expect(r.seeds).toBeGreaterThan(0);
      expect(r.tried).toBe(BUDGET);
      expect(r.other, table).toBe(0);
      // the mutations must exercise both paths
      expect(r.ok, `${id} never read a mutated input`).toBeGreaterThan(0);
      expect(r.clean, `${id} refused too few`).toBeGreaterThan(BUDGET / 10);
    });
  }
});
