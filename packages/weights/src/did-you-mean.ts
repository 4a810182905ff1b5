/** "did you mean …" for unknown ids: the nearest valid id by edit distance. */

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function nearest(id: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const d = editDistance(id.toLowerCase(), v.toLowerCase());
    if (d < bestD) { best = v; bestD = d; }
  }
  return best;
}

/** `unknown <what> "x": did you mean "y"? (known: a, b, c)` */
export function unknownIdMessage(what: string, id: string, valid: readonly string[]): string {
  const near = nearest(id, valid);
  return `unknown ${what} "${id}"${near ? `: did you mean "${near}"?` : ""} (known: ${valid.join(", ")})`;
}

/** An id that no registry entry has (CLI exit code 2): the message names the nearest valid id and all of them. */
export class UnknownIdError extends Error {
  override readonly name = "UnknownIdError";
  constructor(
    readonly what: string,
    readonly id: string,
    readonly known: readonly string[],
  ) {
    super(unknownIdMessage(what, id, known));
  }
}

/** `registry[id]`, or an `UnknownIdError` naming the nearest id and listing all. */
export function resolveId<T>(what: string, id: string, registry: Readonly<Record<string, T>>): T {
  const hit = Object.hasOwn(registry, id) ? registry[id] : undefined;
  if (hit === undefined) throw new UnknownIdError(what, id, Object.keys(registry));
  return hit;
}
