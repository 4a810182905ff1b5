import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { SampleConfig, SampleResult, SampleTask } from "./types.js";

interface Pending {
  readonly resolve: (r: SampleResult) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  inFlight: number;
}

/**
 * The worker entry beside this module: `worker.js` in a build. When running from TypeScript
 * sources (vitest, tsx) it is `worker.ts`, started through a small `data:` module that first
 * registers tsx's loader (`tsx/esm/api`): Node ignores `--import` in a worker's `execArgv`.
 */
export function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  if (!fromSource) return new URL("./worker.js", import.meta.url);
  let api: string;
  try {
    // The ESM build of tsx's API, found through its package.json "exports" (require.resolve
    // would pick the CommonJS one).
    const pkgJson = createRequire(import.meta.url).resolve("tsx/package.json");
    const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as { exports: Record<string, { import: { default: string } }> };
    api = pathToFileURL(join(dirname(pkgJson), pkg.exports["./esm/api"]!.import.default)).href;
  } catch {
    throw new Error("the window loader runs from TypeScript sources but cannot resolve tsx (install tsx, or use the built package)");
  }
  const entry = new URL("./worker.ts", import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/**
 * A fixed pool of sample workers. Tasks for a case go preferably to the worker that last
 * loaded it (its cache), unless that worker is busier than the least busy one by more than
 * `slack`. Workers are referenced only while they have work, so an idle pool never keeps the
 * process alive; `close()` terminates them.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly affinity = new Map<number, number>();
  private nextId = 0;
  private closed = false;

  constructor(
    size: number,
    config: SampleConfig,
    private readonly slack = 2,
  ) {
    const url = workerEntry();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: config });
      worker.unref();
      worker.on("message", (m: { id: number; error?: string; image?: Float32Array; label?: Int32Array; z?: number }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        this.release(slot);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve({ image: m.image!, label: m.label!, z: m.z! });
      });
      worker.on("error", (err) => this.failAll(err));
      worker.on("exit", (code) => {
        if (!this.closed) this.failAll(new Error(`loader worker exited with code ${code}`));
      });
      const slot: Slot = { worker, inFlight: 0 };
      this.slots.push(slot);
    }
  }

  run(task: SampleTask): Promise<SampleResult> {
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
    const least = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const preferred = this.affinity.get(task.caseIndex);
    const slotIndex = preferred !== undefined && this.slots[preferred]!.inFlight <= least.inFlight + this.slack ? preferred : this.slots.indexOf(least);
    const slot = this.slots[slotIndex]!;
    this.affinity.set(task.caseIndex, slotIndex);
    const id = this.nextId++;
    if (slot.inFlight++ === 0) slot.worker.ref();
    return new Promise<SampleResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, caseIndex: task.caseIndex, seed: task.seed });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error("the worker pool was closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private release(slot: Slot): void {
    if (--slot.inFlight === 0) slot.worker.unref();
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const s of this.slots) {
      s.inFlight = 0;
      s.worker.unref();
    }
  }
}
