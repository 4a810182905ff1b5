import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatasetError } from "../errors.js";
import { loadDataset, type Dataset, type LoadDatasetOptions } from "./load-dataset.js";
import { builtinRawLayouts } from "./raw/registry.js";
import type { RawLayout, RawLayoutRegistry } from "./raw/types.js";

/** Where a dataset starts and in which layout: "decathlon" (dataset.json) or a raw layout's id. */
export interface DetectedLayout {
  readonly layout: string;
  /** The folder the layout starts in (`dir` itself, or e.g. `dir/RawData`). */
  readonly root: string;
  /** The raw layout (absent for "decathlon"). */
  readonly raw?: RawLayout;
}

export interface OpenedDataset {
  /** "decathlon" or the raw layout's id ("acdc", "btcv"). */
  readonly layout: string;
  /** The task a raw layout holds ("ACDC", "BTCV"); absent for a Decathlon folder (see its `name`). */
  readonly taskId?: string;
  readonly dataset: Dataset;
}

export interface OpenDatasetOptions extends LoadDatasetOptions {
  readonly layouts?: RawLayoutRegistry;
}

/** "a Decathlon folder (dataset.json) or a raw download: acdc (…), btcv (…)". */
export function expectedLayouts(layouts: RawLayoutRegistry = builtinRawLayouts): string {
  return `a Decathlon dataset folder (dataset.json) or a raw download: ${Object.values(layouts).map((l) => `${l.id} (${l.description})`).join(", ")}`;
}

/** The layout of `dir`: a `dataset.json` first, then each raw layout in registry order; undefined if none. */
export async function detectLayout(dir: string, layouts: RawLayoutRegistry = builtinRawLayouts): Promise<DetectedLayout | undefined> {
  const root = resolve(dir);
  if (existsSync(join(root, "dataset.json"))) return { layout: "decathlon", root };
  for (const raw of Object.values(layouts)) {
    const found = await raw.locate(root);
    if (found !== undefined) return { layout: raw.id, root: found, raw };
  }
  return undefined;
}

/**
 * Reads a dataset in either layout: a Decathlon folder through `loadDataset` (MSD archives as
 * they unpack, `._*` files beside the volumes are never listed), or a raw ACDC / BTCV download
 * in place, without converting it. Throws `DatasetError` naming `dir` when neither fits.
 */
export async function openDataset(dir: string, options: OpenDatasetOptions = {}): Promise<OpenedDataset> {
  const found = await detectLayout(dir, options.layouts);
  if (found === undefined) throw new DatasetError(resolve(dir), `not a dataset: expected ${expectedLayouts(options.layouts)}`);
  if (found.raw === undefined) return { layout: found.layout, dataset: await loadDataset(found.root, options) };
  return { layout: found.layout, taskId: found.raw.taskId, dataset: await found.raw.read(found.root) };
}
