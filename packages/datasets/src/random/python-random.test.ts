import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pythonRandom, seedWords } from "./python-random.js";

const DIR = resolve(import.meta.dirname, "../../test-data/python-random");
const SCRIPT = resolve(DIR, "reference.py");
const MSD_ORDERS = resolve(DIR, "msd-orders.json");

const HAS_PYTHON = spawnSync("python3", ["--version"]).status === 0;
if (!HAS_PYTHON) console.warn("python3 is absent: live comparisons with CPython's random are skipped (the stored MSD orders are still checked)");

/** Runs the reference script and parses its JSON output. */
function python(...args: string[]): unknown {
  const r = spawnSync("python3", [SCRIPT, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 ${SCRIPT} ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface MsdOrders {
  readonly seed: number;
  readonly tasks: readonly { taskId: string; n: number; train: number; val: number; test: number; order: number[] }[];
}
const stored = JSON.parse(readFileSync(MSD_ORDERS, "utf8")) as MsdOrders;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("pythonRandom", () => {
  it("shuffles the ten MSD training-list lengths in sorted task order as python3 did (stored orders)", () => {
    const rng = pythonRandom(1234);
    expect(stored.tasks.map((t) => t.taskId)).toEqual([...stored.tasks.map((t) => t.taskId)].sort());
    for (const task of stored.tasks) {
      const order = range(task.n);
      rng.shuffle(order);
      expect(order, task.taskId).toEqual(task.order);
    }
  });

  it("the stored MSD orders are what python3 produces now", { skip: !HAS_PYTHON }, () => {
    const live = python("msd") as MsdOrders;
    if (process.env.REGEN === "1") writeFileSync(MSD_ORDERS, `${JSON.stringify(live)}\n`);
    expect(live.tasks).toEqual(stored.tasks);
  });

  it("shuffles lists of every length 1..500 in sequence from one seed as python3 does", { skip: !HAS_PYTHON }, () => {
    for (const seed of [1234, 0]) {
      const expected = python("sequence", String(seed), "500") as number[][];
      const rng = pythonRandom(seed);
      const got = range(500).map((i) => {
        const order = range(i + 1);
        rng.shuffle(order);
        return order;
      });
      for (let i = 0; i < 500; i++) expect(got[i], `seed ${seed}, length ${i + 1}`).toEqual(expected[i]);
    }
  });

  it("matches getrandbits, random and _randbelow for small, large and negative seeds", { skip: !HAS_PYTHON }, () => {
    for (const seed of [1234n, 0n, 1n, 2n ** 32n + 5n, 2n ** 64n - 1n, 12345678901234567890123n, -1234n]) {
      const expected = python("draws", String(seed)) as {
        getrandbits: Record<string, number[]>;
        random: string[];
        randbelow: Record<string, number[]>;
      };
      const rng = pythonRandom(seed);
      for (const [k, values] of Object.entries(expected.getrandbits)) {
        expect(values.map(() => rng.getrandbits(Number(k))), `seed ${seed} getrandbits(${k})`).toEqual(values);
      }
      expect(expected.random.map(() => rng.random()), `seed ${seed} random()`).toEqual(expected.random.map(Number));
      for (const [n, values] of Object.entries(expected.randbelow)) {
        expect(values.map(() => rng.randbelow(Number(n))), `seed ${seed} _randbelow(${n})`).toEqual(values);
      }
    }
  });

  it("knows CPython's first draw for seed 1234 without python (random.seed(1234); random.random())", () => {
    // python3 -c "import random; random.seed(1234); print(repr(random.random()))"
    expect(pythonRandom(1234).random()).toBe(0.9664535356921388);
    expect(pythonRandom(1234).random()).toBe(pythonRandom(-1234).random());
  });

  it("splits the seed into 32-bit words, least significant first", () => {
    expect(seedWords(0)).toEqual([0]);
    expect(seedWords(1234)).toEqual([1234]);
    expect(seedWords(-1234)).toEqual([1234]);
    expect(seedWords(2 ** 32 + 5)).toEqual([5, 1]);
    expect(seedWords(2n ** 64n - 1n)).toEqual([0xffffffff, 0xffffffff]);
    expect(() => seedWords(1.5)).toThrow("seed must be an integer");
  });

  it("rejects out-of-range arguments", () => {
    const rng = pythonRandom(1);
    expect(rng.getrandbits(0)).toBe(0);
    expect(() => rng.getrandbits(54)).toThrow("k must be an integer in 0..53");
    expect(() => rng.getrandbits(-1)).toThrow("0..53");
    expect(() => rng.randbelow(0)).toThrow("n must be an integer in 1..2^53-1");
    expect(rng.randbelow(1)).toBe(0);
  });

  it("shuffles in place and leaves lists of length 0 and 1 alone", () => {
    const rng = pythonRandom(7);
    const empty: number[] = [];
    rng.shuffle(empty);
    expect(empty).toEqual([]);
    const one = ["a"];
    rng.shuffle(one);
    expect(one).toEqual(["a"]);
    const items = range(30);
    rng.shuffle(items);
    expect(items).not.toEqual(range(30));
    expect([...items].sort((a, b) => a - b)).toEqual(range(30));
  });
});
