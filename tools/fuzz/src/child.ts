/**
 * The fuzz child process (started by `runFuzz`): installs the allocation guard, then imports the
 * readers and runs the inputs it is given, sending one message per input to the parent, which
 * restarts it after a hang or a crash.
 */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { installAllocationGuard } from "./alloc-guard.js";
import type { ChildJob, ChildMessage } from "./protocol.js";

const guard = installAllocationGuard();
// imported after the guard so that the readers capture the guarded constructors
const { builtinTargets } = await import("./targets/index.js");
const { inputFor, runInput } = await import("./run-inputs.js");

const job = JSON.parse(process.argv[2]!) as ChildJob;
const send = (m: ChildMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

for (const part of job.parts) {
  const target = builtinTargets[part.target as keyof typeof builtinTargets];
  const seeds = await target.seeds();
  const dir = join(job.dir, target.id);
  if (part.from === 0) {
    const problems: string[] = [];
    for (const s of seeds) {
      const r = await runInput(target, s, -1, dir, null);
      if (r.outcome !== "ok") problems.push(`seed ${s.name}: ${r.detail ?? r.outcome}`);
    }
    await send({ type: "seeds", target: target.id, count: seeds.length, problems });
  }
  for (let i = part.from; i < part.to; i++) {
    let input;
    try {
      input = inputFor(target, seeds, job.seed, i);
    } catch (e) {
      // the fuzzer's own bug: counted (under "anything else") so that it gets fixed
      await send({ type: "result", target: target.id, result: { index: i, outcome: "other", detail: `the fuzzer failed to build the input: ${(e as Error).stack?.split("\n").slice(0, 3).map((l) => l.slice(0, 200)).join(" | ")}`, note: "", ms: 0 } });
      continue;
    }
    const r = await runInput(target, input, i, dir, guard);
    if (r.outcome === "other" && job.saveDir) {
      const to = join(job.saveDir, target.id, String(i));
      mkdirSync(to, { recursive: true });
      cpSync(dir, to, { recursive: true });
    }
    await send({ type: "result", target: target.id, result: r.outcome === "other" ? r : { index: r.index, outcome: r.outcome, note: "", ms: r.ms } });
  }
}
process.disconnect?.();
