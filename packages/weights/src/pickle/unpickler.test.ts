import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import { pickle, py } from "../testing/pickle-writer.js";
import { allowedTorchGlobals, resolveTorchGlobal } from "./torch-globals.js";
import { PickleTuple, unpickle } from "./unpickler.js";

const load = (bytes: Uint8Array) => unpickle(bytes, { file: "t.pkl", resolveGlobal: resolveTorchGlobal });

describe("restricted unpickler", () => {
  it("decodes plain values: ints of every width, floats, strings, bytes, containers, memo", () => {
    const shared = ["x"];
    const v = load(pickle(py.dict({
      small: 7, mid: 300, i32: -70000, big: 2n ** 70n, neg: -(2n ** 64n), f: py.float(-0.125), s: "héllo",
      bytes: new Uint8Array([0, 255]), list: [1, "a", null, true, false], t: py.tuple(1, 2, 3, 4),
      a: shared, b: shared, set: py.reduce(py.global("builtins", "set"), [1, 2]),
    }))) as Map<string, unknown>;
    expect(v).toBeInstanceOf(Map);
    expect(v.get("small")).toBe(7);
    expect(v.get("mid")).toBe(300);
    expect(v.get("i32")).toBe(-70000);
    expect(v.get("big")).toBe(2n ** 70n);
    expect(v.get("neg")).toBe(-(2n ** 64n));
    expect(v.get("f")).toBe(-0.125);
    expect(v.get("s")).toBe("héllo");
    expect([...(v.get("bytes") as Uint8Array)]).toEqual([0, 255]);
    expect(v.get("list")).toEqual([1, "a", null, true, false]);
    expect((v.get("t") as PickleTuple).items).toEqual([1, 2, 3, 4]);
    expect(v.get("a")).toBe(v.get("b")); // memoized object shared, as in Python
    expect(v.get("set")).toEqual(new Set([1, 2]));
  });

  it("decodes protocol-2 bytes written as _codecs.encode(text, 'latin1')", () => {
    const v = load(pickle(py.reduce(py.global("_codecs", "encode"), "\u00ff\u0001", "latin1")));
    expect([...(v as Uint8Array)]).toEqual([255, 1]);
  });

  it("fails with a CheckpointError on a truncated stream or an unknown opcode", () => {
    const bytes = pickle(py.dict({ a: "some text" }));
    expect(() => load(bytes.subarray(0, bytes.length - 6))).toThrow(CheckpointError);
    expect(() => load(bytes.subarray(0, bytes.length - 6))).toThrow(/^t\.pkl: pickle: truncated stream/);
    expect(() => load(Uint8Array.from([0x80, 2, 0xff]))).toThrow(/unknown opcode 0xff/);
    expect(() => load(Uint8Array.from([0x80, 2, 0x82, 1, 0x2e]))).toThrow(/extension-registry opcode 0x82 refused/);
  });

  it("refuses persistent ids when no loader is given, and BUILD on non-containers", () => {
    expect(() => load(pickle(py.persid("x")))).toThrow(/persistent id at byte \d+ refused/);
    expect(() => load(pickle(py.build("str", py.dict({ a: 1 }))))).toThrow(/BUILD .* is not allowed/);
  });

  it("allows only the state-dict vocabulary", () => {
    expect(allowedTorchGlobals).toContain("collections.OrderedDict");
    expect(allowedTorchGlobals).toContain("torch._utils._rebuild_tensor_v2");
    expect(allowedTorchGlobals).toContain("torch._utils._rebuild_parameter");
    expect(allowedTorchGlobals).toContain("torch.BFloat16Storage");
    expect(allowedTorchGlobals).toContain("torch.float32");
    expect(allowedTorchGlobals.every((g) => /^(collections|torch|builtins|__builtin__|_codecs)\./.test(g))).toBe(true);
    for (const g of ["posix.system", "builtins.eval", "builtins.exec", "builtins.getattr", "__builtin__.getattr", "torch.load", "numpy.core.multiarray._reconstruct", "argparse.Namespace"]) {
      const [m, n] = [g.slice(0, g.lastIndexOf(".")), g.slice(g.lastIndexOf(".") + 1)];
      expect(resolveTorchGlobal(m, n), g).toBeUndefined();
    }
    expect(() => load(pickle(py.global("builtins", "__import__")))).toThrow("t.pkl: refused to load global builtins.__import__ (a checkpoint may only contain tensors and plain containers)");
  });
});
