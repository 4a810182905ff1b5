import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeNifti } from "@transseg/datasets";
import { describe, expect, it } from "vitest";
import { scratch } from "../test-helpers.js";
import { autoThreads, evaluatePairs, VOXELS_PER_WORKER } from "./eval-cases.js";
import { pairCounter, runLane, type LaneReport } from "./eval-lane.js";
import { readPair, type EvalPair } from "./eval-pair.js";

/** `n` pairs of small two-class volumes, each different; the pairs in `broken` have an unreadable gt. */
async function pairs(n: number, broken: readonly number[] = []): Promise<EvalPair[]> {
  const dir = scratch("cli-eval-lane-");
  const shape = [10, 8, 6];
  const out: EvalPair[] = [];
  for (let k = 0; k < n; k++) {
    const pred = new Uint8Array(480);
    const gt = new Uint8Array(480);
    for (let i = 0; i < 480; i++) {
      gt[i] = i % 10 < 3 + (k % 4) ? 1 : i % 10 > 7 ? 2 : 0;
      pred[i] = i % 10 < 4 ? 1 : (i + k) % 10 > 7 ? 2 : 0;
    }
    const pair = { pred: join(dir, `p${k}.nii.gz`), gt: join(dir, `g${k}.nii.gz`) };
    await writeNifti(pair.pred, { data: pred, shape });
    if (broken.includes(k)) writeFileSync(pair.gt, "not a NIfTI file");
    else await writeNifti(pair.gt, { data: gt, shape });
    out.push(pair);
  }
  return out;
}

describe("autoThreads", () => {
  it("adds a worker per VOXELS_PER_WORKER voxels of prediction, up to one per core and one per pair", () => {
    const v = 256 * 256 * 160;
    expect(autoThreads(4, v, 2)).toBe(1); // the bench's eval: no worker pays for itself
    expect(autoThreads(16, v, 2)).toBe(1); // measured: as fast with a worker as without
    expect(autoThreads(64, v, 2)).toBe(2); // measured: 1.3x faster with one
    expect(autoThreads(64, v, 8)).toBe(3);
    expect(autoThreads(30, 512 * 512 * 300, 8)).toBe(8);
    expect(autoThreads(3, 512 * 512 * 300, 8)).toBe(1); // 2.4e8 voxels
    expect(autoThreads(4, 512 * 512 * 300, 8)).toBe(2);
    expect(autoThreads(1, 2 ** 31, 8)).toBe(1);
    expect(autoThreads(100, v, 1)).toBe(1);
    expect(autoThreads(2, VOXELS_PER_WORKER / 2, 4)).toBe(2);
    expect(autoThreads(2, VOXELS_PER_WORKER / 2 - 1, 4)).toBe(1);
  });
});

describe("eval lanes (a shared counter of pairs)", () => {
  it("lanes running at once take every pair exactly once, and report what one lane alone reports", async () => {
    const ps = await pairs(7);
    const alone: LaneReport[] = [];
    await runLane(ps, { maxVoxels: 1e6 }, pairCounter(), (r) => alone.push(r));
    expect(alone.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const counter = pairCounter();
    const seen: LaneReport[][] = [[], [], []];
    await Promise.all(seen.map((into) => runLane(ps, { maxVoxels: 1e6 }, counter, (r) => into.push(r))));
    const all = seen.flat().sort((a, b) => a.index - b.index);
    expect(all.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen.filter((lane) => lane.length > 0).length).toBeGreaterThan(1); // the work was shared
    expect(all).toEqual(alone);
    expect(new Set(all.map((r) => JSON.stringify("result" in r ? r.result.metrics : null))).size).toBeGreaterThan(1);
  });

  it("an error stops the lanes; every pair before it still reports", async () => {
    const ps = await pairs(8, [2]);
    const reports: LaneReport[] = [];
    await runLane(ps, { maxVoxels: 1e6 }, pairCounter(), (r) => reports.push(r));
    expect(reports.map((r) => [r.index, "error" in r])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]); // pair 3 is taken only once pair 2 is read
    const two: LaneReport[] = [];
    const counter = pairCounter();
    await Promise.all([0, 1].map(() => runLane(ps, { maxVoxels: 1e6 }, counter, (r) => two.push(r))));
    const indices = two.map((r) => r.index).sort((a, b) => a - b);
    expect(indices.slice(0, 3)).toEqual([0, 1, 2]); // all before the failure, the failure itself
    expect(indices.length).toBeLessThan(8); // and the lanes stopped taking pairs
    expect(two.filter((r) => "error" in r).map((r) => r.index)).toEqual([2]);
  });

  it("evaluatePairs throws the first failing pair's error whatever the threads, and returns results in order", async () => {
    const ps = await pairs(6, [1, 4]);
    for (const threads of [1, 2, 3]) await expect(evaluatePairs(ps, { maxVoxels: 1e6, threads })).rejects.toThrow(/g1\.nii\.gz/);
    const good = await pairs(5);
    const one = await evaluatePairs(good, { maxVoxels: 1e6, threads: 1 });
    expect(one).toHaveLength(5);
    for (const threads of [2, 3]) expect(await evaluatePairs(good, { maxVoxels: 1e6, threads })).toEqual(one);
  }, 60_000);

  it("a first read started by the caller is scored by this thread; workers and the counter start past it", async () => {
    const good = await pairs(5);
    const one = await evaluatePairs(good, { maxVoxels: 1e6, threads: 1 });
    for (const threads of [1, 2, 3]) {
      const firstRead = readPair(good[0]!, { maxVoxels: 1e6 });
      expect(await evaluatePairs(good, { maxVoxels: 1e6, threads, firstRead })).toEqual(one);
    }
    // the started read is what is scored as pair 0 (not read again): here it holds pair 1's volumes
    const swapped = await evaluatePairs(good, { maxVoxels: 1e6, threads: 1, firstRead: readPair(good[1]!, { maxVoxels: 1e6 }) });
    expect(swapped[0]).toEqual(one[1]);
    expect(one[0]).not.toEqual(one[1]);
    const broken = await pairs(3, [0]);
    for (const threads of [1, 2]) {
      const firstRead = readPair(broken[0]!, { maxVoxels: 1e6 });
      firstRead.catch(() => {});
      await expect(evaluatePairs(broken, { maxVoxels: 1e6, threads, firstRead })).rejects.toThrow(/g0\.nii\.gz/);
    }
    // the lane alone: the started pair first, then the counter's pairs from 1
    const reports: LaneReport[] = [];
    await runLane(good, { maxVoxels: 1e6 }, pairCounter(1), (r) => reports.push(r), undefined, { index: 0, read: readPair(good[0]!, { maxVoxels: 1e6 }) });
    expect(reports.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  }, 60_000);
});
