import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);
const cache = new Map<string, Promise<string | null>>();

/**
 * A python3 that imports all `modules`, or null. Tries $TRANSSEG_PYTHON, `python3`, then
 * Debian's /usr/bin/python3 (where apt's python3-torch, -nibabel, -scipy, -onnx install).
 */
export function pythonWith(modules: readonly string[]): Promise<string | null> {
  const key = [...modules].sort().join(",");
  let found = cache.get(key);
  if (!found) {
    found = (async () => {
      const candidates = [process.env.TRANSSEG_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => Boolean(p));
      for (const py of candidates) {
        try {
          await exec(py, ["-c", modules.map((m) => `import ${m}`).join("; ") || "pass"], { timeout: 60_000 });
          return py;
        } catch {
          /* try the next one */
        }
      }
      return null;
    })();
    cache.set(key, found);
  }
  return found;
}
