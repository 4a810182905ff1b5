/**
 * Hostile checkpoints: the unpickler must refuse every global outside the state-dict allow-list
 * and execute nothing. Each case would run a shell command creating a marker file if loaded with
 * Python's pickle; the test asserts the refusal AND that the marker does not exist.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointError } from "../errors.js";
import { readCheckpoint } from "../read.js";
import { py, type Py } from "../testing/pickle-writer.js";
import { torchStorage, torchTensor, writeTorchZip } from "../testing/torch-zip.js";
import { writeZip } from "../testing/zip-writer.js";

const dir = mkdtempSync(join(tmpdir(), "evil-"));
const python = spawnSync("python3", ["-c", "import pickle, zipfile"]).status === 0;

function evilCase(name: string, root: (marker: string) => Py, refused: string) {
  it(`refuses ${refused} (${name})`, async () => {
    const marker = join(dir, `${name}.marker`);
    const file = join(dir, `${name}.pth`);
    const s = torchStorage("0", "F32", Float32Array.from([1]));
    writeTorchZip(file, root(marker), [s]);
    const err = await readCheckpoint(file).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toBe(`${file}: refused to load global ${refused} (a checkpoint may only contain tensors and plain containers)`);
    expect(existsSync(marker)).toBe(false);
  });
}

describe("pytorch-zip safety: nothing is executed, unknown globals are refused", () => {
  evilCase("evil", (m) => py.reduce(py.global("posix", "system"), `touch ${m}`), "posix.system");
  evilCase("os-system", (m) => py.reduce(py.global("os", "system"), `touch ${m}`), "os.system");
  evilCase("eval", (m) => py.reduce(py.global("builtins", "eval"), `__import__('os').system('touch ${m}')`), "builtins.eval");
  evilCase("getattr", (m) => py.reduce(py.reduce(py.global("__builtin__", "getattr"), py.global("os", "path"), "exists"), m), "__builtin__.getattr");
  evilCase("subprocess", (m) => py.reduce(py.global("subprocess", "Popen"), ["touch", m]), "subprocess.Popen");
  evilCase("torch-other", () => py.reduce(py.global("torch.jit", "load"), "x.pt"), "torch.jit.load");
  // the payload hides inside an otherwise valid state dict, after a real tensor
  evilCase("hidden", (m) => {
    const s = torchStorage("0", "F32", Float32Array.from([1]));
    return py.dict({ model: py.ordered({ w: torchTensor(s, [1]), b: py.reduce(py.global("posix", "system"), `touch ${m}`) }) });
  }, "posix.system");

  // proof that the payload is live: Python's own pickle runs it (so the refusal above is meaningful)
  it.skipIf(!python)("the payload is real: Python's pickle would create the marker (skipped without python3)", () => {
    const marker = join(dir, "python.marker");
    const file = join(dir, "python.pth");
    writeTorchZip(file, py.reduce(py.global("posix", "system"), `touch ${marker}`), []);
    const r = spawnSync("python3", ["-c", "import pickle, sys, zipfile; pickle.loads(zipfile.ZipFile(sys.argv[1]).read('archive/data.pkl'))", file]);
    expect(r.status).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it("refuses STACK_GLOBAL and INST forms too", async () => {
    const marker = join(dir, "stack.marker");
    const enc = new TextEncoder();
    const str = (s: string) => [0x8c, s.length, ...enc.encode(s)];
    const cmd = enc.encode(`touch ${marker}`);
    const stack = Uint8Array.from([0x80, 4, ...str("posix"), ...str("system"), 0x93, 0x58, cmd.length, 0, 0, 0, ...cmd, 0x85, 0x52, 0x2e]);
    const inst = Uint8Array.from([0x80, 2, 0x28, 0x58, cmd.length, 0, 0, 0, ...cmd, 0x69, ...enc.encode("posix\nsystem\n"), 0x2e]);
    for (const [name, pkl] of [["stack", stack], ["inst", inst]] as const) {
      const file = join(dir, `${name}.pth`);
      writeZip(file, [{ name: "archive/data.pkl", data: pkl }]);
      await expect(readCheckpoint(file)).rejects.toThrow(`${file}: refused to load global posix.system`);
    }
    expect(existsSync(marker)).toBe(false);
  });
});
