import type { TaskProfile } from "./types.js";

/** MSD Task02: mono-modal MRI of the left atrium. */
export const task02Heart = {
  id: "Task02_Heart",
  description: "MSD heart: MRI, left atrium",
  modality: "MRI",
  channelNames: ["MRI"],
  channels: 1,
  labels: ["background", "left atrium"],
  classes: 2,
  img: [320, 320],
  clip: [601, 1511],
  paper: { steps: 25_000, dice: 90.78, diceWithoutDepth: 91.22 },
  phantom: [
    { label: 0, kind: "organ", size: 1.3, intensity: 0.55 },
    { label: 1, kind: "organ", size: 0.8, intensity: 0.85 },
    { label: 0, kind: "tube", size: 1.2, intensity: 0.8 },
  ],
} as const satisfies TaskProfile;
