/**
 * A fuzz target: one file reader, its valid seed inputs and its mutations. One file each under
 * `targets/`, registered in `targets/index.ts`.
 */
import type { Rng } from "./rng.js";

/** A file of an input, at `name` (relative, may contain folders) inside the input's folder. */
export interface FuzzFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A valid input: every file, and which one the reader opens. */
export interface FuzzSeed {
  readonly name: string;
  readonly files: readonly FuzzFile[];
  /** The file (or folder, "." for the input folder itself) the reader is given. */
  readonly main: string;
}

/** A mutated input, with a note saying how it was made. */
export interface FuzzInput extends FuzzSeed {
  readonly note: string;
}

export interface FuzzTarget {
  readonly id: string;
  readonly description: string;
  /** Name of the error class a clean refusal throws (`CheckpointError`, `VolumeError`, ...). */
  readonly errorName: string;
  /**
   * Bytes the reader may need at once per byte of input (1 for plain formats; about 1032 × the
   * widening for deflated ones). A single allocation past `floor + expansion × input bytes`
   * counts as a failure.
   */
  readonly expansion: number;
  /** Valid inputs (each must read correctly: the test suite checks it). */
  seeds(): readonly FuzzSeed[] | Promise<readonly FuzzSeed[]>;
  /** One mutated input from `seed` (one or more stacked mutations). */
  mutate(seed: FuzzSeed, rng: Rng): FuzzInput;
  /**
   * Reads `path` as users do, values included. Resolves to null when the result is well formed,
   * or to a description of what is wrong with it; throws what the reader throws.
   */
  read(path: string): Promise<string | null>;
}

/** `files` with `name` replaced (or added). */
export function withFile(files: readonly FuzzFile[], name: string, bytes: Uint8Array): FuzzFile[] {
  return [...files.filter((f) => f.name !== name), { name, bytes }];
}

export function fileOf(seed: FuzzSeed, name = seed.main): Uint8Array {
  const f = seed.files.find((x) => x.name === name);
  if (!f) throw new Error(`seed ${seed.name} has no file ${name}`);
  return f.bytes;
}

/** Applies 1–3 mutations picked by `step`, each to the previous result. */
export function stacked(seed: FuzzSeed, rng: Rng, step: (input: FuzzSeed, rng: Rng) => { files: readonly FuzzFile[]; note: string }): FuzzInput {
  const n = rng.weighted([[6, 1], [3, 2], [1, 3]] as const);
  let current: FuzzSeed = seed;
  const notes: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = step(current, rng);
    current = { name: seed.name, files: r.files, main: seed.main };
    notes.push(r.note);
  }
  return { ...current, note: `${seed.name}: ${notes.join("; ")}` };
}
