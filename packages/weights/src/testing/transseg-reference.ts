/**
 * Test helpers for checks against the paper's own code: a python3 that imports torch, and
 * TransSeg's Swin encoders (`swin_transformer.py`, `swin_transformer_3d.py`) from `$TRANSSEG_SRC`
 * or from a local git mirror of yuhui-zh15/TransSeg. Both return undefined when absent, so that
 * the tests using them skip with a message.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `$TRANSSEG_PYTHON`, `/usr/bin/python3` or `python3`: the first that imports `modules` (default torch). */
export function torchPython(modules: readonly string[] = ["torch"]): string | undefined {
  return [process.env.TRANSSEG_PYTHON, "/usr/bin/python3", "python3"].find((py) => py && spawnSync(py, ["-c", `import ${modules.join(", ")}`], { stdio: "ignore" }).status === 0);
}

/** Where a local mirror of yuhui-zh15/TransSeg is looked for (a bare git directory). */
export const TRANSSEG_MIRROR = "/work/.mirror/yuhui-zh15+TransSeg/repo";

/**
 * A directory holding TransSeg's `swin_transformer.py` and `swin_transformer_3d.py`:
 * `$TRANSSEG_SRC` (its `src/backbones/encoders`), or the files copied out of a git mirror into a
 * temporary directory; undefined when neither has them.
 */
export function transsegSwinSource(mirror = TRANSSEG_MIRROR): string | undefined {
  const env = process.env.TRANSSEG_SRC;
  if (env) return existsSync(join(env, "swin_transformer.py")) ? env : undefined;
  if (!existsSync(mirror)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "transseg-src-"));
  for (const f of ["swin_transformer", "swin_transformer_3d"]) {
    const r = spawnSync("git", ["--git-dir", mirror, "show", `HEAD:src/backbones/encoders/${f}.py`], { encoding: "utf8" });
    if (r.status !== 0) return undefined;
    writeFileSync(join(dir, `${f}.py`), r.stdout);
  }
  return dir;
}
