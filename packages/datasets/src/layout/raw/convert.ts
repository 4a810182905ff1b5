import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, symlink, unlink } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { DatasetError } from "../../errors.js";
import { unknownIdMessage } from "../../suggest.js";
import type { DatasetJson } from "../dataset-json.js";
import { expectedLayouts, detectLayout } from "../open-dataset.js";
import { writeDatasetJson } from "../write-dataset-json.js";
import { builtinRawLayouts } from "./registry.js";
import type { RawLayout, RawLayoutRegistry } from "./types.js";

/** "symlink": links in imagesTr / labelsTr / imagesTs; "reference": dataset.json points into the raw folder. */
export type LinkMode = "symlink" | "reference";

export interface ConvertRawOptions {
  /** Raw layout id ("acdc", "btcv"); default: detected. */
  readonly layout?: string;
  readonly layouts?: RawLayoutRegistry;
  /** How to reach the voxel data without copying it (default "auto": symlinks where the file system allows them, else references). */
  readonly link?: LinkMode | "auto";
}

export interface ConvertRawResult {
  /** The Decathlon folder written. */
  readonly root: string;
  readonly layout: string;
  readonly taskId: string;
  readonly link: LinkMode;
  readonly json: DatasetJson;
}

const NO_LINKS = new Set(["EPERM", "EACCES", "ENOTSUP", "EOPNOTSUPP", "EINVAL", "ENOSYS"]);

/** True when `dir` (an existing folder) accepts symbolic links. */
export async function symlinksSupported(dir: string): Promise<boolean> {
  const probe = join(dir, `.transseg-link-probe-${randomBytes(4).toString("hex")}`);
  try {
    await symlink("dataset.json", probe, "file");
    await unlink(probe);
    return true;
  } catch (err) {
    if (NO_LINKS.has(String((err as NodeJS.ErrnoException).code))) return false;
    throw err;
  }
}

/** `dataset.json` paths use forward slashes on every platform. */
const posix = (path: string) => path.split(sep).join("/");

/** `.nii.gz` or `.nii`, as the source file has it. */
const niftiExtension = (path: string) => (/\.nii\.gz$/i.test(path) ? ".nii.gz" : ".nii");

/** A relative link at `path` to `target`; replaces an older link, never a file. */
async function linkTo(target: string, path: string): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isSymbolicLink()) throw new DatasetError(path, "exists and is not a link: converting never overwrites files");
    await unlink(path);
  }
  await symlink(relative(dirname(path), target), path, "file");
}

async function resolveLayout(rawDir: string, options: ConvertRawOptions): Promise<{ raw: RawLayout; root: string }> {
  const layouts: RawLayoutRegistry = options.layouts ?? builtinRawLayouts;
  if (options.layout === undefined) {
    const found = await detectLayout(rawDir, layouts);
    if (found?.raw === undefined) {
      const problem = found ? "is already in the Decathlon layout (it has a dataset.json): use it as it is" : `not a raw download: expected ${expectedLayouts(layouts)}`;
      throw new DatasetError(resolve(rawDir), problem);
    }
    return { raw: found.raw, root: found.root };
  }
  const raw = Object.hasOwn(layouts, options.layout) ? layouts[options.layout] : undefined;
  if (raw === undefined) throw new DatasetError(resolve(rawDir), unknownIdMessage("raw layout", options.layout, Object.keys(layouts)));
  const root = await raw.locate(resolve(rawDir));
  if (root === undefined) throw new DatasetError(resolve(rawDir), `not a raw ${raw.id} download: expected ${raw.description}`);
  return { raw, root };
}

/**
 * Converts a raw download (ACDC, BTCV) to the Decathlon layout in `outDir` without copying voxel
 * data: relative symlinks `imagesTr/<id>.nii.gz`, `labelsTr/<id>.nii.gz`, `imagesTs/<id>.nii.gz`,
 * or, where the file system refuses links, dataset.json entries pointing into the raw folder
 * (relative paths). dataset.json is written last. Refuses an `outDir` that already has one.
 */
export async function convertRawDataset(rawDir: string, outDir: string, options: ConvertRawOptions = {}): Promise<ConvertRawResult> {
  const { raw, root: rawRoot } = await resolveLayout(rawDir, options);
  const dataset = await raw.read(rawRoot);
  const root = resolve(outDir);
  const jsonFile = join(root, "dataset.json");
  if (existsSync(jsonFile)) throw new DatasetError(jsonFile, "already exists: convert into a new or empty folder");
  await mkdir(root, { recursive: true });
  const link = options.link === undefined || options.link === "auto" ? ((await symlinksSupported(root)) ? "symlink" : "reference") : options.link;

  const place = async (source: string, folder: string, id: string): Promise<string> => {
    if (link === "reference") return posix(relative(root, source));
    const name = `${id}${niftiExtension(source)}`;
    await mkdir(join(root, folder), { recursive: true });
    await linkTo(source, join(root, folder, name));
    return `./${folder}/${name}`;
  };
  const training: { image: string; label: string }[] = [];
  for (const c of dataset.training) training.push({ image: await place(c.image, "imagesTr", c.id), label: await place(c.label, "labelsTr", c.id) });
  const test: string[] = [];
  for (const t of dataset.test) test.push(await place(t.image, "imagesTs", t.id));

  const json: DatasetJson = { ...dataset.json, name: dataset.json.name ?? basename(root), training, test };
  await writeDatasetJson(root, json);
  return { root, layout: raw.id, taskId: raw.taskId, link, json };
}
