import { describe, expect, it } from "vitest";
import { cli, fixture, HAS_FIXTURES } from "../test-helpers.js";

describe.skipIf(!HAS_FIXTURES)("transseg inspect", () => {
  it("--json describes a PyTorch zip checkpoint", async () => {
    const r = await cli("inspect", fixture("beit2d.pth"), "--json");
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.format).toBe("pytorch-zip");
    expect(info.layout).toBe("beit");
    expect(info.tensors).toContainEqual({ name: "cls_token", dtype: "F32", shape: [1, 1, 64] });
    const total = info.tensors.reduce((s: number, t: { shape: number[] }) => s + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(info.parameters).toBe(total);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("prints a readable table", async () => {
    const r = await cli("inspect", fixture("vit2d.safetensors"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/format\s+safetensors/);
    expect(r.stdout).toMatch(/layout\s+timm-vit/);
    expect(r.stdout).toMatch(/pos_embed\s+F32\s+\[1, 197, 64\]/);
  });
});

describe("transseg inspect: bad input", () => {
  it("a missing file is one line naming it, exit 2", async () => {
    const r = await cli("inspect", "/nonexistent/model.pth");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("transseg: /nonexistent/model.pth: no such file\n");
  });
});
