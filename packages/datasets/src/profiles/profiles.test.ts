import { describe, expect, it } from "vitest";
import { checkProfileConformance } from "../testing/profile.js";
import { BTCV_EIGHT_ORGANS, btcv } from "./btcv.js";
import { getProfile } from "./get-profile.js";
import { builtinProfiles } from "./registry.js";
import type { TaskProfile } from "./types.js";
import { validateProfile } from "./validate.js";

// SPEC §4 table, transcribed: id, modality, channels, classes, img, clip, steps, Ours, w/o D.
const table: [string, string, number, number, number, [number, number] | null, number, number, number][] = [
  ["BTCV", "CT", 1, 14, 512, [-175, 250], 25_000, 87.13, 85.18],
  ["ACDC", "MRI", 1, 4, 512, [-175, 250], 25_000, 92.69, 92.62],
  ["Task01_BrainTumour", "MRI", 4, 4, 240, null, 250_000, 80.13, 79.3],
  ["Task02_Heart", "MRI", 1, 2, 320, [601, 1511], 25_000, 90.78, 91.22],
  ["Task03_Liver", "CT", 1, 3, 512, [-175, 250], 25_000, 87.67, 87.24],
  ["Task04_Hippocampus", "MRI", 1, 3, 240, [29, 205431], 25_000, 86.83, 86.24],
  ["Task05_Prostate", "MRI", 2, 3, 320, [0, 2152], 25_000, 75.2, 74.29],
  ["Task06_Lung", "CT", 1, 2, 512, [-175, 250], 25_000, 70.2, 62.01],
  ["Task07_Pancreas", "CT", 1, 3, 512, [-175, 250], 100_000, 59.94, 58.6],
  ["Task08_HepaticVessel", "CT", 1, 3, 512, [-175, 250], 100_000, 70.42, 67.95],
  ["Task09_Spleen", "CT", 1, 2, 512, [-175, 250], 25_000, 95.56, 95.12],
  ["Task10_Colon", "CT", 1, 2, 512, [-175, 250], 25_000, 51.7, 46.28],
];

describe("builtin profiles", () => {
  it("hold exactly the 12 tasks of SPEC §4 with the table's values", () => {
    expect(Object.keys(builtinProfiles)).toEqual(table.map((r) => r[0]));
    for (const [id, modality, channels, classes, img, clip, steps, dice, wod] of table) {
      const p: TaskProfile = getProfile(id);
      expect({ id: p.id, modality: p.modality, channels: p.channels, classes: p.classes, img: p.img, clip: p.clip }).toEqual({
        id, modality, channels, classes, img: [img, img], clip,
      });
      expect([p.paper.steps, p.paper.dice, p.paper.diceWithoutDepth]).toEqual([steps, dice, wod]);
    }
  });

  it.each(Object.values(builtinProfiles))("$id passes the conformance kit", (p) => {
    expect(validateProfile(p)).toEqual([]);
    expect(() => checkProfileConformance(p)).not.toThrow();
  });

  it("BTCV carries the 8-organ set and the ablations", () => {
    expect(BTCV_EIGHT_ORGANS).toEqual([1, 2, 3, 4, 6, 7, 8, 11]);
    expect(BTCV_EIGHT_ORGANS.map((l) => btcv.labels[l])).toEqual([
      "spleen", "right kidney", "left kidney", "gallbladder", "liver", "stomach", "aorta", "pancreas",
    ]);
    expect(btcv.paper.reportedLabels).toBe(BTCV_EIGHT_ORGANS);
    expect(btcv.paper.diceWithoutTransferAndDepth).toBe(74.0);
    expect(btcv.paper.initialization).toEqual({ random: 72.49, average: 76.33, centering: 84.3 });
  });
});

describe("getProfile", () => {
  it("suggests the nearest id and lists all ids for an unknown id", () => {
    expect(() => getProfile("task09_spleen")).toThrow(
      `unknown task profile "task09_spleen"; did you mean "Task09_Spleen"? valid: ${Object.keys(builtinProfiles).join(", ")}`,
    );
    expect(() => getProfile("BTVC")).toThrow('did you mean "BTCV"?');
    expect(() => getProfile("toString")).toThrow("unknown task profile");
  });
  it("takes a user registry", () => {
    const mine = { ...btcv, id: "Mine" } as const satisfies TaskProfile;
    expect(getProfile("Mine", { Mine: mine })).toBe(mine);
    expect(() => getProfile("BTCV", { Mine: mine })).toThrow('valid: Mine');
  });
});

describe("validateProfile", () => {
  it("reports each inconsistency", () => {
    const bad: TaskProfile = {
      ...btcv,
      id: "bad id",
      channels: 2,
      classes: 3,
      img: [0, 64],
      clip: [5, 1],
      paper: { steps: 0, dice: 120, diceWithoutDepth: 1, reportedLabels: [0] },
      phantom: [
        { label: 1, kind: "lesion" },
        { label: 7, kind: "organ", parent: 2 },
        { label: 1, kind: "organ", parent: 3 },
        { label: 1, kind: "organ", parent: 2 },
      ],
    };
    const problems = validateProfile(bad).join("\n");
    for (const s of [
      "id must be", "1 channel names for 2 channels", "14 label names for 3 classes", "img must be", "clip must be",
      "paper.steps", "percentages", "reportedLabels has 0", "phantom[0] (lesion) needs a parent", "phantom[1].label 7",
      "parent cycle", "class 2 (right kidney) has no phantom structure",
    ]) expect(problems).toContain(s);
  });
});
