import { readNifti, type Volume } from "@transseg/datasets";
import { afterAll, describe, expect, it } from "vitest";
import { predictVolume, type WindowRunner } from "@transseg/model";
import { loadSegmentationModel, tfjsRunner } from "@transseg/vit3d";
import { fixture, HAVE_SHARED_FIXTURES, TEST_BACKENDS, useTestBackend } from "@transseg/vit3d/testing";

if (!HAVE_SHARED_FIXTURES) console.warn(`${fixture("")} is absent (set TRANSSEG_SHARED to the shared folder): whole-volume parity tests are skipped`);

function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

describe.skipIf(!HAVE_SHARED_FIXTURES)("predictVolume reproduces the PyTorch reference's whole-volume predictions", () => {
  for (const backend of TEST_BACKENDS) {
    for (const kind of ["beit", "vit"]) {
      it(`${kind} on ${backend}: ≥ 99.5 % of voxels, probabilities consistent`, async () => {
        await useTestBackend(backend);
        const model = await loadSegmentationModel(fixture(`seg_${kind}.safetensors`));
        try {
          const volume = await readNifti(fixture(`volume_${kind}.nii.gz`));
          const expected = await readNifti(fixture(`volume_${kind}_pred.nii.gz`));
          const progress: number[] = [];
          const pred = await predictVolume(volume, tfjsRunner(model), { clip: [-175, 250], batch: 4, probabilities: true, onProgress: (d) => progress.push(d) });
          expect(pred.shape).toEqual(expected.shape.slice(0, 3));
          expect(agreement(pred.labels, expected.data)).toBeGreaterThanOrEqual(0.995);
          expect(progress).toEqual([4, 8, 9]);
          const [X, Y, Z] = pred.shape;
          const n = X * Y * Z;
          const probs = pred.probabilities!;
          expect(probs.length).toBe(n * 3);
          for (const i of [0, 17, Math.floor(n / 2), n - 1]) {
            const p = [probs[i]!, probs[n + i]!, probs[2 * n + i]!];
            expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 5);
            expect(p.indexOf(Math.max(...p))).toBe(pred.labels[i]);
          }
        } finally {
          model.dispose();
        }
      });
    }
  }
});

describe("predictVolume input checks", () => {
  const runner: WindowRunner = {
    inChannels: 1, window: 3, img: [4, 4], classes: 2, engine: "fake",
    async run(windows, shape) {
      // logits: class 1 wins where the centre slice's intensity is above 0.5
      const [B, , D, H, W] = shape;
      const out = new Float32Array(B * 2 * H * W);
      for (let b = 0; b < B; b++) for (let i = 0; i < H * W; i++) {
        const v = windows[b * D * H * W + Math.floor(D / 2) * H * W + i]!;
        out[b * 2 * H * W + H * W + i] = v - 0.5;
      }
      return out;
    },
  };
  const volume = (data: Float32Array, shape: number[]): Volume => ({ data, shape, spacing: [1, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], datatype: "float32" });

  it("labels each slice from its own window, resized to the native size", async () => {
    const data = new Float32Array(8 * 6 * 3);
    for (let z = 0; z < 3; z++) for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) data[x + 8 * (y + 6 * z)] = x < 4 && z === 1 ? 1 : 0;
    const pred = await predictVolume(volume(data, [8, 6, 3]), runner, { clip: [0, 1] });
    for (let z = 0; z < 3; z++) for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) expect(pred.labels[x + 8 * (y + 6 * z)]).toBe(x < 4 && z === 1 ? 1 : 0);
  });

  it("streams each slice's probabilities (onProbabilities): placed at (k·Z + z)·X·Y they are the in-memory volume", async () => {
    const data = new Float32Array(8 * 6 * 5).map((_, i) => ((i * 37) % 11) / 10);
    const v = volume(data, [8, 6, 5]);
    const whole = await predictVolume(v, runner, { clip: [0, 1], batch: 2, probabilities: true });
    const streamed = new Float32Array(8 * 6 * 5 * 2);
    const seen: number[] = [];
    const pred = await predictVolume(v, runner, {
      clip: [0, 1],
      batch: 2,
      onProbabilities: async (z, planes) => {
        seen.push(z);
        expect(planes.length).toBe(2 * 48);
        for (let k = 0; k < 2; k++) streamed.set(planes.subarray(k * 48, (k + 1) * 48), (k * 5 + z) * 48);
        await Promise.resolve();
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(pred.probabilities).toBeUndefined();
    expect(Array.from(streamed)).toEqual(Array.from(whole.probabilities!));
    expect(Array.from(pred.labels)).toEqual(Array.from(whole.labels));
  });

  it("rejects a channel-count mismatch and NaN voxels, naming the volume", async () => {
    await expect(predictVolume(volume(new Float32Array(4 * 4 * 2 * 2), [4, 4, 2, 2]), runner, { clip: null, name: "mr.nii.gz" })).rejects.toThrow(/mr\.nii\.gz: the model takes 1 channel\(s\) but the volume has 2/);
    const nan = new Float32Array(4 * 4 * 2);
    nan[5] = NaN;
    await expect(predictVolume(volume(nan, [4, 4, 2]), runner, { clip: null, name: "ct.nii" })).rejects.toThrow(/ct\.nii: voxel 5 is NaN/);
  });
});

afterAll(async () => {
  await useTestBackend("cpu");
});
