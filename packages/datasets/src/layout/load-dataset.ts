import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { DatasetError } from "../errors.js";
import { indexedNames, parseDatasetJson, type DatasetJson } from "./dataset-json.js";

export interface DatasetCase {
  /** File name without `.nii.gz` / `.nii`, e.g. `spleen_2`. */
  readonly id: string;
  /** Absolute path of the image (3D, or 4D with channels last). */
  readonly image: string;
  /** Absolute path of the label map. */
  readonly label: string;
}

export interface DatasetTestImage {
  readonly id: string;
  readonly image: string;
}

export interface Dataset {
  readonly name: string;
  /** Absolute path of the dataset folder. */
  readonly root: string;
  /** Label names by class id (index 0 = background). */
  readonly labels: readonly string[];
  /** Modality names by channel. */
  readonly modality: readonly string[];
  readonly training: readonly DatasetCase[];
  readonly test: readonly DatasetTestImage[];
  /** The parsed `dataset.json`. */
  readonly json: DatasetJson;
}

export interface LoadDatasetOptions {
  /** Check that every listed file exists (default true). */
  readonly checkFiles?: boolean;
}

/** `spleen_2.nii.gz` -> `spleen_2`. */
export function caseId(path: string): string {
  return basename(path).replace(/\.nii(\.gz)?$/i, "");
}

/**
 * Reads a dataset folder in the Medical Segmentation Decathlon layout: `dir/dataset.json`
 * with `training: [{image, label}]` and `test: [image]`, paths relative to `dir`.
 * Throws `DatasetError` naming the file when dataset.json is missing or malformed, or when
 * listed files are missing (all of them are named, up to 5, with the count).
 */
export async function loadDataset(dir: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const root = resolve(dir);
  const st = await stat(root).catch(() => null);
  if (!st?.isDirectory()) throw new DatasetError(root, "not a dataset folder (does not exist or is not a directory)");
  const file = join(root, "dataset.json");
  const text = await readFile(file, "utf8").catch(() => {
    throw new DatasetError(file, "not found: a dataset folder needs a dataset.json (Medical Segmentation Decathlon layout)");
  });
  const json = parseDatasetJson(text, file);
  const training = json.training.map((e) => ({ id: caseId(e.image), image: resolve(root, e.image), label: resolve(root, e.label) }));
  const test = json.test.map((t) => ({ id: caseId(t), image: resolve(root, t) }));
  if (options.checkFiles ?? true) {
    const listed = [...training.flatMap((c) => [c.image, c.label]), ...test.map((t) => t.image)];
    const missing = listed.filter((p) => !existsSync(p));
    if (missing.length > 0) {
      const shown = missing.slice(0, 5).map((p) => p.slice(root.length + 1)).join(", ");
      const more = missing.length > 5 ? ` and ${missing.length - 5} more` : "";
      throw new DatasetError(file, `${missing.length} listed file${missing.length === 1 ? " is" : "s are"} missing: ${shown}${more}`);
    }
  }
  return {
    name: json.name ?? basename(root),
    root,
    labels: indexedNames(json.labels, "labels", file),
    modality: indexedNames(json.modality, "modality", file),
    training,
    test,
    json,
  };
}
