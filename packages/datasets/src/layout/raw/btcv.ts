import { join } from "node:path";
import { DatasetError } from "../../errors.js";
import { btcv as btcvProfile } from "../../profiles/btcv.js";
import type { DatasetCase } from "../load-dataset.js";
import { firstMatching, listFolder, niftiNamed } from "./list-folder.js";
import { rawDataset } from "./raw-dataset.js";
import type { RawLayout } from "./types.js";

const IMAGE = /^img(\d{4})\.nii(\.gz)?$/;

/** The `imgNNNN` images of `dir/img` (`.nii.gz` before `.nii`) by id, in name order. */
async function images(dir: string): Promise<Map<string, string>> {
  const names = (await listFolder(join(dir, "img"))) ?? [];
  const ids = [...new Set(names.filter((n) => IMAGE.test(n)).map((n) => `img${IMAGE.exec(n)![1]}`))];
  return new Map(ids.map((id) => [id, join(dir, "img", niftiNamed(names, id)!)]));
}

/**
 * BTCV (Synapse "Multi-Atlas Labeling Beyond the Cranial Vault", Abdomen) as downloaded:
 * `RawData/Training/img/imgNNNN.nii.gz` with `RawData/Training/label/labelNNNN.nii.gz`, and
 * optionally `RawData/Testing/img/`; `dir` may be the folder holding `RawData` or `RawData`
 * itself. Case ids are the image names (`img0001`).
 */
export const btcvRawLayout = {
  id: "btcv",
  taskId: btcvProfile.id,
  description: "RawData/Training/{img,label}/{img,label}NNNN.nii.gz (+ RawData/Testing/img/)",
  locate: (dir) => firstMatching(dir, ["", "RawData"], async (path) => (await images(join(path, "Training"))).size > 0),
  async read(root) {
    const trainingDir = join(root, "Training");
    const labelNames = (await listFolder(join(trainingDir, "label"))) ?? [];
    const training: DatasetCase[] = [...(await images(trainingDir))].map(([id, image]) => {
      const number = id.slice(3);
      const label = niftiNamed(labelNames, `label${number}`);
      if (label === undefined) throw new DatasetError(join(trainingDir, "label", `label${number}.nii.gz`), `not found: the label of ${id}`);
      return { id, image, label: join(trainingDir, "label", label) };
    });
    const test = [...(await images(join(root, "Testing")))].map(([id, image]) => ({ id, image }));
    return rawDataset({ profile: btcvProfile, reference: "https://www.synapse.org/#!Synapse:syn3193805", root, training, test });
  },
} as const satisfies RawLayout;
