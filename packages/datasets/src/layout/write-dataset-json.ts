import { join } from "node:path";
import { writeFileAtomic } from "../atomic.js";
import type { DatasetJson } from "./dataset-json.js";

/** Writes `dir/dataset.json` atomically (2-space indented, trailing newline). */
export async function writeDatasetJson(dir: string, json: DatasetJson): Promise<string> {
  const file = join(dir, "dataset.json");
  await writeFileAtomic(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}
