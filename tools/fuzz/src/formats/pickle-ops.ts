/**
 * A pickle opcode stream split into opcodes (with their arguments), so the fuzzer can shuffle,
 * drop, duplicate or move whole opcodes and set their integer arguments to extremes.
 */
export interface PickleOp {
  readonly code: number;
  readonly bytes: Uint8Array;
}

const NO_ARG = new Set([0x28, 0x29, 0x2e, 0x30, 0x31, 0x32, 0x4e, 0x88, 0x89, 0x5d, 0x7d, 0x74, 0x6c, 0x64, 0x61, 0x65, 0x73, 0x75, 0x52, 0x81, 0x85, 0x86, 0x87, 0x62, 0x8f, 0x90, 0x91, 0x93, 0x94, 0x51, 0x92]);
const FIXED: Record<number, number> = { 0x4b: 1, 0x71: 1, 0x68: 1, 0x80: 1, 0x4d: 2, 0x4a: 4, 0x72: 4, 0x6a: 4, 0x47: 8, 0x95: 8 };
const LEN1 = new Set([0x43, 0x55, 0x8c, 0x8a]);
const LEN4 = new Set([0x58, 0x54, 0x42, 0x8b]);
const LEN8 = new Set([0x8d, 0x8e, 0x96]);
const LINES: Record<number, number> = { 0x63: 2, 0x69: 2, 0x49: 1, 0x4c: 1, 0x46: 1, 0x70: 1, 0x67: 1, 0x50: 1, 0x53: 1, 0x56: 1 };

/** Splits `bytes` into opcodes; anything it cannot split (unknown opcode, cut argument) becomes one raw tail op. */
export function splitPickle(bytes: Uint8Array): PickleOp[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ops: PickleOp[] = [];
  let p = 0;
  while (p < bytes.length) {
    const code = bytes[p]!;
    let end = -1;
    if (NO_ARG.has(code)) end = p + 1;
    else if (FIXED[code] !== undefined) end = p + 1 + FIXED[code]!;
    else if (LEN1.has(code) && p + 2 <= bytes.length) end = p + 2 + bytes[p + 1]!;
    else if (LEN4.has(code) && p + 5 <= bytes.length) end = p + 5 + v.getUint32(p + 1, true);
    else if (LEN8.has(code) && p + 9 <= bytes.length) end = p + 9 + Number(v.getBigUint64(p + 1, true));
    else if (LINES[code] !== undefined) {
      end = p + 1;
      for (let k = 0; k < LINES[code]! && end >= 0; k++) {
        const nl = bytes.indexOf(0x0a, end);
        end = nl < 0 ? -1 : nl + 1;
      }
    }
    if (end < 0 || end > bytes.length) {
      ops.push({ code: -1, bytes: bytes.slice(p) });
      break;
    }
    ops.push({ code, bytes: bytes.slice(p, end) });
    p = end;
  }
  return ops;
}

export function joinPickle(ops: readonly PickleOp[]): Uint8Array {
  const out = new Uint8Array(ops.reduce((a, o) => a + o.bytes.length, 0));
  let p = 0;
  for (const o of ops) { out.set(o.bytes, p); p += o.bytes.length; }
  return out;
}

/** Opcodes whose argument is one little-endian integer of this many bytes (BININT*, BINPUT/BINGET, lengths). */
export const INT_ARG_WIDTH: Readonly<Record<number, 1 | 2 | 4 | 8>> = { 0x4b: 1, 0x71: 1, 0x68: 1, 0x4d: 2, 0x4a: 4, 0x72: 4, 0x6a: 4, 0x58: 4, 0x54: 4, 0x42: 4, 0x8b: 4, 0x43: 1, 0x55: 1, 0x8c: 1, 0x8a: 1, 0x8d: 8, 0x8e: 8, 0x96: 8, 0x95: 8 };
