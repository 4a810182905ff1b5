import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface TorchBaselineOptions {
  /** Path of `packages/onnx/test-data/onnx/bench_torch.py` (it is not published with the package). */
  readonly script: string;
  /** Python with torch (default `/usr/bin/python3`). */
  readonly python?: string;
  /** `torch.set_num_threads` (default 2). */
  readonly threads?: number;
}

export interface TorchBaseline {
  /** Wall seconds of one forward pass of `batch` windows in the PyTorch reference model. */
  run(batch: number): Promise<number>;
  close(): void;
}

/**
 * Starts the PyTorch reference (BEiT-base + UPerNet 512², `bench_torch.py serve`) in a child
 * process for `benchmarkOnnx({ baseline })`; resolves once the model is built.
 */
export async function torchBaseline(options: TorchBaselineOptions): Promise<TorchBaseline> {
  const child = spawn(options.python ?? "/usr/bin/python3", [options.script, String(options.threads ?? 2), "serve"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error(`${options.script}: the PyTorch baseline exited (code ${child.exitCode})`);
    return r.value;
  };
  const first = await next();
  if (first !== "ready") throw new Error(`${options.script}: unexpected output "${first}"`);
  return {
    async run(batch: number) {
      child.stdin.write(`${batch}\n`);
      return Number(await next());
    },
    close: () => child.stdin.end(),
  };
}
