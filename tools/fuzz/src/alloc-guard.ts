/**
 * The fuzzer's allocation guard — the one file here that patches globals, and only inside the
 * fuzz child process: the typed-array and ArrayBuffer constructors and `Buffer.alloc*` (which
 * node:fs and node:zlib use for their output) refuse, and record, any single allocation larger
 * than the armed limit. Readers must be imported after `installAllocationGuard()` so that the
 * constructors they capture are the guarded ones.
 */
export interface AllocationGuard {
  /** Refuse (with a RangeError) and record allocations above `limit` bytes until `disarm`. */
  arm(limit: number): void;
  /** Stops guarding; the first allocation refused since `arm`, or null. */
  disarm(): string | null;
  /** Puts the original constructors back (tests). */
  uninstall(): void;
}

const TYPED = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"] as const;

export function installAllocationGuard(): AllocationGuard {
  let limit = Infinity;
  let violation: string | null = null;
  const check = (bytes: number, what: string) => {
    if (!(bytes > limit)) return;
    violation ??= `${what}: ${bytes} bytes at once (limit ${limit})`;
    throw new RangeError(`fuzz allocation guard: ${what} refused`);
  };
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>([...TYPED, "ArrayBuffer"].map((n) => [n, g[n]]));
  const savedBuffer = { alloc: Buffer.alloc, allocUnsafe: Buffer.allocUnsafe, allocUnsafeSlow: Buffer.allocUnsafeSlow };
  for (const name of TYPED) {
    const Ctor = g[name] as { BYTES_PER_ELEMENT: number } & (new (...args: unknown[]) => object);
    const bpe = Ctor.BYTES_PER_ELEMENT;
    g[name] = new Proxy(Ctor, {
      construct(target, args, newTarget) {
        const a = args[0];
        if (typeof a === "number") check(a * bpe, `new ${name}(${a})`);
        else if (typeof a === "object" && a !== null && !(a instanceof ArrayBuffer) && typeof (a as { length?: unknown }).length === "number") {
          check((a as { length: number }).length * bpe, `new ${name}(<${(a as { length: number }).length} values>)`);
        }
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
  }
  const AB = g.ArrayBuffer as new (...args: unknown[]) => ArrayBuffer;
  g.ArrayBuffer = new Proxy(AB, {
    construct(target, args, newTarget) {
      if (typeof args[0] === "number") check(args[0], `new ArrayBuffer(${args[0]})`);
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  for (const method of ["alloc", "allocUnsafe", "allocUnsafeSlow"] as const) {
    const original = Buffer[method] as (size: number, ...rest: unknown[]) => Buffer;
    (Buffer as unknown as Record<string, unknown>)[method] = function guarded(size: number, ...rest: unknown[]) {
      check(size, `Buffer.${method}(${size})`);
      return original.call(Buffer, size, ...rest);
    };
  }
  return {
    arm(l) {
      limit = l;
      violation = null;
    },
    disarm() {
      limit = Infinity;
      return violation;
    },
    uninstall() {
      for (const [n, v] of saved) g[n] = v;
      Object.assign(Buffer, savedBuffer);
    },
  };
}
