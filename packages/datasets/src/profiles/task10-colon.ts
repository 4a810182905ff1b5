import type { TaskProfile } from "./types.js";

/** MSD Task10: CT of primary colon cancers. */
export const task10Colon = {
  id: "Task10_Colon",
  description: "MSD colon: CT, colon cancer primaries",
  modality: "CT",
  channelNames: ["CT"],
  channels: 1,
  labels: ["background", "colon cancer primaries"],
  classes: 2,
  img: [512, 512],
  clip: [-175, 250],
  paper: { steps: 25_000, dice: 51.7, diceWithoutDepth: 46.28 },
  phantom: [
    { label: 0, kind: "tube", size: 3.0, intensity: 0.42 },
    { label: 1, kind: "lesion", parent: 0, size: 2.0, intensity: 0.55, depthScale: 0.4 },
    // faecal strands inside the colon with the primaries' density and cross-section, running along z
    { label: 0, kind: "tube", parent: 0, size: 1.6, intensity: 0.55, count: 4 },
  ],
} as const satisfies TaskProfile;
