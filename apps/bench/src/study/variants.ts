import type { TrainInit, TrainVariant } from "@transseg/vit3d";

/** One model of the paper's Table 5. */
export interface StudyVariant {
  readonly id: string;
  /** Column header, as the paper writes it. */
  readonly label: string;
  readonly description: string;
  readonly variant: TrainVariant;
  readonly init: TrainInit;
}

export const oursVariant = {
  id: "ours",
  label: "Ours",
  description: "3D model inflated from the 2D pre-trained checkpoint (window 5, centre inflation by default)",
  variant: "3d",
  init: "checkpoint",
} as const satisfies StudyVariant;

export const withoutDepthVariant = {
  id: "2d",
  label: "w/o D",
  description: "2D model (centre slice, patch depth 1) from the same 2D pre-trained checkpoint",
  variant: "2d",
  init: "checkpoint",
} as const satisfies StudyVariant;

export const withoutTransferAndDepthVariant = {
  id: "random",
  label: "w/o T&D",
  description: "2D model (centre slice) from random initialisation: no transfer, no depth",
  variant: "2d",
  init: "random",
} as const satisfies StudyVariant;

export type VariantRegistry = Readonly<Record<string, StudyVariant>>;

export const builtinVariants = {
  ours: oursVariant,
  "2d": withoutDepthVariant,
  random: withoutTransferAndDepthVariant,
} as const satisfies VariantRegistry;
