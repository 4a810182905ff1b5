import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireRunLock, LOCK_FILE, LOCK_FORMAT, pidNamespace, processStart, readRunLock, RunLockedError, staleness, type RunLockHolder } from "./run-lock.js";
import { tinyRunOptions, tinySpleenDataset } from "./testing-data.js";
import { resume, train } from "./trainer.js";

const root = mkdtempSync(join(tmpdir(), "run-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => join(root, `run${n++}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function holder(over: Partial<RunLockHolder>): RunLockHolder {
  const now = new Date().toISOString();
  return { format: LOCK_FORMAT, host: hostname(), pid: process.pid, processStart: processStart(process.pid), pidNamespace: pidNamespace(), command: "transseg train", started: now, heartbeat: now, token: "0123456789abcdef", ...over };
}
const plant = (dir: string, h: RunLockHolder) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(h));
};
/** A pid that existed and is gone. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("run.lock", () => {
  it("records host, pid, process start, start time and heartbeat; a second taker is refused by name; release removes it", async () => {
    const dir = folder();
    const lock = acquireRunLock(dir, { command: "transseg train" });
    const h = readRunLock(dir)!;
    expect(h).toMatchObject({ format: LOCK_FORMAT, host: hostname(), pid: process.pid, command: "transseg train", token: lock.holder.token });
    expect(Date.parse(h.started)).toBeGreaterThan(Date.now() - 10_000);
    let err: unknown;
    try { acquireRunLock(dir); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as Error).message).toMatch(new RegExp(`^${dir}: the run folder is in use by transseg train \\(pid ${process.pid} on host ${hostname()}, started .+, heartbeat \\d+ s ago\\); wait for it to finish or stop it`));
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await acquireRunLock(dir).release();
  });

  it("takes over a lock whose process is gone, or whose pid now belongs to another process", async () => {
    for (const stale of [holder({ pid: deadPid() }), holder({ processStart: "1" })]) {
      const dir = folder();
      plant(dir, stale);
      expect(staleness(stale)).toMatch(/is gone|is now another process/);
      const lock = acquireRunLock(dir);
      expect(readRunLock(dir)!.token).toBe(lock.holder.token);
      await lock.release();
    }
  });

  it("a lock from another host is live while its heartbeat is fresh, stale after staleMs", async () => {
    const dir = folder();
    plant(dir, holder({ host: "node17.cluster", pid: 1 }));
    expect(() => acquireRunLock(dir, { staleMs: 60_000 })).toThrow(/in use by transseg train \(pid 1 on host node17\.cluster/);
    plant(dir, holder({ host: "node17.cluster", pid: 1, heartbeat: new Date(Date.now() - 120_000).toISOString() }));
    expect(staleness(readRunLock(dir)!, { staleMs: 60_000 })).toMatch(/^its heartbeat is 12\d s old \(host node17\.cluster\)$/);
    await acquireRunLock(dir, { staleMs: 60_000 }).release();
  });

  it("a lock from another pid namespace (a container with the same host name) is judged by its heartbeat", () => {
    const other = holder({ pid: deadPid(), pidNamespace: "pid:[1]" });
    expect(staleness(other, { staleMs: 60_000 })).toBeNull();
    expect(staleness({ ...other, heartbeat: new Date(Date.now() - 120_000).toISOString() }, { staleMs: 60_000 })).toMatch(/^its heartbeat is/);
  });

  it("a live process on this host keeps its lock however old its heartbeat (e.g. suspended with Ctrl-Z)", () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      const h = holder({ pid: child.pid!, processStart: processStart(child.pid!), heartbeat: new Date(0).toISOString() });
      expect(staleness(h, { staleMs: 1 })).toBeNull();
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refreshes the heartbeat from a worker thread, and notices being taken over", async () => {
    const dir = folder();
    const lock = acquireRunLock(dir, { heartbeatMs: 30 });
    const first = readRunLock(dir)!.heartbeat;
    // the main thread stays busy (no event loop turn): the worker's heartbeat goes on
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && readRunLock(dir)?.heartbeat === first);
    expect(readRunLock(dir)!.heartbeat > first).toBe(true);
    expect(lock.lostTo).toBeNull();
    const other = holder({ host: "node2", pid: 42, token: "fedcba9876543210" });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(other));
    for (let i = 0; i < 500 && lock.lostTo === null; i++) await sleep(20);
    expect(lock.lostTo).toMatchObject({ host: "node2", pid: 42 });
    await lock.release();
    expect(readRunLock(dir)).toMatchObject({ token: other.token }); // not ours: left alone
  });

  it("an unreadable lock is respected for a few seconds (being written), then taken over", async () => {
    const dir = folder();
    plant(dir, holder({}));
    writeFileSync(join(dir, LOCK_FILE), "{");
    expect(() => acquireRunLock(dir)).toThrow(/lock is being written by another process/);
    utimesSync(join(dir, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await acquireRunLock(dir).release();
  });
});

describe("train and resume take the lock", () => {
  let data = "";
  beforeAll(async () => {
    data = await tinySpleenDataset(16);
  });
  afterAll(() => rmSync(dirname(data), { recursive: true, force: true }));

  it("refuse a run folder another live process holds, before touching it", async () => {
    const out = folder();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      plant(out, holder({ pid: child.pid!, processStart: processStart(child.pid!) }));
      await expect(train(tinyRunOptions(data, out))).rejects.toThrow(RunLockedError);
      writeFileSync(join(out, "run.json"), JSON.stringify({ format: "transseg-run/1", created: "", options: tinyRunOptions(data, out) }));
      await expect(resume(out)).rejects.toThrow(new RegExp(`in use by transseg train \\(pid ${child.pid}`));
      expect(readFileSync(join(out, "run.json"), "utf8")).toMatch(/transseg-run\/1/);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
