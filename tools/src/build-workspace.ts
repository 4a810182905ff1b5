import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const STALE_MS = 15 * 60_000;

/**
 * `pnpm build` at the repository root, one process at a time: the packaging tests run as
 * parallel test files, and two `tsc -b` writing the same dist folders race. A folder lock under
 * node_modules (a lock older than 15 minutes is a crashed run's, and is taken over); the second
 * build finds everything built and returns at once.
 */
export function buildWorkspace(root: string, timeoutMs = 900_000): void {
  const lock = join(root, "node_modules", ".transseg-build.lock");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: another build held the lock for ${(timeoutMs / 1000).toFixed(0)} s`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    execFileSync("pnpm", ["build"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
