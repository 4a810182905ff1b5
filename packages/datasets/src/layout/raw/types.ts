import type { Dataset } from "../load-dataset.js";

/**
 * A dataset as its publisher distributes it (one file per layout under `layout/raw/`), read
 * into the same `Dataset` that `loadDataset` returns for the Decathlon layout.
 */
export interface RawLayout {
  /** Registry key and CLI name, e.g. "acdc". */
  readonly id: string;
  /** The task profile the data is for, e.g. "ACDC". */
  readonly taskId: string;
  /** The layout in one line, as the download unpacks. */
  readonly description: string;
  /** The folder inside `dir` (or `dir` itself) where the layout starts; undefined when `dir` does not hold it. */
  locate(dir: string): Promise<string | undefined>;
  /**
   * Reads the layout at `root` (as `locate` returned it): training cases with labels and
   * unlabelled test images, absolute paths, macOS `._*` files ignored. Throws `DatasetError`
   * naming the file and the problem.
   */
  read(root: string): Promise<Dataset>;
}

/** Raw layouts by id. Pass your own map (`{ ...builtinRawLayouts, mine }`) to extend. */
export type RawLayoutRegistry = Readonly<Record<string, RawLayout>>;
