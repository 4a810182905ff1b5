import { FUSED_WASM_BASE64 } from "./fused-wasm.generated.js";

/** The exports of `c/fused.c` (pointers are byte offsets into the module's memory). */
interface FusedExports {
  bias_gelu(x: number, bias: number, y: number, n: number, c: number): void;
  bias_gelu_grad(dy: number, x: number, bias: number, dx: number, dbias: number, n: number, c: number): void;
  attention(qkv: number, bias: number, out: number, scratch: number, b: number, n: number, heads: number, hd: number, scale: number): void;
  layer_norm(x: number, gamma: number, beta: number, y: number, rows: number, c: number, eps: number): void;
  layer_norm_grad(dy: number, x: number, gamma: number, dx: number, dgamma: number, dbeta: number, rows: number, c: number, eps: number): void;
  attention_grad(dy: number, qkv: number, bias: number, dqkv: number, dbias: number, scratch: number, b: number, n: number, heads: number, hd: number, scale: number): void;
  batch_norm_relu(x: number, gamma: number, beta: number, mean: number, variance: number, y: number, scratch: number, m: number, c: number, eps: number, training: number): void;
  batch_norm_relu_grad(dy: number, x: number, gamma: number, beta: number, mean: number, variance: number, dx: number, dgamma: number, dbeta: number, scratch: number, m: number, c: number, eps: number, training: number): void;
}

/** The parts of the WebAssembly JS API used here (the package compiles without the DOM lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Bytes below this offset belong to the module (its stack); the arena starts here. */
const ARENA_BASE = 256 * 1024;
const PAGE = 65536;

let loaded: { exports: FusedExports; memory: WasmMemory } | undefined;

/** The compiled kernels (`c/fused.c`, SIMD), instantiated on first use from the embedded bytes. */
function fusedModule(): { exports: FusedExports; memory: WasmMemory } {
  if (loaded) return loaded;
  const bytes = Uint8Array.from(atob(FUSED_WASM_BASE64), (ch) => ch.charCodeAt(0));
  const memory = new WASM.Memory({ initial: ARENA_BASE / PAGE + 16 });
  const instance = new WASM.Instance(new WASM.Module(bytes), { env: { memory } });
  loaded = { exports: instance.exports as unknown as FusedExports, memory };
  return loaded;
}

/**
 * Calls `run` with the module's exports and byte offsets of `sizes` float32 buffers laid out
 * one after another in its memory (grown as needed). `inputs[i]`, where given, is copied into
 * buffer i first; `run` returns nothing and the caller copies results out with `view`.
 */
export function withArena(sizes: readonly number[], inputs: ReadonlyArray<Float32Array | undefined>, run: (fns: FusedExports, offsets: number[], view: (i: number) => Float32Array) => void): void {
  const m = fusedModule();
  const offsets: number[] = [];
  let end = ARENA_BASE;
  for (const s of sizes) {
    offsets.push(end);
    end += Math.ceil((s * 4) / 16) * 16;
  }
  if (end > m.memory.buffer.byteLength) m.memory.grow(Math.ceil((end - m.memory.buffer.byteLength) / PAGE));
  const heap = new Float32Array(m.memory.buffer);
  inputs.forEach((src, i) => {
    if (src) heap.set(src, offsets[i]! / 4);
  });
  run(m.exports, offsets, (i) => heap.subarray(offsets[i]! / 4, offsets[i]! / 4 + sizes[i]!));
}
