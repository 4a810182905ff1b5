/**
 * Conformance kit for checkpoint format plugins. A format's test calls
 * `testFormat(format, samples)`; it registers vitest suites that check the plugin's shape, that
 * it sniffs its samples (and no built-in format claims them), that entries are well formed and
 * `read()` returns fresh arrays of the right type and length, expected values, and that a
 * truncated copy of each sample is rejected with a CheckpointError (never a crash or a huge
 * allocation).
 */
import { copyFileSync, mkdtempSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import type { CheckpointFormat } from "../format.js";
import { builtinFormats } from "../formats/index.js";
import { readRange } from "../io.js";
import { DTYPE_BYTES, numel, type DType, type TensorMap } from "../tensor.js";
import { expectSameTensors } from "./expect-tensors.js";

export interface FormatSample {
  /** Title of the sample in the test report. */
  name: string;
  /** A file in this format (it must exist when the tests run). */
  file: string;
  /** When given, the tensors read must equal these exactly (names, dtypes, shapes, values). */
  expected?: TensorMap;
  /** A sample this format recognises but must refuse: `read` throws a CheckpointError matching this. */
  rejects?: RegExp;
  /** Skip the sample, with this reason (e.g. shared fixtures absent). */
  skip?: string;
}

const ARRAY_OF: Record<DType, string> = {
  F64: "Float64Array", F32: "Float32Array", F16: "Uint16Array", BF16: "Uint16Array", I64: "BigInt64Array",
  I32: "Int32Array", I16: "Int16Array", I8: "Int8Array", U8: "Uint8Array", BOOL: "Uint8Array",
};

function head(file: string): Uint8Array {
  return readRange(file, 0, Math.min(64, statSync(file).size));
}

/** Reads every entry of a truncated file; resolves to the error (or undefined when nothing failed). */
async function readAll(format: CheckpointFormat, file: string): Promise<unknown> {
  try {
    const ck = await format.read(file);
    for (const t of ck.tensors.values()) t.read();
    return undefined;
  } catch (e) {
    return e;
  }
}

export function testFormat(format: CheckpointFormat, samples: readonly FormatSample[]): void {
  describe(`checkpoint format "${format.id}" (conformance)`, () => {
    it("is a well-formed plugin", () => {
      expect(format.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(format.description.length).toBeGreaterThan(10);
      expect(format.extensions.length).toBeGreaterThan(0);
      for (const e of format.extensions) expect(e).toMatch(/^\./);
      expect(typeof format.sniff).toBe("function");
      expect(typeof format.read).toBe("function");
      expect(samples.length).toBeGreaterThan(0);
    });

    for (const s of samples) {
      describe.skipIf(!!s.skip)(`sample ${s.name}${s.skip ? ` (skipped: ${s.skip})` : ""}`, () => {
        it("is recognised by its first bytes, and by no other built-in format", () => {
          const h = head(s.file);
          expect(format.sniff(h, s.file)).toBe(true);
          const others = Object.values(builtinFormats).filter((f) => f.id !== format.id && f.sniff(h, s.file)).map((f) => f.id);
          expect(others).toEqual([]);
        });

        if (s.rejects) {
          it("is refused with a clear CheckpointError", async () => {
            const err = await readAll(format, s.file);
            expect(err).toBeInstanceOf(CheckpointError);
            expect((err as Error).message).toMatch(s.rejects!);
            expect((err as Error).message.startsWith(`${s.file}: `)).toBe(true);
          });
          return;
        }

        it("reads well-formed, lazily re-readable entries", async () => {
          const ck = await format.read(s.file);
          expect(ck.format).toBe(format.id);
          expect(typeof ck.metadata).toBe("object");
          expect(ck.tensors.size).toBeGreaterThan(0);
          for (const [name, t] of ck.tensors) {
            expect(Object.keys(DTYPE_BYTES)).toContain(t.dtype);
            expect(t.shape.every((d) => Number.isInteger(d) && d >= 0), `${name} shape`).toBe(true);
            const a = t.read();
            expect(a.constructor.name, name).toBe(ARRAY_OF[t.dtype]);
            expect(a.length, name).toBe(numel(t.shape));
            const b = t.read();
            expect(b.buffer === a.buffer && a.length > 0, `${name}: read() must return a fresh array`).toBe(false);
            expect(Buffer.from(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).equals(Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))), name).toBe(true);
          }
          if (s.expected) expectSameTensors(ck.tensors, s.expected);
        });

        it("rejects a truncated copy with a CheckpointError", async () => {
          const copy = join(mkdtempSync(join(tmpdir(), "fmt-")), basename(s.file));
          copyFileSync(s.file, copy);
          const size = statSync(copy).size;
          for (const keep of [Math.floor(size / 2), size - 1]) {
            truncateSync(copy, keep);
            const err = await readAll(format, copy);
            expect(err, `truncated to ${keep} of ${size} bytes`).toBeInstanceOf(CheckpointError);
          }
        });
      });
    }
  });
}
