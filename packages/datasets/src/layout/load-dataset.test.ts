import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DatasetError } from "../errors.js";
import { parseDatasetJson } from "./dataset-json.js";
import { caseId, loadDataset } from "./load-dataset.js";
import { writeDatasetJson } from "./write-dataset-json.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "transseg-layout-"));
  for (const sub of ["imagesTr", "labelsTr", "imagesTs"]) mkdirSync(join(dir, sub));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const json = {
  name: "Spleen",
  modality: { "0": "CT" },
  labels: { "0": "background", "1": "spleen" },
  numTraining: 2,
  numTest: 1,
  training: [
    { image: "./imagesTr/spleen_2.nii.gz", label: "./labelsTr/spleen_2.nii.gz" },
    { image: "./imagesTr/spleen_3.nii.gz", label: "./labelsTr/spleen_3.nii.gz" },
  ],
  test: ["./imagesTs/spleen_1.nii.gz"],
};
const touchAll = () => {
  for (const e of json.training) {
    writeFileSync(join(dir, e.image), "");
    writeFileSync(join(dir, e.label), "");
  }
  for (const t of json.test) writeFileSync(join(dir, t), "");
};

describe("loadDataset", () => {
  it("resolves paths relative to the folder and lists labels / modality by index", async () => {
    writeFileSync(join(dir, "dataset.json"), JSON.stringify(json));
    touchAll();
    const ds = await loadDataset(dir);
    expect(ds.name).toBe("Spleen");
    expect(ds.root).toBe(dir);
    expect(ds.labels).toEqual(["background", "spleen"]);
    expect(ds.modality).toEqual(["CT"]);
    expect(ds.training).toEqual([
      { id: "spleen_2", image: join(dir, "imagesTr/spleen_2.nii.gz"), label: join(dir, "labelsTr/spleen_2.nii.gz") },
      { id: "spleen_3", image: join(dir, "imagesTr/spleen_3.nii.gz"), label: join(dir, "labelsTr/spleen_3.nii.gz") },
    ]);
    expect(ds.test).toEqual([{ id: "spleen_1", image: join(dir, "imagesTs/spleen_1.nii.gz") }]);
  });

  it("names dataset.json when it is missing", async () => {
    await expect(loadDataset(dir)).rejects.toThrow(`${join(dir, "dataset.json")}: not found`);
    await expect(loadDataset(join(dir, "nope"))).rejects.toThrow("not a dataset folder");
  });

  it("lists missing files", async () => {
    writeFileSync(join(dir, "dataset.json"), JSON.stringify(json));
    writeFileSync(join(dir, json.training[0]!.image), "");
    const err = await loadDataset(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).file).toBe(join(dir, "dataset.json"));
    expect((err as Error).message).toContain("4 listed files are missing: labelsTr/spleen_2.nii.gz, imagesTr/spleen_3.nii.gz, labelsTr/spleen_3.nii.gz, imagesTs/spleen_1.nii.gz");
    await expect(loadDataset(dir, { checkFiles: false })).resolves.toMatchObject({ name: "Spleen" });
  });

  it("writeDatasetJson round-trips", async () => {
    await writeDatasetJson(dir, json);
    touchAll();
    expect((await loadDataset(dir)).json).toEqual(json);
  });
});

describe("parseDatasetJson", () => {
  const f = "/d/dataset.json";
  const bad = (o: unknown) => () => parseDatasetJson(JSON.stringify(o), f);
  it("rejects malformed files with the field at fault", () => {
    expect(() => parseDatasetJson("{", f)).toThrow(`${f}: invalid JSON`);
    expect(bad([])).toThrow("expected a JSON object");
    expect(bad({ ...json, labels: undefined })).toThrow(`"labels" must be an object`);
    expect(bad({ ...json, labels: { "0": "bg", "2": "x" } })).toThrow(`missing or non-string "1"`);
    expect(bad({ ...json, modality: {} })).toThrow(`"modality" is empty`);
    expect(bad({ ...json, training: {} })).toThrow(`"training" must be an array`);
    expect(bad({ ...json, training: [{ image: "a" }] })).toThrow(`"training"[0] must be`);
    expect(bad({ ...json, test: [1] })).toThrow(`"test" must be an array of image paths`);
    expect(bad({ ...json, numTraining: 3 })).toThrow(`"numTraining" is 3 but "training" lists 2 cases`);
    expect(bad({ ...json, numTest: 0 })).toThrow(`"numTest" is 0`);
  });
  it("rejects a name, description, reference, licence or tensorImageSize that is not a string (fuzz finding: a numeric name was returned as the dataset's name)", () => {
    for (const key of ["name", "description", "reference", "licence", "tensorImageSize"]) {
      for (const value of [3, ["Spleen"], { a: 1 }, true, null]) {
        expect(bad({ ...json, [key]: value }), `${key}: ${JSON.stringify(value)}`).toThrow(new DatasetError(f, `"${key}" must be a string`));
      }
    }
    expect(parseDatasetJson(JSON.stringify({ ...json, description: "d", tensorImageSize: "3D" }), f).name).toBe("Spleen");
  });
  it("accepts a file without a test list", () => {
    const { test: _t, numTest: _n, ...rest } = json;
    expect(parseDatasetJson(JSON.stringify(rest), f).test).toEqual([]);
  });
});

describe("caseId", () => {
  it("strips .nii / .nii.gz", () => {
    expect(caseId("./imagesTr/la_003.nii.gz")).toBe("la_003");
    expect(caseId("/x/img0001.nii")).toBe("img0001");
  });
});
