/**
 * A restricted pickle reader. It interprets the opcode stream itself and EXECUTES NOTHING:
 * every GLOBAL is looked up in an allow-list supplied by the caller, and any name not on it
 * stops the read with a CheckpointError naming the refused global. Allowed globals are plain
 * TypeScript objects whose `call()` builds inert values (maps, tensor references, ...).
 *
 * Values: None -> null, bool, int -> number (bigint past 2^53), float -> number, str -> string,
 * bytes -> Uint8Array, list -> Array, tuple -> PickleTuple, dict -> Map, set -> Set.
 */
import { CheckpointError } from "../errors.js";

export class PickleTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** What an allowed global resolves to: called by REDUCE / NEWOBJ with the argument tuple. */
export interface PickleCallable {
  readonly pickleName: string;
  call(args: readonly unknown[]): unknown;
}

export interface UnpickleOptions {
  /** File name for error messages. */
  file: string;
  /** Resolves an allowed global; `undefined` refuses it. */
  resolveGlobal(module: string, name: string): unknown;
  /** Resolves a persistent id (torch: storages); absent = persistent ids are refused. */
  persistentLoad?(pid: unknown): unknown;
  /** Objects that accept (and ignore) BUILD state, e.g. OrderedDict's `_metadata`. */
  acceptsState?(obj: unknown): boolean;
}

const REFUSAL = "(a checkpoint may only contain tensors and plain containers)";
/** Longest LONG1/LONG4 integer accepted, in bytes (a state dict's integers are small). */
const MAX_INT_BYTES = 1024;
/** Longest text INT/LONG accepted, in digits (Python refuses longer int/str conversions too). */
const MAX_INT_DIGITS = 4300;

export function isCallable(v: unknown): v is PickleCallable {
  return typeof v === "object" && v !== null && typeof (v as PickleCallable).call === "function" && typeof (v as PickleCallable).pickleName === "string";
}

/** Decodes a pickle stream (protocols 0-5, binary opcodes and the common text ones). */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  const { file } = options;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (msg: string): never => { throw new CheckpointError(file, msg.startsWith("refused") ? msg : `pickle: ${msg}`); };
  let pos = 0;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();
  const latin1 = new TextDecoder("latin1");
  const utf8 = new TextDecoder("utf-8");

  const need = (n: number) => { if (n < 0 || pos + n > bytes.length) fail(`truncated stream (needs ${n} bytes at ${pos}, has ${bytes.length - pos})`); };
  const u8 = () => { need(1); return bytes[pos++]!; };
  const u16 = () => { need(2); const v = view.getUint16(pos, true); pos += 2; return v; };
  const i32 = () => { need(4); const v = view.getInt32(pos, true); pos += 4; return v; };
  const u32 = () => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const u64 = () => { need(8); const v = view.getBigUint64(pos, true); pos += 8; if (v > BigInt(bytes.length)) fail(`length ${v} exceeds the stream`); return Number(v); };
  const take = (n: number) => { need(n); const b = bytes.subarray(pos, pos + n); pos += n; return b; };
  const line = () => { const end = bytes.indexOf(0x0a, pos); if (end < 0) fail("unterminated text opcode"); const s = latin1.decode(bytes.subarray(pos, end)); pos = end + 1; return s; };
  const pop = () => { if (!stack.length) fail(`stack underflow at byte ${pos}`); return stack.pop(); };
  const top = () => { if (!stack.length) fail(`stack underflow at byte ${pos}`); return stack[stack.length - 1]; };
  const popMark = () => { const items = stack; const prev = marks.pop(); if (!prev) fail("MARK expected"); stack = prev!; return items; };
  const signedLE = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    if (b.length > MAX_INT_BYTES) fail(`integer of ${b.length} bytes (more than ${MAX_INT_BYTES})`);
    let hex = "";
    for (let i = b.length - 1; i >= 0; i--) hex += b[i]!.toString(16).padStart(2, "0"); // linear, unlike repeated shifts
    let v = BigInt(`0x${hex}`);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const global = (module: string, name: string) => {
    const v = options.resolveGlobal(module, name);
    if (v === undefined) fail(`refused to load global ${module}.${name} ${REFUSAL}`);
    return v;
  };
  const call = (fn: unknown, args: unknown) => {
    if (!isCallable(fn)) fail(`object at byte ${pos} is not callable`);
    if (!(args instanceof PickleTuple)) fail(`${(fn as PickleCallable).pickleName}: arguments are not a tuple`);
    try {
      return (fn as PickleCallable).call((args as PickleTuple).items);
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      return fail((e as Error).message);
    }
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) fail("SETITEM(S) on something that is not a dict");
    if (items.length % 2) fail("SETITEMS with an odd number of items");
    for (let i = 0; i < items.length; i += 2) (target as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const float = (s: string) => { const v = Number(s); if (Number.isNaN(v) && !/nan/i.test(s)) fail(`bad float ${s}`); return v; };
  const textInt = (s: string): unknown => {
    if (s === "00") return false;
    if (s === "01") return true;
    const t = s.endsWith("L") ? s.slice(0, -1) : s;
    if (!/^[-+]?\d+$/.test(t)) fail(`bad int ${s.slice(0, 40)}`);
    if (t.length > MAX_INT_DIGITS) fail(`integer of ${t.length} digits (more than ${MAX_INT_DIGITS}, Python's own limit)`);
    const v = BigInt(t);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: pos += 8; break; // FRAME
      case 0x2e: { // STOP
        if (stack.length !== 1 || marks.length) fail("malformed stream at STOP");
        return stack[0];
      }
      case 0x28: marks.push(stack); stack = []; break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(signedLE(take(u8()))); break; // LONG1
      case 0x8b: { const n = i32(); if (n < 0) fail("negative LONG4 length"); stack.push(signedLE(take(n))); break; }
      case 0x49: stack.push(textInt(line())); break; // INT
      case 0x4c: stack.push(textInt(line())); break; // LONG
      case 0x47: { need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT
      case 0x46: stack.push(float(line())); break; // FLOAT
      case 0x58: stack.push(utf8.decode(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(utf8.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8.decode(take(u64()))); break; // BINUNICODE8
      case 0x54: { const n = i32(); if (n < 0) fail("negative BINSTRING length"); stack.push(latin1.decode(take(n))); break; }
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x96: stack.push(take(u64()).slice()); break; // BYTEARRAY8
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PickleTuple([])); break; // EMPTY_TUPLE
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x8f: stack.push(new Set()); break; // EMPTY_SET
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
      case 0x74: { const items = popMark(); stack.push(new PickleTuple(items)); break; } // TUPLE
      case 0x85: stack.push(new PickleTuple([pop()])); break;
      case 0x86: { const b = pop(); const a = pop(); stack.push(new PickleTuple([a, b])); break; }
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PickleTuple([a, b, c])); break; }
      case 0x91: { const items = popMark(); stack.push(new Set(items)); break; } // FROZENSET
      case 0x64: { const items = popMark(); const m = new Map(); setItems(m, items); stack.push(m); break; } // DICT
      case 0x61: { const v = pop(); const l = top(); if (!Array.isArray(l)) fail("APPEND to something that is not a list"); (l as unknown[]).push(v); break; }
      case 0x65: { const items = popMark(); const l = top(); if (!Array.isArray(l)) fail("APPENDS to something that is not a list"); for (const item of items) (l as unknown[]).push(item); break; }
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x90: { const items = popMark(); const s = top(); if (!(s instanceof Set)) fail("ADDITEMS to something that is not a set"); for (const i of items) (s as Set<unknown>).add(i); break; }
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number(line()), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: case 0x67: { // BINGET, LONG_BINGET, GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(k)) fail(`memo key ${k} is missing`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: { const module = line(); const name = line(); stack.push(global(module, name)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(); const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x69: { const module = line(); const name = line(); global(module, name); fail(`INST opcode for ${module}.${name} is not supported`); break; }
      case 0x6f: fail("OBJ opcode is not supported"); break;
      case 0x82: case 0x83: case 0x84: fail(`extension-registry opcode 0x${op.toString(16)} refused ${REFUSAL}`); break;
      case 0x52: { const args = pop(); const fn = pop(); stack.push(call(fn, args)); break; } // REDUCE
      case 0x81: { const args = pop(); const cls = pop(); stack.push(call(cls, args)); break; } // NEWOBJ
      case 0x92: { const kwargs = pop(); const args = pop(); const cls = pop(); if (!(kwargs instanceof Map) || kwargs.size) fail("NEWOBJ_EX with keyword arguments is not supported"); stack.push(call(cls, args)); break; }
      case 0x62: { // BUILD
        pop();
        const obj = top();
        if (!(obj instanceof Map) && !options.acceptsState?.(obj)) fail(`BUILD (setting object state) at byte ${at} is not allowed here`);
        break;
      }
      case 0x51: case 0x50: { // BINPERSID, PERSID
        const pid = op === 0x51 ? pop() : line();
        if (!options.persistentLoad) fail(`persistent id at byte ${at} refused`);
        stack.push(options.persistentLoad!(pid));
        break;
      }
      case 0x53: case 0x56: fail(`text string opcode 0x${op.toString(16)} at byte ${at} is not supported`); break;
      default: fail(`unknown opcode 0x${op.toString(16)} at byte ${at}`);
    }
  }
}
