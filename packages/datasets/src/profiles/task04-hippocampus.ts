import type { TaskProfile } from "./types.js";

/** MSD Task04: T1 MRI crops of the hippocampus (head and body/tail). */
export const task04Hippocampus = {
  id: "Task04_Hippocampus",
  description: "MSD hippocampus: MRI, anterior and posterior hippocampus",
  modality: "MRI",
  channelNames: ["MRI"],
  channels: 1,
  labels: ["background", "Anterior", "Posterior"],
  classes: 3,
  img: [240, 240],
  clip: [29, 205431],
  paper: { steps: 25_000, dice: 86.83, diceWithoutDepth: 86.24 },
  phantom: [
    { label: 1, kind: "organ", size: 1.0, intensity: 0.55 },
    { label: 2, kind: "organ", size: 0.9, intensity: 0.6 },
  ],
} as const satisfies TaskProfile;
