import { lstatSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadDataset } from "@transseg/datasets";
import { writeAcdcRawTree, writeBtcvRawTree } from "@transseg/datasets/testing";
import { afterAll, describe, expect, it } from "vitest";
import { cli, scratch as makeScratch } from "../test-helpers.js";

const made: string[] = [];
const scratch = () => {
  const dir = makeScratch("cli-datasets-");
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("transseg datasets convert", () => {
  it("converts a raw ACDC download with symlinks and prints the paper's split", async () => {
    const dir = scratch();
    await writeAcdcRawTree(join(dir, "ACDC"), { testing: 1 });
    const out = join(dir, "acdc");
    const r = await cli("datasets", "convert", "acdc", join(dir, "ACDC"), "-o", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${out}: 200 training cases and 2 test images of ACDC (symlinks to the raw files)\n` +
        "paper split: 160 train / 40 validation / 40 test (validation = test, as the paper)\n",
    );
    expect(lstatSync(join(out, "imagesTr", "patient001_frame01.nii.gz")).isSymbolicLink()).toBe(true);
    expect((await loadDataset(out)).training).toHaveLength(200);
  });

  it("converts BTCV with --link reference; a tree that is not the paper's gets a seeded split and the reason", async () => {
    const dir = scratch();
    await writeBtcvRawTree(join(dir, "Abdomen"));
    const r = await cli("datasets", "convert", "btcv", join(dir, "Abdomen"), "-o", join(dir, "btcv"), "--link", "reference");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/30 training cases and 1 test images of BTCV \(dataset.json paths into the raw folder\)\npaper split: 18 train \/ 12 validation \/ 12 test \(validation = test, as the paper\)\n$/);
    expect(JSON.parse(readFileSync(join(dir, "btcv", "dataset.json"), "utf8")).training[0].image).toBe("../Abdomen/RawData/Training/img/img0001.nii.gz");

    rmSync(join(dir, "Abdomen", "RawData", "Training", "img", "img0040.nii.gz"));
    const partial = await cli("datasets", "convert", "btcv", join(dir, "Abdomen"), "-o", join(dir, "btcv29"));
    expect(partial.code).toBe(0);
    expect(partial.stdout).toMatch(/not the paper's split \(1 of the paper's 30 cases are missing \(scan 40\)\): seeded split 23 train \/ 4 validation \/ 2 test\n$/);
  });

  it("bad subcommands, layouts, folders and options exit 2 with one line", async () => {
    const dir = scratch();
    const cases: [string[], RegExp][] = [
      [["datasets", "convrt"], /unknown datasets subcommand "convrt": did you mean "convert"\?/],
      [["datasets", "convert", "btvc", dir, "-o", join(dir, "o")], /unknown raw layout "btvc": did you mean "btcv"\?/],
      [["datasets", "convert", "acdc", dir, "-o", join(dir, "o")], /not a raw acdc download: expected training\/patientNNN/],
      [["datasets", "convert", "acdc", dir], /missing --output/],
      [["datasets", "convert", "acdc", dir, "-o", join(dir, "o"), "--link", "hard"], /unknown --link mode "hard"/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
