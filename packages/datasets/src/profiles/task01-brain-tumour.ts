import type { TaskProfile } from "./types.js";

/** MSD Task01: multimodal MRI (FLAIR, T1w, T1gd, T2w) of gliomas. */
export const task01BrainTumour = {
  id: "Task01_BrainTumour",
  description: "MSD brain tumour: 4-channel MRI, edema / non-enhancing / enhancing tumour",
  modality: "MRI",
  channelNames: ["FLAIR", "T1w", "t1gd", "T2w"],
  channels: 4,
  labels: ["background", "edema", "non-enhancing tumor", "enhancing tumour"],
  classes: 4,
  img: [240, 240],
  clip: null,
  paper: { steps: 250_000, dice: 80.13, diceWithoutDepth: 79.3 },
  phantom: [
    { label: 0, kind: "organ", size: 2.4, intensity: 0.45 },
    { label: 1, kind: "organ", size: 1.0, intensity: 0.75 },
    { label: 3, kind: "lesion", parent: 1, size: 1.6, intensity: 0.95 },
    { label: 2, kind: "lesion", parent: 2, size: 1.5, intensity: 0.25 },
  ],
} as const satisfies TaskProfile;
