import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const projects = ["packages/weights", "packages/inflate", "packages/metrics", "packages/datasets", "packages/model", "packages/vit3d", "packages/onnx", "apps/cli", "apps/bench", "tools", "tools/fuzz", "examples/strategy-plugin"];
const slow = process.env.TRANSSEG_SLOW === "1";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    reporters: ["default", "./tools/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // `transseg train` times each new model on 1 thread and on all cores (once per model and
    // machine) unless given a thread count: the tests train many tiny models, so they keep the
    // former default (all cores); train-threads.test.ts tests the choice itself
    env: { TRANSSEG_WASM_THREADS: process.env.TRANSSEG_WASM_THREADS ?? String(availableParallelism()) },
    projects: projects.map((root) => ({
      extends: true,
      test: {
        name: root.split("/").pop()!,
        root,
        include: ["src/**/*.test.ts"],
        exclude: slow ? ["**/node_modules/**"] : ["**/node_modules/**", "src/**/*.slow.test.ts"],
      },
    })),
  },
});
