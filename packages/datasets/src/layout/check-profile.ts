import { join } from "node:path";
import { DatasetError } from "../errors.js";
import type { TaskProfile } from "../profiles/types.js";
import type { Dataset } from "./load-dataset.js";

/**
 * Throws a `DatasetError` naming the dataset.json when a dataset does not fit a task profile:
 * a different number of label classes or of modalities (channels).
 */
export function checkDatasetProfile(dataset: Dataset, profile: TaskProfile): void {
  const file = join(dataset.root, "dataset.json");
  if (dataset.labels.length !== profile.classes) {
    throw new DatasetError(file, `lists ${dataset.labels.length} labels (${dataset.labels.join(", ")}) but task profile "${profile.id}" has ${profile.classes} classes`);
  }
  if (dataset.modality.length !== profile.channels) {
    throw new DatasetError(file, `lists ${dataset.modality.length} modalities (${dataset.modality.join(", ")}) but task profile "${profile.id}" has ${profile.channels} channels`);
  }
}
