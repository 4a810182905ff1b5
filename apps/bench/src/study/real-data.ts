import { findDatasets, openDataset, type FoundDataset } from "@transseg/datasets";
import { describeSplit, runSplit, splitSummary, type SplitSummary, type TrainSplit } from "@transseg/vit3d";
import type { StudySettings } from "./jobs.js";

/** The split a job's data take: the study's for real data (`paper` by default), the seeded one for synthetic data. */
export function dataSplit(settings: Pick<StudySettings, "split">, kind: "real" | "synthetic"): TrainSplit {
  return kind === "real" && settings.split === "paper" ? "paper" : "seeded";
}

/**
 * The datasets under `root`, by task id: `root` itself or its sub-folders, each in the Decathlon
 * layout (an MSD task as it unpacks, a converted download) or a raw ACDC / BTCV download
 * (`findDatasets`); the first folder of each task wins. Folders that name no task are left out.
 */
export async function findRealDatasets(root: string, taskIds: readonly string[]): Promise<Map<string, FoundDataset>> {
  const out = new Map<string, FoundDataset>();
  for (const found of await findDatasets(root, { taskIds })) if (found.taskId !== undefined && !out.has(found.taskId)) out.set(found.taskId, found);
  return out;
}

/** A real dataset of the study as it will be trained and evaluated: where, which layout, its split. */
export interface RealDataInfo {
  readonly taskId: string;
  readonly dir: string;
  readonly layout: string;
  readonly split: SplitSummary;
}

/** Opens a found dataset and splits its training list as the study's jobs will. */
export async function realDataInfo(found: FoundDataset, taskId: string, settings: Pick<StudySettings, "split" | "splitSeed">): Promise<RealDataInfo> {
  const { dataset } = await openDataset(found.dir);
  const split = splitSummary(runSplit(dataset.training, { split: dataSplit(settings, "real"), task: taskId, splitSeed: settings.splitSeed }));
  return { taskId, dir: found.dir, layout: found.layout, split };
}

/**
 * One line per dataset of the study saying where its data come from: for a real one its folder,
 * layout, the number of training, validation and test cases and whether they are the paper's
 * split; otherwise that synthetic phantoms stand in. Then the datasets under root the study
 * does not select.
 */
export async function describeStudyData(settings: Pick<StudySettings, "root" | "datasets" | "split" | "splitSeed">, taskIds: readonly string[]): Promise<string[]> {
  if (settings.root === null) return [];
  const found = await findRealDatasets(settings.root, taskIds);
  const lines: string[] = [];
  for (const d of settings.datasets) {
    const f = found.get(d);
    if (f === undefined) {
      lines.push(`data: ${d}: not under ${settings.root}: synthetic phantoms (seeded split)`);
      continue;
    }
    const info = await realDataInfo(f, d, settings);
    lines.push(`data: ${d}: ${info.dir} (${info.layout} layout): ${describeSplit(info.split)}`);
  }
  const others = [...found.keys()].filter((id) => !settings.datasets.includes(id));
  if (others.length) lines.push(`data: also under ${settings.root}, not in this study: ${others.join(", ")}`);
  return lines;
}
