/**
 * Prints the closing line CI reads, `N passed, N failed[, N skipped]`, as the very last
 * line of the run. Written on process exit so that nothing else interleaves after it.
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };
  private errors = 0;

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    for (const mod of testModules) {
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) this.counts.failed++;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") this.counts.passed++;
        else if (state === "failed") this.counts.failed++;
        else this.counts.skipped++;
      }
    }
    this.errors = unhandledErrors.length;
    const { passed, failed, skipped } = this.counts;
    const line = `${passed} passed, ${failed + this.errors} failed` + (skipped ? `, ${skipped} skipped` : "");
    process.once("exit", () => process.stdout.write(`${line}\n`));
  }
}
