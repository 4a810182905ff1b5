import type { SplitCase, TaskSplit } from "./types.js";

/** Up to five names, then "and N more". */
export function listSome(names: readonly string[]): string {
  const more = names.length > 5 ? ` and ${names.length - 5} more` : "";
  return `${names.slice(0, 5).join(", ")}${more}`;
}

export interface FixedListSplitOptions {
  readonly taskId: string;
  readonly source: string;
  /** The paper's training cases, as keys, in the paper's order. */
  readonly train: readonly string[];
  /** The held-out cases the paper reports on (its validation set, also used as test). */
  readonly heldOut: readonly string[];
  /** A case's key (e.g. `patient001_frame01`, or `"1"` for BTCV's img0001), undefined if it has none. */
  readonly key: (id: string) => string | undefined;
  /** How errors name a key (default: the key itself). */
  readonly show?: (key: string) => string;
}

/**
 * A split by fixed case lists: the cases must be exactly the listed ones (none missing, none
 * extra, no key twice); the parts follow the lists' order. Returns the mismatch as a string.
 */
export function fixedListSplit<T extends SplitCase>(cases: readonly T[], options: FixedListSplitOptions): TaskSplit<T> | string {
  const byKey = new Map<string, T>();
  const unknown: string[] = [];
  for (const c of cases) {
    const key = options.key(c.id);
    if (key === undefined) {
      unknown.push(c.id);
      continue;
    }
    const seen = byKey.get(key);
    if (seen !== undefined) return `cases "${seen.id}" and "${c.id}" are the same case of the paper's lists`;
    byKey.set(key, c);
  }
  const listed = new Set([...options.train, ...options.heldOut]);
  const extra = [...unknown, ...[...byKey].filter(([key]) => !listed.has(key)).map(([, c]) => c.id)];
  const missing = [...listed].filter((key) => !byKey.has(key)).map(options.show ?? ((key) => key));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${missing.length} of the paper's ${listed.size} cases are missing (${listSome(missing)})`);
  if (extra.length > 0) problems.push(`${extra.length} case${extra.length === 1 ? " is" : "s are"} not in the paper's lists (${listSome(extra)})`);
  if (problems.length > 0) return problems.join("; ");
  const pick = (keys: readonly string[]) => keys.map((key) => byKey.get(key)!);
  const heldOut = pick(options.heldOut);
  return { taskId: options.taskId, paper: true, source: options.source, valIsTest: true, train: pick(options.train), val: heldOut, test: heldOut };
}
