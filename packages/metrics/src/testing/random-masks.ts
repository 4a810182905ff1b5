/** Deterministic random test volumes. */

/** A small seeded generator (mulberry32): uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A label volume of `shape` with a few random ellipsoidal blobs per label in 1..labels plus
 * scattered single voxels (density `noise`), so surfaces have holes, islands and border contact.
 */
export function randomBlobs(shape: readonly number[], labels: number, seed: number, noise = 0.02): Uint8Array {
  const rnd = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(size);
  const coord = new Array<number>(shape.length).fill(0);
  for (let label = 1; label <= labels; label++) {
    const blobs = 1 + Math.floor(rnd() * 2);
    for (let b = 0; b < blobs; b++) {
      const centre = shape.map((d) => rnd() * d);
      const radius = shape.map((d) => 0.5 + rnd() * d * 0.35);
      for (let i = 0; i < size; i++) {
        let r = 0;
        for (let k = 0, j = i; k < shape.length; k++) {
          coord[k] = j % shape[k]!;
          j = Math.floor(j / shape[k]!);
          const d = (coord[k]! - centre[k]!) / radius[k]!;
          r += d * d;
        }
        if (r < 1) out[i] = label;
      }
    }
  }
  for (let i = 0; i < size; i++) if (rnd() < noise) out[i] = Math.floor(rnd() * (labels + 1));
  return out;
}
