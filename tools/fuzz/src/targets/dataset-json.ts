/** `dataset.json` (Medical Segmentation Decathlon layout) through `loadDataset`. */
import { loadDataset, type Dataset } from "@transseg/datasets";
import { mutateJson } from "../json-mutate.js";
import { mutateBytes } from "../mutate.js";
import { fileOf, stacked, withFile, type FuzzFile, type FuzzSeed, type FuzzTarget } from "../target.js";

const JSON_FILE = "dataset.json";
const KEYS = ["name", "description", "labels", "modality", "training", "test", "numTraining", "numTest", "image", "label", "tensorImageSize", "0", "1", "2"];
const empty = new Uint8Array(0);

function seed(name: string, json: object, files: string[]): FuzzSeed {
  const list: FuzzFile[] = files.map((f) => ({ name: f, bytes: empty }));
  list.push({ name: JSON_FILE, bytes: new TextEncoder().encode(JSON.stringify(json, null, 4)) });
  return { name, files: list, main: "." };
}

const spleen = seed(
  "Task09_Spleen",
  {
    name: "Spleen", description: "Spleen Segmentation", tensorImageSize: "3D", modality: { "0": "CT" }, labels: { "0": "background", "1": "spleen" },
    numTraining: 2, numTest: 1,
    training: [{ image: "./imagesTr/spleen_2.nii.gz", label: "./labelsTr/spleen_2.nii.gz" }, { image: "./imagesTr/spleen_3.nii.gz", label: "./labelsTr/spleen_3.nii.gz" }],
    test: ["./imagesTs/spleen_1.nii.gz"],
  },
  ["imagesTr/spleen_2.nii.gz", "labelsTr/spleen_2.nii.gz", "imagesTr/spleen_3.nii.gz", "labelsTr/spleen_3.nii.gz", "imagesTs/spleen_1.nii.gz"],
);

const brain = seed(
  "Task01_BrainTumour",
  {
    name: "BRATS", modality: { "0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w" }, labels: { "0": "background", "1": "edema", "2": "non-enhancing tumor", "3": "enhancing tumour" },
    training: [{ image: "./imagesTr/BRATS_001.nii.gz", label: "./labelsTr/BRATS_001.nii.gz" }], test: [],
  },
  ["imagesTr/BRATS_001.nii.gz", "labelsTr/BRATS_001.nii.gz"],
);

function check(d: Dataset): string | null {
  if (typeof d.name !== "string") return `name is a ${typeof d.name}`;
  if (!d.labels.length || !d.labels.every((l) => typeof l === "string")) return "labels are not a non-empty list of strings";
  if (!d.modality.length || !d.modality.every((l) => typeof l === "string")) return "modality is not a non-empty list of strings";
  for (const c of d.training) if (typeof c.id !== "string" || typeof c.image !== "string" || typeof c.label !== "string") return "a training case is malformed";
  for (const t of d.test) if (typeof t.id !== "string" || typeof t.image !== "string") return "a test image is malformed";
  return null;
}

export const datasetJsonTarget = {
  id: "dataset-json",
  description: "dataset.json (Decathlon layout): loadDataset",
  errorName: "DatasetError",
  expansion: 16,
  seeds: () => [spleen, brain],
  mutate: (s, rng) =>
    stacked(s, rng, (input, r) => {
      const bytes = fileOf(input, JSON_FILE);
      if (r.chance(0.75)) {
        const m = mutateJson(new TextDecoder().decode(bytes), r, KEYS);
        return { files: withFile(input.files, JSON_FILE, new TextEncoder().encode(m.text)), note: m.note };
      }
      const m = mutateBytes(bytes, { boundaries: [0, 1, bytes.length - 1, bytes.length], fields: [] }, r);
      return { files: withFile(input.files, JSON_FILE, m.bytes), note: m.note };
    }),
  async read(path) {
    return check(await loadDataset(path));
  },
} as const satisfies FuzzTarget;
