import { describe, expect, it } from "vitest";
import { task01BrainTumour } from "../profiles/task01-brain-tumour.js";
import { task09Spleen } from "../profiles/task09-spleen.js";
import { checkDatasetProfile } from "./check-profile.js";
import type { Dataset } from "./load-dataset.js";

const ds = (labels: string[], modality: string[]): Dataset => ({
  name: "x", root: "/d", labels, modality, training: [], test: [],
  json: { modality: {}, labels: {}, training: [], test: [] },
});

describe("checkDatasetProfile", () => {
  it("accepts a matching dataset and names the mismatch otherwise", () => {
    expect(() => checkDatasetProfile(ds(["background", "spleen"], ["CT"]), task09Spleen)).not.toThrow();
    expect(() => checkDatasetProfile(ds(["background", "a", "b"], ["CT"]), task09Spleen)).toThrow(
      '/d/dataset.json: lists 3 labels (background, a, b) but task profile "Task09_Spleen" has 2 classes',
    );
    expect(() => checkDatasetProfile(ds(["background", "edema", "ne", "e"], ["FLAIR"]), task01BrainTumour)).toThrow(
      'lists 1 modalities (FLAIR) but task profile "Task01_BrainTumour" has 4 channels',
    );
  });
});
