/**
 * CPython's `random` module, the parts a seeded shuffle needs: the Mersenne Twister MT19937
 * (Matsumoto & Nishimura, 1998) seeded exactly as `random.seed(int)` seeds it, `getrandbits`,
 * `random`, `_randbelow` and `shuffle`. The same seed gives the same draws as python3 (these
 * algorithms are unchanged from 3.2 on; TransSeg's environment.yml pins 3.8.11), so a list
 * shuffled here lands in the order TransSeg's scripts shuffled it.
 *
 * Use `createRng` (mulberry32) for everything else: it is faster and has no Python to match.
 */
export interface PythonRandom {
  /** `random.getrandbits(k)` for 0 ≤ k ≤ 53: a uniform integer in [0, 2^k). */
  getrandbits(k: number): number;
  /** `random.random()`: uniform in [0, 1) with 53 random bits. */
  random(): number;
  /** `random._randbelow(n)` for 1 ≤ n < 2^53: `getrandbits(n.bit_length())` until it is below n. */
  randbelow(n: number): number;
  /** `random.shuffle(items)`: in place, for i = len−1 … 1 swap items[i] with items[randbelow(i + 1)]. */
  shuffle(items: unknown[]): void;
}

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** `init_genrand`: fills the state from one 32-bit word. */
function initGenrand(mt: Uint32Array, s: number): void {
  mt[0] = s >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1]!;
    mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
  }
}

/** `init_by_array`: the state CPython's `random.seed(int)` builds from the integer's 32-bit words. */
function initByArray(mt: Uint32Array, key: readonly number[]): void {
  initGenrand(mt, 19650218);
  let i = 1;
  let j = 0;
  for (let k = Math.max(N, key.length); k > 0; k--) {
    const prev = mt[i - 1]!;
    mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) >>> 0) + key[j]! + j;
    i++;
    j++;
    if (i >= N) {
      mt[0] = mt[N - 1]!;
      i = 1;
    }
    if (j >= key.length) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    const prev = mt[i - 1]!;
    mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) >>> 0) - i;
    i++;
    if (i >= N) {
      mt[0] = mt[N - 1]!;
      i = 1;
    }
  }
  mt[0] = 0x80000000;
}

/** The 32-bit words of |seed|, least significant first (`[0]` for 0), as CPython splits it. */
export function seedWords(seed: number | bigint): number[] {
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
    throw new RangeError(`pythonRandom: seed must be an integer (a safe integer, or a bigint for larger ones), got ${seed}`);
  }
  let n = BigInt(seed);
  if (n < 0n) n = -n;
  const words: number[] = [];
  do {
    words.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return words;
}

/** Number of bits of a positive integer below 2^53 (Python's `int.bit_length`). */
function bitLength(n: number): number {
  return n < 2 ** 32 ? 32 - Math.clz32(n) : n.toString(2).length;
}

/**
 * A generator in the state python3's `random.seed(seed)` leaves for an integer seed: the
 * absolute value's 32-bit words go through `init_by_array` (so −5 seeds as 5, and 0 as [0]).
 */
export function pythonRandom(seed: number | bigint): PythonRandom {
  const mt = new Uint32Array(N);
  initByArray(mt, seedWords(seed));
  let index = N;

  const genrandUint32 = (): number => {
    if (index >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      index = 0;
    }
    let y = mt[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };

  const getrandbits = (k: number): number => {
    if (!Number.isInteger(k) || k < 0 || k > 53) throw new RangeError(`getrandbits: k must be an integer in 0..53, got ${k}`);
    if (k === 0) return 0;
    if (k <= 32) return genrandUint32() >>> (32 - k);
    // Words least significant first; the last word keeps only its top (k − 32) bits.
    const low = genrandUint32();
    const high = genrandUint32() >>> (64 - k);
    return high * 2 ** 32 + low;
  };

  const randbelow = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n >= 2 ** 53) throw new RangeError(`randbelow: n must be an integer in 1..2^53-1, got ${n}`);
    const k = bitLength(n);
    let r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return r;
  };

  return {
    getrandbits,
    random: () => {
      const a = genrandUint32() >>> 5;
      const b = genrandUint32() >>> 6;
      return (a * 67108864 + b) * (1 / 9007199254740992);
    },
    randbelow,
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = randbelow(i + 1);
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
    },
  };
}
