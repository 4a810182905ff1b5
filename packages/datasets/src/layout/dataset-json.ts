import { DatasetError } from "../errors.js";

/** `dataset.json` of the Medical Segmentation Decathlon layout (also used for BTCV and ACDC). */
export interface DatasetJson {
  readonly name?: string;
  readonly description?: string;
  readonly reference?: string;
  readonly licence?: string;
  readonly release?: string;
  readonly tensorImageSize?: string;
  /** Channel index (as a string) -> modality name, e.g. `{"0": "CT"}`. */
  readonly modality: Readonly<Record<string, string>>;
  /** Class id (as a string) -> label name; "0" is the background. */
  readonly labels: Readonly<Record<string, string>>;
  readonly numTraining?: number;
  readonly numTest?: number;
  /** Paths relative to the dataset folder, e.g. `./imagesTr/x.nii.gz`. */
  readonly training: readonly { readonly image: string; readonly label: string }[];
  readonly test: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A contiguous `{"0": a, "1": b, …}` map as an array; throws naming `field` otherwise. */
export function indexedNames(map: unknown, field: string, file: string): string[] {
  if (!isObject(map)) throw new DatasetError(file, `"${field}" must be an object like {"0": "…"}`);
  const keys = Object.keys(map);
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const name = map[String(i)];
    if (typeof name !== "string") {
      throw new DatasetError(file, `"${field}" must have string entries "0".."${keys.length - 1}" (missing or non-string "${i}"; keys: ${keys.join(", ")})`);
    }
    out.push(name);
  }
  if (out.length === 0) throw new DatasetError(file, `"${field}" is empty`);
  return out;
}

/** Parses and validates the text of a `dataset.json`; errors name `file` and the problem. */
export function parseDatasetJson(text: string, file: string): DatasetJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DatasetError(file, `invalid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw new DatasetError(file, "expected a JSON object");
  for (const key of ["name", "description", "reference", "licence", "tensorImageSize"] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== "string") throw new DatasetError(file, `"${key}" must be a string`);
  }
  indexedNames(raw.labels, "labels", file);
  indexedNames(raw.modality, "modality", file);
  const training = raw.training;
  if (!Array.isArray(training)) throw new DatasetError(file, `"training" must be an array of {"image", "label"}`);
  training.forEach((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry.image !== "string" || typeof entry.label !== "string") {
      throw new DatasetError(file, `"training"[${i}] must be {"image": "<path>", "label": "<path>"}`);
    }
  });
  const test = raw.test ?? [];
  if (!Array.isArray(test) || test.some((t) => typeof t !== "string")) {
    throw new DatasetError(file, `"test" must be an array of image paths`);
  }
  if (raw.numTraining !== undefined && raw.numTraining !== training.length) {
    throw new DatasetError(file, `"numTraining" is ${String(raw.numTraining)} but "training" lists ${training.length} cases`);
  }
  if (raw.numTest !== undefined && raw.numTest !== test.length) {
    throw new DatasetError(file, `"numTest" is ${String(raw.numTest)} but "test" lists ${test.length} images`);
  }
  return { ...raw, test } as unknown as DatasetJson;
}
