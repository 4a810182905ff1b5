import { describe, expect, it } from "vitest";
import { builtinProfiles } from "../profiles/registry.js";
import { task02Heart } from "../profiles/task02-heart.js";
import { task06Lung } from "../profiles/task06-lung.js";
import type { TaskProfile } from "../profiles/types.js";
import { measureDepthInformation } from "./depth-information.js";

describe("measureDepthInformation", () => {
  it("finds no depth information where the generator puts none, and a large gap for tumour vs vessels of one cross-section", () => {
    const heart = measureDepthInformation({ profile: task02Heart, cases: 2, bins: 16 });
    expect(heart.classes.map((c) => c.name)).toEqual(["left atrium"]);
    expect(heart.meanGap).toBeLessThan(0.01);
    const lung = measureDepthInformation({ profile: task06Lung, cases: 2, bins: 16 });
    expect(lung.meanGap).toBeGreaterThan(0.1);
    expect(lung.classes[0]!.windowRule).toMatch(/over 5 slices/);
    expect(lung.classes[0]!.centreRule).toMatch(/points along [xy]/);
  });

  it("the gap comes from the depth decoys: the same lung without them has none", () => {
    // drop the decoy vessels and make the tumour as long as an ordinary lesion
    const plain = { ...task06Lung, phantom: task06Lung.phantom.filter((s) => !(s.label === 0 && s.kind === "tube" && s.intensity === 0.5)).map((s) => (s.label === 1 ? { ...s, depthScale: 1 } : s)) } as TaskProfile;
    expect(plain.phantom.length).toBeLessThan(task06Lung.phantom.length);
    const r = measureDepthInformation({ profile: plain, cases: 2, bins: 16 });
    expect(r.meanGap).toBeLessThan(0.03);
  });

  it("window Dice is never below the centre Dice (the window contains the centre slice) and is deterministic", () => {
    const p = builtinProfiles.Task10_Colon;
    const a = measureDepthInformation({ profile: p, cases: 2, bins: 12, seed: 3 });
    const b = measureDepthInformation({ profile: p, cases: 2, bins: 12, seed: 3 });
    expect(a).toEqual(b);
    for (const c of a.classes) {
      expect(c.windowDice).toBeGreaterThanOrEqual(c.centreDice);
      expect(c.gap).toBeCloseTo(c.windowDice - c.centreDice, 12);
      expect(c.windowDice).toBeLessThanOrEqual(1);
    }
  });

  it("rejects an even or too deep window", () => {
    expect(() => measureDepthInformation({ profile: task02Heart, window: 4 })).toThrow("window must be odd");
    expect(() => measureDepthInformation({ profile: task02Heart, window: 31, depth: 24 })).toThrow("<= depth");
  });
});
