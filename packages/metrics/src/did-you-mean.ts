/** "unknown metric "hd59": did you mean "hd95"? valid: dice, iou, …" — the house error for ids. */

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Throws unless `id` is one of `valid`; the message names the nearest valid id and lists all. */
export function assertKnownId<T extends string>(kind: string, id: string, valid: readonly T[]): asserts id is T {
  if ((valid as readonly string[]).includes(id)) return;
  const key = String(id).toLowerCase();
  let best = valid[0]!;
  for (const v of valid) if (editDistance(key, v) < editDistance(key, best)) best = v;
  throw new RangeError(`unknown ${kind} "${id}": did you mean "${best}"? valid: ${valid.join(", ")}`);
}
