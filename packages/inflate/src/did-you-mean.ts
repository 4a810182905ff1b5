/** Levenshtein distance (small strings only: ids and option names). */
function distance(a: string, b: string): number {
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

/** The known id nearest to `wanted` (case-insensitive edit distance), or undefined when none is given. */
export function nearest(wanted: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(wanted.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** `unknown <what> "x": did you mean "y"? (known: a, b, c)` */
export function unknownIdMessage(what: string, wanted: string, known: readonly string[]): string {
  const hint = nearest(wanted, known);
  return `unknown ${what} "${wanted}"${hint === undefined ? "" : `: did you mean "${hint}"?`} (known: ${known.join(", ")})`;
}
