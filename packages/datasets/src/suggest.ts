/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The valid id nearest to `id`: a case-insensitive exact match or prefix/substring match first,
 * then the smallest edit distance.
 */
export function nearest(id: string, valid: readonly string[]): string | undefined {
  const lower = id.toLowerCase();
  const contained = valid.find((v) => v.toLowerCase() === lower)
    ?? valid.find((v) => lower.length >= 3 && v.toLowerCase().includes(lower));
  if (contained) return contained;
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const d = editDistance(id, v);
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return best;
}

/** `unknown <kind> "x"; did you mean "y"? Valid: a, b, c` */
export function unknownIdMessage(kind: string, id: string, valid: readonly string[]): string {
  const near = nearest(id, valid);
  const hint = near === undefined ? "" : ` did you mean "${near}"?`;
  return `unknown ${kind} "${id}";${hint} valid: ${valid.join(", ")}`;
}
