import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeNifti } from "../../nifti/write.js";
import { ACDC_PAPER_HELD_OUT, ACDC_PAPER_TRAINING } from "../../paper-splits/acdc-cases.js";
import { BTCV_CASE_NUMBERS } from "../../paper-splits/btcv.js";
import { MSD_TRAINING_LENGTHS, type MsdTaskId } from "../../paper-splits/msd.js";
import { getProfile } from "../../profiles/get-profile.js";
import { writeDatasetJson } from "../write-dataset-json.js";

/**
 * Small trees in the layouts users download (for tests, here and in the apps): 2×2×1 NIfTI
 * volumes whose voxels all hold `value`, so a test can tell which file a link reaches, and
 * macOS companions (`._name`, `.DS_Store`) beside the real files, as archives made on a Mac carry.
 */
async function volume(path: string, value: number, channels = 1): Promise<void> {
  const shape = channels > 1 ? [2, 2, 1, channels] : [2, 2, 1];
  await writeFile(path, encodeNifti({ data: new Int16Array(4 * channels).fill(value), shape }, { gzip: /\.gz$/.test(path) }));
}

/** A macOS AppleDouble companion `._name` beside `dir/name` (not a NIfTI file). */
async function macCompanion(dir: string, name: string): Promise<void> {
  await writeFile(join(dir, `._${name}`), "Mac OS X        \u0002\u0000");
}

export interface RawTree {
  /** The folder to pass to `convertRawDataset` / `openDataset`. */
  readonly dir: string;
  /** Case id -> the value every voxel of its image holds (labels hold `value % classes`). */
  readonly values: ReadonlyMap<string, number>;
}

/**
 * ACDC as downloaded, under `dir/database/`: the 100 training patients of the paper's lists
 * (`training/patientNNN/` with Info.cfg, ED and ES frames, their `_gt` labels, a `_4d` volume)
 * and `testing` patients 101… without labels. Image voxels hold the frame's index + 1.
 */
export async function writeAcdcRawTree(dir: string, options: { readonly testing?: number } = {}): Promise<RawTree> {
  const root = join(dir, "database");
  const frames = [...ACDC_PAPER_TRAINING, ...ACDC_PAPER_HELD_OUT].sort();
  const values = new Map<string, number>(frames.map((f, i) => [f, i + 1]));
  const patients = new Map<string, string[]>();
  for (const f of frames) patients.set(f.slice(0, 10), [...(patients.get(f.slice(0, 10)) ?? []), f]);
  const testing = Array.from({ length: options.testing ?? 1 }, (_, i) => `patient${101 + i}`);
  for (const p of testing) patients.set(p, [`${p}_frame01`, `${p}_frame10`]);
  for (const [patient, [ed, es]] of patients) {
    const split = patient > "patient100" ? "testing" : "training";
    const folder = join(root, split, patient);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "Info.cfg"), `ED: ${Number(ed!.slice(-2))}\nES: ${Number(es!.slice(-2))}\nGroup: NOR\nHeight: 180.0\nNbFrame: 30\nWeight: 80.0\n`);
    for (const frame of [ed!, es!]) {
      const value = values.get(frame) ?? 0;
      await volume(join(folder, `${frame}.nii.gz`), value);
      if (split === "training") await volume(join(folder, `${frame}_gt.nii.gz`), value % 4);
      await macCompanion(folder, `${frame}.nii.gz`);
    }
    await volume(join(folder, `${patient}_4d.nii.gz`), 0);
    await macCompanion(join(root, split), patient);
  }
  await writeFile(join(root, "training", ".DS_Store"), "");
  return { dir, values };
}

/**
 * BTCV as downloaded: `dir/RawData/Training/{img,label}/` for scans 1–10 and 21–40 and
 * `dir/RawData/Testing/img/` for `testing` scans 61…. Image voxels hold the scan number.
 */
export async function writeBtcvRawTree(dir: string, options: { readonly testing?: number } = {}): Promise<RawTree> {
  const values = new Map<string, number>();
  const training = join(dir, "RawData", "Training");
  for (const sub of ["img", "label"]) await mkdir(join(training, sub), { recursive: true });
  for (const n of BTCV_CASE_NUMBERS) {
    const num = String(n).padStart(4, "0");
    await volume(join(training, "img", `img${num}.nii.gz`), n);
    await volume(join(training, "label", `label${num}.nii.gz`), n % 14);
    await macCompanion(join(training, "img"), `img${num}.nii.gz`);
    await macCompanion(join(training, "label"), `label${num}.nii.gz`);
    values.set(`img${num}`, n);
  }
  const testing = join(dir, "RawData", "Testing", "img");
  await mkdir(testing, { recursive: true });
  for (let i = 0; i < (options.testing ?? 1); i++) {
    await volume(join(testing, `img${String(61 + i).padStart(4, "0")}.nii.gz`), 61 + i);
    await macCompanion(testing, `img${String(61 + i).padStart(4, "0")}.nii.gz`);
  }
  return { dir, values };
}

/**
 * An MSD task folder as its archive unpacks: `dataset.json` listing the task's full training
 * length (cases `<prefix>_<k>` in a scrambled, unsorted order, as MSD's lists are), imagesTr,
 * labelsTr, imagesTs, and `._*` companions beside every volume. Image voxels hold the dataset.json
 * index + 1. Labels and channels follow the task profile.
 */
export async function writeMsdTree(dir: string, taskId: MsdTaskId, options: { readonly testing?: number } = {}): Promise<RawTree> {
  const profile = getProfile(taskId);
  const n = MSD_TRAINING_LENGTHS[taskId];
  const prefix = taskId.slice(7).toLowerCase();
  // A fixed scramble (k -> 7k + 3 mod a prime ≥ n), so dataset.json order is not name order.
  const ids = Array.from({ length: 1009 }, (_, k) => (7 * k + 3) % 1009).filter((k) => k < n).map((k) => `${prefix}_${k}`);
  const values = new Map(ids.map((id, i) => [id, i + 1]));
  for (const sub of ["imagesTr", "labelsTr", "imagesTs"]) await mkdir(join(dir, sub), { recursive: true });
  for (const [id, value] of values) {
    await volume(join(dir, "imagesTr", `${id}.nii.gz`), value, profile.channels);
    await volume(join(dir, "labelsTr", `${id}.nii.gz`), value % profile.classes);
    await macCompanion(join(dir, "imagesTr"), `${id}.nii.gz`);
    await macCompanion(join(dir, "labelsTr"), `${id}.nii.gz`);
  }
  const test = Array.from({ length: options.testing ?? 1 }, (_, i) => `${prefix}_${n + i}`);
  for (const id of test) {
    await volume(join(dir, "imagesTs", `${id}.nii.gz`), 0, profile.channels);
    await macCompanion(join(dir, "imagesTs"), `${id}.nii.gz`);
  }
  await writeDatasetJson(dir, {
    name: taskId.slice(7),
    modality: Object.fromEntries(profile.channelNames.map((c, i) => [String(i), c])),
    labels: Object.fromEntries(profile.labels.map((l, i) => [String(i), l])),
    numTraining: n,
    numTest: test.length,
    training: ids.map((id) => ({ image: `./imagesTr/${id}.nii.gz`, label: `./labelsTr/${id}.nii.gz` })),
    test: test.map((id) => `./imagesTs/${id}.nii.gz`),
  });
  return { dir, values };
}
