import { parseArgs } from "node:util";
import type { BenchCommand } from "../command.js";
import { runDemo } from "../demo.js";

export const demoCommand: BenchCommand = {
  name: "demo",
  overview: `  demo [-o <dir>] [--steps n] [--backend auto]   synthesize a dataset, train briefly, predict, evaluate
                                                 and print a Dice / HD95 table (default dir: demo-output)
`,
  usage: `Usage: transseg-bench demo [-o <dir>] [--steps n] [--backend auto] [--task <profile>]

Synthesizes a small dataset, trains a tiny inflated ViT + UPerNet on it briefly, predicts the
held-out cases and prints a Dice / HD95 table.

Options:
  -o, --output <dir>   output folder (default demo-output)
  --steps <n>          training steps
  --backend <id>       TensorFlow.js backend: auto (default), wasm, cpu, …
  --task <profile>     task profile of the synthetic dataset
`,
  async run(argv) {
    const { values } = parseArgs({ args: [...argv], options: { output: { type: "string", short: "o" }, steps: { type: "string" }, backend: { type: "string" }, task: { type: "string" } }, strict: true });
    const result = await runDemo({
      out: values.output ?? "demo-output",
      ...(values.steps ? { steps: Number(values.steps) } : {}),
      ...(values.backend ? { backend: values.backend } : {}),
      ...(values.task ? { task: values.task } : {}),
    });
    process.stdout.write(`${result.table}\n\nrun folder: ${result.runDir}\ndemo finished in ${result.seconds.toFixed(0)} s\n`);
    return 0;
  },
};
