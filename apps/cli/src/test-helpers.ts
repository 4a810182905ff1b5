import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "./main.js";
import type { CliIO } from "./io.js";
import { sharedDir } from "@transseg/weights/testing";

/** The shared parity fixtures (`$TRANSSEG_SHARED/fixtures`, else `../shared/fixtures` beside the checkout). */
export const FIXTURES = sharedDir("fixtures");
export const HAS_FIXTURES = existsSync(FIXTURES);
if (!HAS_FIXTURES) console.warn(`fixtures folder ${FIXTURES} is absent: parity tests are skipped`);

export const fixture = (name: string) => join(FIXTURES, name);
export const scratch = (prefix = "cli-") => mkdtempSync(join(tmpdir(), prefix));

/** Runs the CLI in-process and captures its output. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
