import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { movesWithBuffer, transferable } from "./eval-pair.js";
import type { ScoreTask } from "./eval-score.js";

const HEADER = 352;
const TAIL = 64 * 1024 + 1;

/** A NIfTI-like view: the voxels after a header, in a buffer with the inflater's spare tail. */
function fileView(voxels: number, fill = 7): Uint8Array {
  const view = new Uint8Array(new ArrayBuffer(HEADER + voxels + TAIL), HEADER, voxels);
  for (let i = 0; i < voxels; i += 997) view[i] = fill;
  return view;
}

const task = (pred: ScoreTask["pred"], gt: ScoreTask["gt"]): ScoreTask => ({ pred, gt, shape: [pred.length, 1, 1], spacing: [1, 1, 1], names: ["p.nii.gz", "g.nii.gz"] });

describe("transferable", () => {
  it("moves a file-sized view with its buffer (no copy) and copies the rest", () => {
    const big = fileView(1 << 20);
    expect(movesWithBuffer(big)).toBe(true);
    expect(movesWithBuffer(new Uint8Array(1000))).toBe(false); // small: copied
    expect(movesWithBuffer(new Uint8Array(new ArrayBuffer(4 << 20), 0, 1 << 20))).toBe(false); // a quarter of its buffer
    expect(movesWithBuffer(new Uint8Array(new SharedArrayBuffer(1 << 20)))).toBe(false);
    const other = fileView(1 << 20, 9);
    const { task: t, transfer } = transferable(task(big, other));
    expect(t.pred).toBe(big);
    expect(t.gt).toBe(other);
    expect(transfer).toEqual([big.buffer, other.buffer]);
  });

  it("copies views it cannot move, values kept; one buffer is never listed twice", () => {
    const shared = new Uint8Array(new ArrayBuffer(2 << 20));
    shared[5] = 3;
    const a = shared.subarray(0, 1 << 20);
    const b = shared.subarray(1 << 20);
    const { task: t, transfer } = transferable(task(a, b));
    expect(t.pred).not.toBe(a);
    expect([t.pred.byteOffset, t.pred[5], t.pred.length]).toEqual([0, 3, 1 << 20]);
    expect(new Set(transfer).size).toBe(2);
    const same = fileView(1 << 20);
    const { task: s, transfer: tr } = transferable(task(same, same));
    expect(s.pred).toBe(same);
    expect(s.gt).not.toBe(same);
    expect(Array.from(s.gt.subarray(0, 2000))).toEqual(Array.from(same.subarray(0, 2000)));
    expect(new Set(tr).size).toBe(2);
  });

  it("what it lists moves to the other side with the values and offsets kept", async () => {
    const pred = fileView(1 << 20, 5);
    const expected = Array.from(pred.subarray(0, 5000));
    const { task: t, transfer } = transferable(task(pred, fileView(1 << 20)));
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<ScoreTask>((resolve) => port2.once("message", resolve));
    port1.postMessage(t, transfer);
    const got = await received;
    port1.close();
    expect(pred.buffer.byteLength).toBe(0); // moved, not copied
    expect([got.pred.byteOffset, got.pred.length]).toEqual([HEADER, 1 << 20]);
    expect(Array.from(got.pred.subarray(0, 5000))).toEqual(expected);
  });
});
