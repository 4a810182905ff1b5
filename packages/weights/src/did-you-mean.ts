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
