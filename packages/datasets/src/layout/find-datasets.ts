import { basename, join, resolve } from "node:path";
import { builtinProfiles } from "../profiles/registry.js";
import { detectLayout, type DetectedLayout } from "./open-dataset.js";
import { listFolder } from "./raw/list-folder.js";
import { builtinRawLayouts } from "./raw/registry.js";
import type { RawLayoutRegistry } from "./raw/types.js";

export interface FoundDataset extends DetectedLayout {
  /** The folder that was found (`root` may lie inside it, e.g. `RawData`). */
  readonly dir: string;
  /**
   * The task: a raw layout's, else the folder's name when it is a task id (`Task09_Spleen`,
   * `acdc` -> `ACDC`); undefined when neither tells.
   */
  readonly taskId?: string;
}

export interface FindDatasetsOptions {
  readonly layouts?: RawLayoutRegistry;
  /** Task ids a folder name may spell (default: the built-in profiles' ids). */
  readonly taskIds?: readonly string[];
}

/**
 * The datasets in `dir`: `dir` itself when it holds one, else each of its sub-folders that does
 * (name order; macOS `._*` entries skipped), in the Decathlon layout or a raw one. Nothing is
 * read beyond what detection needs; open each with `openDataset(found.dir)`.
 */
export async function findDatasets(dir: string, options: FindDatasetsOptions = {}): Promise<FoundDataset[]> {
  const layouts = options.layouts ?? builtinRawLayouts;
  const taskIds = options.taskIds ?? Object.keys(builtinProfiles);
  const taskOf = (folder: string, found: DetectedLayout) =>
    found.raw?.taskId ?? taskIds.find((id) => id.toLowerCase() === basename(folder).toLowerCase());
  const root = resolve(dir);
  const self = await detectLayout(root, layouts);
  if (self !== undefined) return [{ ...self, dir: root, taskId: taskOf(root, self) }];
  const out: FoundDataset[] = [];
  for (const name of (await listFolder(root)) ?? []) {
    const sub = join(root, name);
    const found = await detectLayout(sub, layouts);
    if (found !== undefined) out.push({ ...found, dir: sub, taskId: taskOf(sub, found) });
  }
  return out;
}
