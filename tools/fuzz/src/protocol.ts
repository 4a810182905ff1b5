/** Messages between `runFuzz` and its child process. */
import type { InputResult } from "./run-inputs.js";

export interface ChildJob {
  /** Inputs [from, to) of each target, in order. */
  readonly parts: readonly { readonly target: string; readonly from: number; readonly to: number }[];
  readonly seed: string;
  /** Scratch folder (one subfolder per target). */
  readonly dir: string;
  /** Where inputs that fail are copied, if anywhere. */
  readonly saveDir?: string;
}

export type ChildMessage =
  | { readonly type: "seeds"; readonly target: string; readonly count: number; readonly problems: readonly string[] }
  | { readonly type: "result"; readonly target: string; readonly result: InputResult };
