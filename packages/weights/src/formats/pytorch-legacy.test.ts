import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCheckpoint } from "../read.js";
import { testFormat } from "../testing/index.js";
import { pytorchLegacyFormat } from "./pytorch-legacy.js";

const TEST_DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-data");
const legacy = join(TEST_DATA, "legacy.pth");

testFormat(pytorchLegacyFormat, [
  { name: "test-data/legacy.pth (torch.save with _use_new_zipfile_serialization=False)", file: legacy, rejects: /legacy \(pre-1\.6, non-zip\)/ },
]);

describe("pytorch-legacy", () => {
  it("tells the user how to re-save the file in the zip format", async () => {
    await expect(readCheckpoint(legacy)).rejects.toThrow(`${legacy}: PyTorch legacy (pre-1.6, non-zip) checkpoint format is not supported; re-save it with torch >= 1.6, which writes the zip format: torch.save(torch.load(f, map_location="cpu"), f2)`);
  });
});
