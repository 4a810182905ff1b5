import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { DatasetJson } from "../layout/dataset-json.js";
import { writeDatasetJson } from "../layout/write-dataset-json.js";
import { writeNifti } from "../nifti/index.js";
import type { TaskProfile } from "../profiles/types.js";
import { deriveSeed } from "../random/rng.js";
import { synthesizeCase } from "./phantom-case.js";

export interface SynthesizeDatasetOptions {
  readonly profile: TaskProfile;
  /** Folder to write (created if needed). */
  readonly outDir: string;
  /** Training cases (default 8). */
  readonly cases?: number;
  /** Unlabelled test images in imagesTs (default 2). */
  readonly testCases?: number;
  /** In-plane size (default 64); depth is max(8, size / 2). */
  readonly size?: number;
  readonly depth?: number;
  readonly seed?: number;
  /** Called after each written file. */
  readonly onProgress?: (event: { readonly done: number; readonly total: number; readonly file: string }) => void;
}

export interface SynthesizedDataset {
  readonly root: string;
  readonly json: DatasetJson;
}

/** `Task09_Spleen` -> `spleen`, `BTCV` -> `btcv`: the file-name prefix of the cases. */
export function casePrefix(profileId: string): string {
  return profileId.replace(/^Task\d+_/, "").toLowerCase();
}

/**
 * Writes a synthetic dataset for `profile` in the Medical Segmentation Decathlon layout:
 * `dataset.json`, `imagesTr/<prefix>_<i>.nii.gz` (4D for multi-channel profiles),
 * `labelsTr/<prefix>_<i>.nii.gz` (uint8) and `imagesTs/<prefix>_<i>.nii.gz`. Every file is
 * written atomically; the same options give byte-identical files.
 */
export async function synthesizeDataset(options: SynthesizeDatasetOptions): Promise<SynthesizedDataset> {
  const { profile, outDir } = options;
  const nTrain = options.cases ?? 8;
  const nTest = options.testCases ?? 2;
  const seed = options.seed ?? 0;
  const size = options.size ?? 64;
  if (!(Number.isInteger(nTrain) && nTrain >= 1 && Number.isInteger(nTest) && nTest >= 0)) {
    throw new Error(`synthesizeDataset: cases must be >= 1 and testCases >= 0, got ${nTrain} / ${nTest}`);
  }
  const prefix = casePrefix(profile.id);
  for (const sub of ["imagesTr", "labelsTr", "imagesTs"]) await mkdir(join(outDir, sub), { recursive: true });
  const total = 2 * nTrain + nTest + 1;
  let done = 0;
  const progress = (file: string) => options.onProgress?.({ done: ++done, total, file });

  const training: { image: string; label: string }[] = [];
  for (let i = 0; i < nTrain; i++) {
    const name = `${prefix}_${String(i + 1).padStart(3, "0")}.nii.gz`;
    const c = synthesizeCase(profile, { size, depth: options.depth, seed: deriveSeed(seed, 0, i) });
    const image = join(outDir, "imagesTr", name);
    const label = join(outDir, "labelsTr", name);
    await writeNifti(image, { ...c.image, spacing: c.spacing, affine: c.affine });
    progress(image);
    await writeNifti(label, { ...c.label, spacing: c.spacing, affine: c.affine });
    progress(label);
    training.push({ image: `./imagesTr/${name}`, label: `./labelsTr/${name}` });
  }
  const test: string[] = [];
  for (let i = 0; i < nTest; i++) {
    const name = `${prefix}_${String(nTrain + i + 1).padStart(3, "0")}.nii.gz`;
    const c = synthesizeCase(profile, { size, depth: options.depth, seed: deriveSeed(seed, 1, i) });
    const image = join(outDir, "imagesTs", name);
    await writeNifti(image, { ...c.image, spacing: c.spacing, affine: c.affine });
    progress(image);
    test.push(`./imagesTs/${name}`);
  }
  const json: DatasetJson = {
    name: profile.id,
    description: `Synthetic phantom data for ${profile.id} (${profile.description}); seed ${seed}, ${size}x${size} in-plane`,
    reference: "@transseg/datasets synthesizeDataset",
    licence: "CC0-1.0",
    tensorImageSize: profile.channels > 1 ? "4D" : "3D",
    modality: Object.fromEntries(profile.channelNames.map((m, i) => [String(i), m])),
    labels: Object.fromEntries(profile.labels.map((l, i) => [String(i), l])),
    numTraining: nTrain,
    numTest: nTest,
    training,
    test,
  };
  progress(await writeDatasetJson(outDir, json));
  return { root: outDir, json };
}
