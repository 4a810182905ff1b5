import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { encoderPresets, swinPresets } from "@transseg/vit3d";
import { describe, expect, it } from "vitest";
import { ENCODER_PRESET_IDS } from "./heavy.js";

describe("lazy model package", () => {
  it("the usage texts list exactly vit3d's encoder presets (ViT/BEiT, then Swin)", () => {
    expect([...ENCODER_PRESET_IDS]).toEqual([...Object.keys(encoderPresets), ...Object.keys(swinPresets)]);
  });

  it("loading the CLI does not load TensorFlow.js or ONNX Runtime", () => {
    const main = resolve(import.meta.dirname, "main.ts");
    const script = `import(${JSON.stringify(main)}).then(() => { const loaded = Object.keys(require.cache ?? {}); process.stdout.write(JSON.stringify(loaded.filter((m) => /tensorflow|onnxruntime/.test(m)).length)); })`;
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "-e", script], { encoding: "utf8", cwd: resolve(import.meta.dirname, "../../..") });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("0");
  });
});
