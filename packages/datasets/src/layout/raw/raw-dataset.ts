import type { TaskProfile } from "../../profiles/types.js";
import type { Dataset, DatasetCase, DatasetTestImage } from "../load-dataset.js";

export interface RawDatasetParts {
  readonly profile: TaskProfile;
  /** Where the data was published. */
  readonly reference: string;
  readonly root: string;
  readonly training: readonly DatasetCase[];
  readonly test: readonly DatasetTestImage[];
}

/** A `Dataset` whose dataset.json (in memory) lists absolute paths, labels and channels from the profile. */
export function rawDataset({ profile, reference, root, training, test }: RawDatasetParts): Dataset {
  return {
    name: profile.id,
    root,
    labels: profile.labels,
    modality: profile.channelNames,
    training,
    test,
    json: {
      name: profile.id,
      description: profile.description,
      reference,
      licence: "see the publisher's website",
      tensorImageSize: profile.channels > 1 ? "4D" : "3D",
      modality: Object.fromEntries(profile.channelNames.map((n, i) => [String(i), n])),
      labels: Object.fromEntries(profile.labels.map((n, i) => [String(i), n])),
      numTraining: training.length,
      numTest: test.length,
      training: training.map(({ image, label }) => ({ image, label })),
      test: test.map((t) => t.image),
    },
  };
}
