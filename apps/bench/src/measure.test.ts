import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runMeasured } from "./measure.js";

const GNU_TIME = existsSync("/usr/bin/time");

describe("runMeasured", () => {
  it("measures a whole process: wall time, output, and with GNU time its peak RSS and CPU time (not left in stderr)", async () => {
    const r = await runMeasured(process.execPath, ["-e", "let x = 0; const end = Date.now() + 300; while (Date.now() < end) x++; process.stdout.write('out'); process.stderr.write('err\\n')"]);
    expect(r.stdout).toBe("out");
    expect(r.stderr).toBe("err\n");
    expect(r.seconds).toBeGreaterThan(0.25);
    if (GNU_TIME) {
      expect(r.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(r.cpuSeconds).toBeGreaterThan(0.1); // a busy loop of 0.3 s
      expect(r.cpuSeconds).toBeLessThan(r.seconds * 4);
    } else console.warn("/usr/bin/time is absent: peak RSS and CPU time not measured");
  });

  it("fails with the last lines of stderr when the process exits non-zero", async () => {
    await expect(runMeasured(process.execPath, ["-e", "console.error('bad input'); process.exit(3)"])).rejects.toThrow(/exited with 3: bad input$/);
  });
});
