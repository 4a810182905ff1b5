// One plugin of every kind: a task profile, a source layout, a loss and a decoder (built-in ones under new ids).
import { builtinProfiles, type TaskProfile } from "@transseg/datasets";
import { builtinAdapters, type SourceAdapter } from "@transseg/weights";
import { builtinDecoders, builtinLosses, type Decoder, type SegLoss } from "@transseg/vit3d";

const spleen = builtinProfiles.Task09_Spleen;

export const myTask = { ...spleen, id: "MyTask", description: "a spleen-like task of one's own" } as const satisfies TaskProfile;

export const myLayout = {
  ...builtinAdapters["timm-vit"],
  id: "my-layout",
  description: "timm ViT names under another id (a stand-in for a new checkpoint layout)",
} as const satisfies SourceAdapter;

export const myLoss = { ...builtinLosses["dice-ce"], id: "my-dice-ce", description: "Dice + cross-entropy under another id" } as const satisfies SegLoss;

const upernet: Decoder = builtinDecoders.upernet;
export const myHead = {
  ...upernet,
  id: "my-head",
  description: "UPerNet under another id",
  normalize: (config, encoder) => ({ ...upernet.normalize(config, encoder), kind: "my-head" }),
} as const satisfies Decoder;
