/** Edit distance (Levenshtein), for "did you mean …" messages. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * Looks `id` up in a registry; an unknown id fails with the nearest valid id and the full list,
 * e.g. `unknown decoder "upernt" (did you mean "upernet"? known: convtrans, setr-pup, upernet)`.
 */
export function resolveId<T>(what: string, id: string, registry: Readonly<Record<string, T>>): T {
  const hit = Object.hasOwn(registry, id) ? registry[id] : undefined;
  if (hit !== undefined) return hit;
  const known = Object.keys(registry).sort();
  const nearest = known.reduce<string | undefined>((best, k) => (best === undefined || distance(id, k) < distance(id, best) ? k : best), undefined);
  const hint = nearest === undefined ? "" : `did you mean "${nearest}"? `;
  throw new Error(`unknown ${what} "${id}" (${hint}known: ${known.join(", ")})`);
}
