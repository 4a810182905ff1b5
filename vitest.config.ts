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
