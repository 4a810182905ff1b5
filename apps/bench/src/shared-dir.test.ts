import { resolve } from "node:path";
import { sharedDir as testingSharedDir } from "@transseg/weights/testing";
import { afterEach, describe, expect, it } from "vitest";
import { sharedDir } from "./shared-dir.js";

describe("sharedDir (bench, at run time)", () => {
  const saved = process.env.TRANSSEG_SHARED;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRANSSEG_SHARED;
    else process.env.TRANSSEG_SHARED = saved;
  });

  it("resolves as @transseg/weights/testing's sharedDir, from src and dist alike, with and without TRANSSEG_SHARED", () => {
    delete process.env.TRANSSEG_SHARED;
    expect(sharedDir("ref")).toBe(testingSharedDir("ref"));
    expect(sharedDir()).toBe(resolve(import.meta.dirname, "../../../../shared"));
    process.env.TRANSSEG_SHARED = "/elsewhere";
    expect(sharedDir("fixtures", "x")).toBe("/elsewhere/fixtures/x");
    expect(sharedDir("fixtures", "x")).toBe(testingSharedDir("fixtures", "x"));
  });
});
