import type { TensorMap } from "./tensor.js";

/** What a reader returns: the tensors (lazy) plus whatever metadata the file carries. */
export interface Checkpoint {
  /** The id of the format plugin that read it, e.g. `safetensors`, `pytorch-zip`. */
  readonly format: string;
  readonly tensors: TensorMap;
  /** String metadata (safetensors `__metadata__`); empty where the format has none. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** A checkpoint format plugin: one file each under `formats/`, chosen by magic bytes. */
export interface CheckpointFormat {
  readonly id: string;
  readonly description: string;
  /** File name endings, informative only: detection is by content. */
  readonly extensions: readonly string[];
  /** True when the first bytes (up to 64, fewer for short files) and the file name identify this format. */
  sniff(head: Uint8Array, path: string): boolean;
  read(path: string): Checkpoint | Promise<Checkpoint>;
}
