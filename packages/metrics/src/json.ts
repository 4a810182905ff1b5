/**
 * JSON has no NaN or Infinity: metrics write undefined as null and infinite as "inf" (the
 * convention of the reference fixtures), and read them back.
 */

export type JsonMetricValue = number | null | "inf" | "-inf";

/** Numbers to JSON-safe values (NaN -> null, ±Infinity -> "inf"/"-inf"), recursively through arrays and plain objects. */
export function toJsonValue(value: number): JsonMetricValue;
export function toJsonValue(value: unknown): unknown;
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return null;
    if (value === Number.POSITIVE_INFINITY) return "inf";
    if (value === Number.NEGATIVE_INFINITY) return "-inf";
    return value;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return toJsonValue(Array.from(value as unknown as ArrayLike<number>));
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return value;
}

/** The inverse of `toJsonValue` for one value: null -> NaN, "inf" -> Infinity, "-inf" -> -Infinity. */
export function fromJsonValue(value: JsonMetricValue): number {
  if (value === null) return Number.NaN;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  if (typeof value !== "number") throw new TypeError(`metric value ${JSON.stringify(value)} is not a number, null, "inf" or "-inf"`);
  return value;
}
