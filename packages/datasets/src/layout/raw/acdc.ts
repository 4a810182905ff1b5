import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../../errors.js";
import { acdc as acdcProfile } from "../../profiles/acdc.js";
import { firstMatching, isFolder, listFolder, niftiNamed } from "./list-folder.js";
import { rawDataset } from "./raw-dataset.js";
import type { RawLayout } from "./types.js";

const PATIENT = /^patient\d{3}$/;

/** The ED and ES frame numbers of `Info.cfg` (`ED: 1`, `ES: 12`, …), sorted, without repeats. */
export function parseInfoCfg(text: string, file: string): number[] {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\w+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) values.set(m[1]!, m[2]!);
  }
  const frame = (key: "ED" | "ES") => {
    const v = values.get(key);
    if (v === undefined || !/^\d+$/.test(v)) throw new DatasetError(file, `needs a line "${key}: <frame number>" (ACDC's Info.cfg), got ${v === undefined ? "none" : `"${v}"`}`);
    return Number(v);
  };
  return [...new Set([frame("ED"), frame("ES")])].sort((a, b) => a - b);
}

interface Frame {
  readonly id: string;
  readonly image: string;
  readonly label: string | undefined;
}

/** The ED and ES frames of one patient folder; a missing label throws when `withLabels`. */
async function patientFrames(folder: string, patient: string, withLabels: boolean): Promise<Frame[]> {
  const names = (await listFolder(folder)) ?? [];
  const cfg = join(folder, "Info.cfg");
  if (!names.includes("Info.cfg")) throw new DatasetError(cfg, "not found: each ACDC patient folder holds an Info.cfg naming its ED and ES frames");
  const frames = parseInfoCfg(await readFile(cfg, "utf8"), cfg);
  return frames.map((f) => {
    const id = `${patient}_frame${String(f).padStart(2, "0")}`;
    const image = niftiNamed(names, id);
    if (image === undefined) throw new DatasetError(join(folder, `${id}.nii.gz`), `not found: Info.cfg names frame ${f}`);
    const label = niftiNamed(names, `${id}_gt`);
    if (withLabels && label === undefined) throw new DatasetError(join(folder, `${id}_gt.nii.gz`), `not found: the label of ${id}`);
    return { id, image: join(folder, image), label: label === undefined ? undefined : join(folder, label) };
  });
}

/** The frames of every patient of `training/` or `testing/`, in name order. */
async function splitFolder(root: string, name: string, withLabels: boolean): Promise<Frame[]> {
  const dir = join(root, name);
  const patients = ((await listFolder(dir)) ?? []).filter((n) => PATIENT.test(n));
  const out: Frame[] = [];
  for (const p of patients) out.push(...(await patientFrames(join(dir, p), p, withLabels)));
  return out;
}

/**
 * ACDC as downloaded (creatis.insa-lyon.fr/Challenge/acdc): `training/patientNNN/` with
 * `patientNNN_frameNN.nii.gz`, `patientNNN_frameNN_gt.nii.gz` and `Info.cfg` (ED and ES frames),
 * optionally `testing/patientNNN/`; also inside a `database/` folder. The ED and ES frames of
 * every training patient become training cases (`patient001_frame01`, …); testing frames become
 * unlabelled test images.
 */
export const acdcRawLayout = {
  id: "acdc",
  taskId: acdcProfile.id,
  description: "training/patientNNN/patientNNN_frameNN[_gt].nii.gz + Info.cfg (also under database/)",
  locate: (dir) =>
    firstMatching(dir, ["", "database"], async (path) => ((await listFolder(join(path, "training"))) ?? []).some((n) => PATIENT.test(n))),
  async read(root) {
    const training = (await splitFolder(root, "training", true)).map(({ id, image, label }) => ({ id, image, label: label! }));
    const test = (await isFolder(join(root, "testing"))) ? (await splitFolder(root, "testing", false)).map(({ id, image }) => ({ id, image })) : [];
    return rawDataset({ profile: acdcProfile, reference: "https://www.creatis.insa-lyon.fr/Challenge/acdc/", root, training, test });
  },
} as const satisfies RawLayout;
