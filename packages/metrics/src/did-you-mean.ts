/** "unknown metric "hd59": did you mean "hd95"? valid: dice, iou, …" — the house error for ids. */

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Throws unless `id` is one of `valid`; the message names the nearest valid id and lists all. */
export function assertKnownId<T extends string>(kind: string, id: string, valid: readonly T[]): asserts id is T {
  if ((valid as readonly string[]).includes(id)) return;
  let best = valid[0]!;
  for (const v of valid) if (editDistance(id.toLowerCase(), v) < editDistance(id.toLowerCase(), best)) best = v;
  throw new RangeError(`unknown ${kind} "${id}": did you mean "${best}"? valid: ${valid.join(", ")}`);
}
