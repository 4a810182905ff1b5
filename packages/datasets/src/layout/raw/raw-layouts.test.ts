import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetError } from "../../errors.js";
import { readNifti } from "../../nifti/read.js";
import { ACDC_PAPER_HELD_OUT, ACDC_PAPER_TRAINING } from "../../paper-splits/acdc-cases.js";
import { msdPaperOrder } from "../../paper-splits/msd.js";
import { paperSplit } from "../../paper-splits/paper-split.js";
import { loadDataset } from "../load-dataset.js";
import { findDatasets } from "../find-datasets.js";
import { detectLayout, openDataset } from "../open-dataset.js";
import { parseInfoCfg } from "./acdc.js";
import { convertRawDataset, symlinksSupported } from "./convert.js";
import { isMacMetadata, listFolder } from "./list-folder.js";
import { writeAcdcRawTree, writeBtcvRawTree, writeMsdTree, type RawTree } from "./test-trees.js";

let tmp: string;
let acdc: RawTree;
let btcv: RawTree;
let spleen: RawTree;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "transseg-raw-"));
  acdc = await writeAcdcRawTree(join(tmp, "ACDC"), { testing: 2 });
  btcv = await writeBtcvRawTree(join(tmp, "Abdomen"), { testing: 2 });
  spleen = await writeMsdTree(join(tmp, "Task09_Spleen"), "Task09_Spleen");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);
const firstVoxel = async (path: string) => (await readNifti(path)).data[0];

describe("ACDC raw download", () => {
  it("converts to the Decathlon layout with relative links, ignoring ._* files; the split is the paper's", async () => {
    const out = join(tmp, "out-acdc");
    const result = await convertRawDataset(acdc.dir, out);
    expect(result).toMatchObject({ layout: "acdc", taskId: "ACDC", link: "symlink", root: out });
    const ds = await loadDataset(out);
    expect(ds.training).toHaveLength(200);
    expect(ds.test.map((t) => t.id)).toEqual(["patient101_frame01", "patient101_frame10", "patient102_frame01", "patient102_frame10"]);
    expect(ds.labels).toEqual(["background", "right ventricle", "myocardium", "left ventricle"]);
    expect(ds.json.training[0]).toEqual({ image: "./imagesTr/patient001_frame01.nii.gz", label: "./labelsTr/patient001_frame01.nii.gz" });
    const link = join(out, "labelsTr", "patient001_frame12.nii.gz");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("../../ACDC/database/training/patient001/patient001_frame12_gt.nii.gz");
    expect(await firstVoxel(ds.training[1]!.image)).toBe(acdc.values.get("patient001_frame12"));
    expect(await firstVoxel(link)).toBe(acdc.values.get("patient001_frame12")! % 4);
    const split = paperSplit("ACDC", ds.training);
    expect(ids(split.train)).toEqual([...ACDC_PAPER_TRAINING]);
    expect(ids(split.test)).toEqual([...ACDC_PAPER_HELD_OUT]);
  });

  it("reads in place through openDataset, from the download folder or database/", async () => {
    for (const dir of [acdc.dir, join(acdc.dir, "database")]) {
      const opened = await openDataset(dir);
      expect(opened).toMatchObject({ layout: "acdc", taskId: "ACDC" });
      expect(opened.dataset.root).toBe(join(acdc.dir, "database"));
      expect(opened.dataset.training).toHaveLength(200);
      expect(opened.dataset.training.some((c) => c.image.includes("._") || c.image.includes("_4d"))).toBe(false);
    }
  });

  it("names the patient folder's missing Info.cfg or label", async () => {
    const dir = join(tmp, "acdc-broken", "training", "patient001");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "patient001_frame01.nii.gz"), "");
    await expect(openDataset(join(tmp, "acdc-broken"))).rejects.toThrow(`${join(dir, "Info.cfg")}: not found: each ACDC patient folder holds an Info.cfg`);
    writeFileSync(join(dir, "Info.cfg"), "ED: 1\nES: 1\n");
    await expect(openDataset(join(tmp, "acdc-broken"))).rejects.toThrow(`${join(dir, "patient001_frame01_gt.nii.gz")}: not found: the label of patient001_frame01`);
    writeFileSync(join(dir, "patient001_frame01_gt.nii.gz"), "");
    writeFileSync(join(dir, "Info.cfg"), "ED: 1\nES: 7\n");
    await expect(openDataset(join(tmp, "acdc-broken"))).rejects.toThrow(`${join(dir, "patient001_frame07.nii.gz")}: not found: Info.cfg names frame 7`);
  });

  it("parseInfoCfg reads the ED and ES frames", () => {
    expect(parseInfoCfg("ED: 1\r\nES: 12\r\nGroup: DCM\r\nHeight: 184.0\r\nNbFrame: 30\r\n", "f")).toEqual([1, 12]);
    expect(parseInfoCfg("ES: 4\nED: 4\n", "f")).toEqual([4]);
    expect(() => parseInfoCfg("ED: 1\n", "/x/Info.cfg")).toThrow('/x/Info.cfg: needs a line "ES: <frame number>" (ACDC\'s Info.cfg), got none');
    expect(() => parseInfoCfg("ED: one\nES: 2", "f")).toThrow('needs a line "ED: <frame number>" (ACDC\'s Info.cfg), got "one"');
  });
});

describe("BTCV raw download", () => {
  it("converts with path references into the raw folder when asked; the split is the paper's", async () => {
    const out = join(tmp, "out-btcv");
    const result = await convertRawDataset(btcv.dir, out, { link: "reference" });
    expect(result).toMatchObject({ layout: "btcv", taskId: "BTCV", link: "reference" });
    expect(existsSync(join(out, "imagesTr"))).toBe(false);
    const json = JSON.parse(readFileSync(join(out, "dataset.json"), "utf8"));
    expect(json.training[0]).toEqual({ image: "../Abdomen/RawData/Training/img/img0001.nii.gz", label: "../Abdomen/RawData/Training/label/label0001.nii.gz" });
    expect(json.test).toEqual(["../Abdomen/RawData/Testing/img/img0061.nii.gz", "../Abdomen/RawData/Testing/img/img0062.nii.gz"]);
    expect(json).toMatchObject({ name: "BTCV", numTraining: 30, numTest: 2, modality: { "0": "CT" } });
    const ds = await loadDataset(out);
    expect(await firstVoxel(ds.training[29]!.image)).toBe(40);
    const split = paperSplit("BTCV", ds.training);
    expect(ids(split.val)).toEqual(["img0001", "img0002", "img0003", "img0004", "img0008", "img0022", "img0025", "img0029", "img0032", "img0035", "img0036", "img0038"]);
    expect(split.train).toHaveLength(18);
  });

  it("finds RawData from the download folder or RawData itself, and names a missing label", async () => {
    expect(await detectLayout(btcv.dir)).toMatchObject({ layout: "btcv", root: join(btcv.dir, "RawData") });
    expect((await openDataset(join(btcv.dir, "RawData"))).dataset.training).toHaveLength(30);
    const broken = join(tmp, "btcv-broken", "Training");
    mkdirSync(join(broken, "img"), { recursive: true });
    writeFileSync(join(broken, "img", "img0005.nii.gz"), "");
    await expect(openDataset(join(tmp, "btcv-broken"))).rejects.toThrow(`${join(broken, "label", "label0005.nii.gz")}: not found: the label of img0005`);
  });
});

describe("MSD folder as it unpacks", () => {
  it("loads the listed cases beside ._* companions; the split is python's shuffle of dataset.json order", async () => {
    const opened = await openDataset(spleen.dir);
    expect(opened.layout).toBe("decathlon");
    const ds = opened.dataset;
    expect(ds.training).toHaveLength(41);
    expect(ds.training.some((c) => c.id.startsWith("._"))).toBe(false);
    expect(await firstVoxel(ds.training[5]!.image)).toBe(6);
    const split = paperSplit("Task09_Spleen", ds.training);
    const expected = msdPaperOrder("Task09_Spleen").map((i) => ds.training[i]!.id);
    expect([...ids(split.train), ...ids(split.val), ...ids(split.test)]).toEqual(expected);
    expect([split.train.length, split.val.length, split.test.length]).toEqual([32, 6, 3]);
  });

  it("is not converted: convert says it is already in the Decathlon layout", async () => {
    await expect(convertRawDataset(spleen.dir, join(tmp, "x"))).rejects.toThrow("is already in the Decathlon layout");
  });
});

describe("convertRawDataset", () => {
  it("refuses an output folder that already has a dataset.json, and a file where a link goes", async () => {
    await expect(convertRawDataset(btcv.dir, spleen.dir)).rejects.toThrow(`${join(spleen.dir, "dataset.json")}: already exists`);
    const out = join(tmp, "out-file-in-way");
    mkdirSync(join(out, "imagesTr"), { recursive: true });
    writeFileSync(join(out, "imagesTr", "img0001.nii.gz"), "mine");
    await expect(convertRawDataset(btcv.dir, out, { link: "symlink" })).rejects.toThrow("exists and is not a link: converting never overwrites files");
    expect(readFileSync(join(out, "imagesTr", "img0001.nii.gz"), "utf8")).toBe("mine");
  });

  it("names what it expected for an unknown folder or layout id", async () => {
    const empty = mkdtempSync(join(tmp, "empty-"));
    const err = await convertRawDataset(empty, join(tmp, "y")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/not a raw download: expected a Decathlon dataset folder \(dataset.json\) or a raw download: acdc \(training\/patientNNN/);
    await expect(convertRawDataset(empty, join(tmp, "y"), { layout: "btvc" })).rejects.toThrow('unknown raw layout "btvc"; did you mean "btcv"?');
    await expect(convertRawDataset(empty, join(tmp, "y"), { layout: "acdc" })).rejects.toThrow("not a raw acdc download: expected training/patientNNN");
    await expect(openDataset(empty)).rejects.toThrow("not a dataset: expected a Decathlon dataset folder");
  });

  it("symlinksSupported probes the folder and leaves nothing behind", async () => {
    const dir = mkdtempSync(join(tmp, "probe-"));
    expect(await symlinksSupported(dir)).toBe(true);
    expect(await listFolder(dir)).toEqual([]);
  });
});

describe("findDatasets", () => {
  it("finds each dataset of a data folder in either layout, with its task", async () => {
    const found = await findDatasets(tmp);
    const byDir = Object.fromEntries(found.map((f) => [f.dir.slice(tmp.length + 1), [f.layout, f.taskId, f.root.slice(tmp.length + 1)]]));
    expect(byDir).toMatchObject({
      ACDC: ["acdc", "ACDC", join("ACDC", "database")],
      Abdomen: ["btcv", "BTCV", join("Abdomen", "RawData")],
      Task09_Spleen: ["decathlon", "Task09_Spleen", "Task09_Spleen"],
      "out-btcv": ["decathlon", undefined, "out-btcv"],
    });
    expect(found.map((f) => f.dir)).toEqual([...found.map((f) => f.dir)].sort());
    expect(await findDatasets(spleen.dir)).toEqual([{ layout: "decathlon", root: spleen.dir, dir: spleen.dir, taskId: "Task09_Spleen" }]);
    expect(await findDatasets(join(tmp, "nope"))).toEqual([]);
  });
});

describe("listFolder", () => {
  it("skips macOS ._* companions and .DS_Store, sorted; undefined for a missing folder", async () => {
    expect(await listFolder(join(btcv.dir, "RawData", "Training", "img"))).toHaveLength(30);
    expect(await listFolder(join(tmp, "nope"))).toBeUndefined();
    expect([isMacMetadata("._img0001.nii.gz"), isMacMetadata(".DS_Store"), isMacMetadata(".hidden"), isMacMetadata("img._1")]).toEqual([true, true, false, false]);
  });
});
