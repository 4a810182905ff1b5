#!/usr/bin/env node
/**
 * `pnpm test`: turbo runs the root task `//#test:root` (one vitest run over every project, see
 * turbo.json), and the closing `N passed, N failed[, N skipped]` line that
 * tools/summary-reporter.ts prints stays the last line of the output: turbo prints its own run
 * summary after the task, so that line is held back and written after turbo exits. Arguments go
 * to vitest (`pnpm test packages/metrics`); the exit code is turbo's.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The line tools/summary-reporter.ts prints (colour codes aside). */
export const SUMMARY_LINE = /^\d+ passed, \d+ failed(, \d+ skipped)?$/;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Passes lines through to `write`, except the summary line, which is held until `end()` (an
 * earlier summary line, e.g. printed by a test, is written when the next one arrives).
 */
export function summaryLast(write) {
  let held = null;
  return {
    line(text) {
      if (SUMMARY_LINE.test(text.replace(ANSI, "").trim())) {
        if (held !== null) write(`${held}\n`);
        held = text;
      } else write(`${text}\n`);
    },
    end() {
      if (held !== null) write(`${held}\n`);
      held = null;
    },
  };
}

/** The turbo command line for a test run with these vitest arguments. */
export function turboArgs(vitestArgs) {
  return ["run", "test:root", "--ui=stream", "--log-prefix=none", "--output-logs=full", ...(vitestArgs.length ? ["--", ...vitestArgs] : [])];
}

function runTests(vitestArgs) {
  const child = spawn("turbo", turboArgs(vitestArgs), {
    stdio: ["inherit", "pipe", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  const out = summaryLast((s) => process.stdout.write(s));
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (l) => out.line(l));
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  return new Promise((resolvePromise) => {
    child.on("error", (e) => {
      process.stderr.write(`run-tests: cannot start turbo (${e.message}); run \`pnpm install\` first\n`);
      resolvePromise(1);
    });
    child.on("close", (code, signal) => {
      out.end();
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runTests(process.argv.slice(2));
}
