import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SHARED_ENV, sharedDir } from "./shared-dir.js";

describe("sharedDir", () => {
  const saved = process.env[SHARED_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[SHARED_ENV];
    else process.env[SHARED_ENV] = saved;
  });

  it("is ../shared beside the repository's root by default, and $TRANSSEG_SHARED when set", () => {
    delete process.env[SHARED_ENV];
    const root = resolve(import.meta.dirname, "../../../..");
    expect(sharedDir()).toBe(resolve(root, "../shared"));
    expect(sharedDir("fixtures", "a.safetensors")).toBe(resolve(root, "../shared/fixtures/a.safetensors"));
    expect(existsSync(resolve(root, "pnpm-workspace.yaml"))).toBe(true); // root really is the repository's
    process.env[SHARED_ENV] = "/somewhere/else";
    expect(sharedDir("ref")).toBe("/somewhere/else/ref");
    process.env[SHARED_ENV] = "";
    expect(sharedDir()).toBe(resolve(root, "../shared"));
  });
});
