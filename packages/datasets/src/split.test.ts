import { describe, expect, it } from "vitest";
import { createRng, shuffle } from "./random/rng.js";
import { splitCases } from "./split.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sizes = (n: number) => {
  const s = splitCases(range(n));
  return [s.train.length, s.val.length, s.test.length];
};

describe("splitCases", () => {
  it("uses TransSeg's floor(0.8 n) / floor(0.95 n) boundaries", () => {
    expect(sizes(100)).toEqual([80, 15, 5]);
    expect(sizes(30)).toEqual([24, 4, 2]); // BTCV: 0.95*30 = 28.5 -> 28
    expect(sizes(484)).toEqual([387, 72, 25]); // Task01: 387.2 -> 387, 459.8 -> 459
    expect(sizes(20)).toEqual([16, 3, 1]); // Task02: 19 - 16 = 3, rest 1
    expect(sizes(41)).toEqual([32, 6, 3]); // Task09: 32.8 -> 32, 38.95 -> 38
  });

  it("moves one case from train into an empty validation or test part when n >= 3", () => {
    expect(sizes(3)).toEqual([1, 1, 1]); // 2,0,1 -> val empty
    expect(sizes(4)).toEqual([2, 1, 1]); // 3,0,1
    expect(sizes(8)).toEqual([6, 1, 1]); // 6, 7-6=1, 1: nothing to move
    expect(sizes(10)).toEqual([8, 1, 1]); // 8, 9-8=1, 1
    expect(sizes(6)).toEqual([4, 1, 1]); // 4, 5-4=1, 1
    expect(sizes(5)).toEqual([3, 1, 1]); // 4, 4-4=0 -> val empty
  });

  it("leaves tiny lists alone (n < 3)", () => {
    expect(sizes(0)).toEqual([0, 0, 0]);
    expect(sizes(1)).toEqual([0, 0, 1]);
    expect(sizes(2)).toEqual([1, 0, 1]);
  });

  it("partitions the seeded shuffle in order", () => {
    const items = range(40).map((i) => `case_${i}`);
    const s = splitCases(items);
    expect([...s.train, ...s.val, ...s.test]).toEqual(shuffle(items, createRng(1234)));
    expect(splitCases(items)).toEqual(s);
    const other = splitCases(items, { seed: 1 });
    expect([...other.train, ...other.val, ...other.test]).not.toEqual([...s.train, ...s.val, ...s.test]);
  });
});
