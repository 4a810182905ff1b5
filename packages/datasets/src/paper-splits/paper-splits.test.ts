import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DatasetError } from "../errors.js";
import { pythonRandom } from "../random/python-random.js";
import { splitCases } from "../split.js";
import { ACDC_PAPER_HELD_OUT, ACDC_PAPER_TRAINING } from "./acdc-cases.js";
import { MSD_TRAINING_LENGTHS, msdPaperOrder, type MsdTaskId } from "./msd.js";
import { paperSplit, paperSplitAvailable, taskSplit } from "./paper-split.js";
import { builtinPaperSplits } from "./registry.js";

interface MsdOrders {
  readonly tasks: readonly { taskId: MsdTaskId; n: number; train: number; val: number; test: number; order: number[] }[];
}
const stored = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../test-data/python-random/msd-orders.json"), "utf8")) as MsdOrders;
const cases = (ids: readonly string[]) => ids.map((id) => ({ id, image: `/d/imagesTr/${id}.nii.gz` }));
const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);

describe("MSD paper splits", () => {
  it("store the ten MSD training-list lengths the stored python orders were drawn for", () => {
    expect(Object.fromEntries(stored.tasks.map((t) => [t.taskId, t.n]))).toEqual(MSD_TRAINING_LENGTHS);
  });

  it("equal python's random.seed(1234) + shuffle per task in sorted order, cut at int(0.8 n) and int(0.95 n)", () => {
    for (const t of stored.tasks) {
      const list = cases(Array.from({ length: t.n }, (_, i) => `${t.taskId}_${i}`));
      const s = paperSplit(t.taskId, list);
      const expected = t.order.map((i) => `${t.taskId}_${i}`);
      expect(ids(s.train), t.taskId).toEqual(expected.slice(0, t.train));
      expect(ids(s.val), t.taskId).toEqual(expected.slice(t.train, t.train + t.val));
      expect(ids(s.test), t.taskId).toEqual(expected.slice(t.train + t.val));
      expect(s).toMatchObject({ taskId: t.taskId, paper: true, valIsTest: false });
      expect(s.source).toMatch(/split_data_to_slices_nii\.py/);
    }
  });

  it("draw each task as if all ten were shuffled before it, whichever are present", () => {
    expect(msdPaperOrder("Task09_Spleen")).toEqual(stored.tasks.find((t) => t.taskId === "Task09_Spleen")!.order);
    // A generator seeded afresh for Task02 would draw another order: Task01's 484 draws come first.
    const fresh = Array.from({ length: 20 }, (_, i) => i);
    pythonRandom(1234).shuffle(fresh);
    expect(msdPaperOrder("Task02_Heart")).not.toEqual(fresh);
    expect(stored.tasks[0]!.order).toEqual(msdPaperOrder("Task01_BrainTumour"));
  });

  it("refuse a list of another length, and repeated ids, naming the file", () => {
    const short = cases(["a", "b", "c"]);
    expect(() => paperSplit("Task09_Spleen", short, { file: "/d/dataset.json" })).toThrow(
      "/d/dataset.json: not the paper's Task09_Spleen cases: the paper shuffled the 41 training cases of the MSD release in dataset.json order; this list has 3",
    );
    const twice = cases(Array.from({ length: 41 }, (_, i) => `s${i % 40}`));
    expect(() => paperSplit("Task09_Spleen", twice)).toThrow(/Task09_Spleen: .*case ids repeat \(s0\)/);
  });
});

describe("ACDC paper split", () => {
  const all = [...ACDC_PAPER_HELD_OUT, ...ACDC_PAPER_TRAINING].reverse();

  it("holds 160 training frames of 80 patients and 40 held-out frames of 20 other patients", () => {
    const patients = (list: readonly string[]) => new Set(list.map((n) => n.slice(0, 10)));
    expect(new Set(ACDC_PAPER_TRAINING).size).toBe(160);
    expect(new Set(ACDC_PAPER_HELD_OUT).size).toBe(40);
    expect(patients(ACDC_PAPER_TRAINING).size).toBe(80);
    expect(patients(ACDC_PAPER_HELD_OUT).size).toBe(20);
    expect([...patients(ACDC_PAPER_HELD_OUT)].filter((p) => patients(ACDC_PAPER_TRAINING).has(p))).toEqual([]);
    expect(ACDC_PAPER_HELD_OUT.slice(0, 4)).toEqual(["patient002_frame01", "patient002_frame12", "patient003_frame01", "patient003_frame15"]);
  });

  it("picks the listed frames whatever the input order; validation and test are the held-out 40", () => {
    const s = paperSplit("ACDC", cases(all));
    expect(ids(s.train)).toEqual([...ACDC_PAPER_TRAINING]);
    expect(ids(s.val)).toEqual([...ACDC_PAPER_HELD_OUT]);
    expect(s.test).toEqual(s.val);
    expect(s).toMatchObject({ paper: true, valIsTest: true });
  });

  it("names missing and extra frames", () => {
    const missing = all.filter((n) => n !== "patient002_frame12");
    expect(() => paperSplit("ACDC", cases(missing))).toThrow("1 of the paper's 200 cases are missing (patient002_frame12)");
    expect(() => paperSplit("ACDC", cases([...all, "patient101_frame01", "notes"]))).toThrow("2 cases are not in the paper's lists (notes, patient101_frame01)");
  });
});

describe("BTCV paper split", () => {
  const numbers = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 20 }, (_, i) => i + 21)];
  const img = (n: number) => `img${String(n).padStart(4, "0")}`;

  it("holds out scans 1, 2, 3, 4, 8, 22, 25, 29, 32, 35, 36, 38 for validation (= test), trains on the other 18", () => {
    const s = paperSplit("BTCV", cases(numbers.map(img)));
    expect(ids(s.val)).toEqual([1, 2, 3, 4, 8, 22, 25, 29, 32, 35, 36, 38].map(img));
    expect(s.test).toEqual(s.val);
    expect(ids(s.train)).toEqual([5, 6, 7, 9, 10, 21, 23, 24, 26, 27, 28, 30, 31, 33, 34, 37, 39, 40].map(img));
    expect(s.valIsTest).toBe(true);
  });

  it("reads the scan number at the end of other id styles, and refuses testing scans", () => {
    expect(paperSplit("BTCV", cases(numbers.map((n) => `BTCV_${n}`))).train).toHaveLength(18);
    expect(() => paperSplit("BTCV", cases([...numbers, 61].map(img)))).toThrow("1 case is not in the paper's lists (img0061)");
    expect(() => paperSplit("BTCV", cases(numbers.slice(1).map(img)))).toThrow("1 of the paper's 30 cases are missing (scan 1)");
    expect(() => paperSplit("BTCV", cases([...numbers.map(img), "label0001"]))).toThrow('cases "img0001" and "label0001" are the same case');
  });
});

describe("paperSplitAvailable / paperSplit / taskSplit", () => {
  it("know the paper's 12 tasks", () => {
    expect(Object.keys(builtinPaperSplits).sort()).toEqual(["ACDC", "BTCV", ...Object.keys(MSD_TRAINING_LENGTHS)].sort());
    expect(paperSplitAvailable("Task09_Spleen")).toBe(true);
    expect(paperSplitAvailable("Task11_Mine")).toBe(false);
    expect(paperSplitAvailable("toString")).toBe(false);
    expect(() => paperSplit("Task09_Splen", [])).toThrow(DatasetError);
    expect(() => paperSplit("Task09_Splen", [])).toThrow('unknown paper split "Task09_Splen"; did you mean "Task09_Spleen"?');
  });

  it("taskSplit falls back to splitCases with the reason when the cases are not the paper's", () => {
    const list = cases(["a", "b", "c", "d", "e", "f", "g", "h"]);
    const s = taskSplit("Task09_Spleen", list, { seed: 7 });
    expect(s).toMatchObject({ taskId: "Task09_Spleen", paper: false, valIsTest: false, source: "splitCases (seed 7)" });
    expect(s.fallbackReason).toMatch(/41 training cases .* this list has 8/);
    const plain = splitCases(list, { seed: 7 });
    expect([s.train, s.val, s.test]).toEqual([plain.train, plain.val, plain.test]);
    expect(taskSplit("Mine", list).fallbackReason).toBe('no paper split is known for "Mine"');
  });

  it("taskSplit returns the paper's split when the cases fit", () => {
    const list = cases(Array.from({ length: 20 }, (_, i) => `la_${i}`));
    expect(taskSplit("Task02_Heart", list)).toEqual(paperSplit("Task02_Heart", list));
    expect(taskSplit("Task02_Heart", list).paper).toBe(true);
  });
});
