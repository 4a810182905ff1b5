/**
 * `run --jobs n` forwards a stop signal to its shard processes (stub processes here, which save and
 * exit 75 as the real run does): each gets the signal the parent got, exactly once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runShardProcesses } from "./parallel.js";

describe("run --jobs: signals reach every shard process", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-parallel-signals-"));
  const stub = join(dir, "stub.mjs");
  // a shard: writes "<shard> started", then on USR1 / TERM "<shard> got <signal>" and exits 75
  writeFileSync(
    stub,
    `import { appendFileSync } from "node:fs";
const log = ${JSON.stringify(join(dir, "events.log"))};
const shard = process.argv[process.argv.indexOf("--shard") + 1];
for (const s of ["SIGUSR1", "SIGTERM"]) process.on(s, () => { appendFileSync(log, shard + " got " + s + "\\n"); setTimeout(() => process.exit(75), 100); });
appendFileSync(log, shard + " started\\n");
setInterval(() => {}, 1000);
`,
  );
  const events = () => readFileSync(join(dir, "events.log"), "utf8").trim().split("\n").sort();

  it("an abort with reason SIGUSR1 reaches each shard as SIGUSR1; the codes are theirs", async () => {
    writeFileSync(join(dir, "events.log"), "");
    const controller = new AbortController();
    const lines: string[] = [];
    const codes = runShardProcesses({ out: join(dir, "study"), jobs: 2, runArgs: [], command: [process.execPath, stub], signal: controller.signal, log: (m) => lines.push(m) });
    for (let i = 0; i < 400 && events().filter((l) => l.endsWith("started")).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    controller.abort("SIGUSR1");
    controller.abort("SIGTERM"); // a second signal: nothing more is sent
    expect(await codes).toEqual([75, 75]);
    expect(events()).toEqual(["0/2 got SIGUSR1", "0/2 started", "1/2 got SIGUSR1", "1/2 started"]);
  }, 30_000);

  it("an abort before start still reaches the shards (as SIGTERM when the reason is no signal name)", async () => {
    writeFileSync(join(dir, "events.log"), "");
    const controller = new AbortController();
    controller.abort();
    // the stub is killed before its handler is installed: counted as interrupted (75), not failed
    const codes = await runShardProcesses({ out: join(dir, "study2"), jobs: 2, runArgs: [], command: [process.execPath, stub], signal: controller.signal, log: () => {} });
    expect(codes).toEqual([75, 75]);
  }, 30_000);
});
