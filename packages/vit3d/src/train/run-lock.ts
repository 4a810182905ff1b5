/**
 * One writer per run folder: `run.lock` records who trains in it (host, pid, the process's
 * start time, when it started, a heartbeat). It is created with O_EXCL; a worker thread
 * refreshes the heartbeat (also while the main thread is busy in a long step) and notices when
 * the lock has been taken over. A lock is stale — and is taken over — when its host (and pid
 * namespace) is this one and its pid is gone or now another process, or, for a lock written from
 * another host or container (a shared file system), when its heartbeat is older than `staleMs`.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

export const LOCK_FILE = "run.lock";
export const LOCK_FORMAT = "transseg-run-lock/1";

export interface RunLockOptions {
  /** How often the heartbeat is refreshed (default 30 s). */
  readonly heartbeatMs?: number;
  /** A lock from another host whose heartbeat is older than this is stale (default 5 min). */
  readonly staleMs?: number;
  /** What holds the lock, for the refusal message (default "training"). */
  readonly command?: string;
}

export interface RunLockHolder {
  readonly format: typeof LOCK_FORMAT;
  readonly host: string;
  readonly pid: number;
  /** The process's start time as the kernel counts it (Linux `/proc/<pid>/stat`), to tell a reused pid apart; null elsewhere. */
  readonly processStart: string | null;
  /** The pid namespace (Linux `/proc/self/ns/pid`): containers with one host name are told apart; null elsewhere. */
  readonly pidNamespace: string | null;
  readonly command: string;
  readonly started: string;
  readonly heartbeat: string;
  /** Random: identifies this lock among later ones. */
  readonly token: string;
}

export interface RunLock {
  readonly path: string;
  readonly holder: RunLockHolder;
  /** What replaced the lock when another process took it over (this process must stop writing), else null. */
  readonly lostTo: RunLockHolder | "removed" | null;
  /** Stops the heartbeat (waiting for it), then removes the lock if it is still ours. */
  release(): Promise<void>;
}

/** Another live process holds the run folder. */
export class RunLockedError extends Error {
  override readonly name = "RunLockedError";
  constructor(readonly dir: string, readonly holder: RunLockHolder) {
    super(`${dir}: the run folder is in use by ${describeHolder(holder)}; wait for it to finish or stop it (its lock ${join(dir, LOCK_FILE)} is taken over once that process is gone)`);
  }
}

export function describeHolder(h: RunLockHolder, now = Date.now()): string {
  const age = Math.max(0, Math.round((now - Date.parse(h.heartbeat)) / 1000));
  return `${h.command} (pid ${h.pid} on host ${h.host}, started ${h.started}, heartbeat ${age} s ago)`;
}

/** Start time of process `pid` (field 22 of /proc/<pid>/stat), or null when unknown. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** This process's pid namespace (e.g. `pid:[4026531836]`), or null when unknown. */
export function pidNamespace(): string | null {
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why `holder` is stale (to be taken over), or null while it is live. */
export function staleness(holder: RunLockHolder, options: RunLockOptions = {}, now = Date.now()): string | null {
  // pids mean something only on this host and in this pid namespace (not from another container)
  if (holder.host === hostname() && (holder.pidNamespace ?? null) === pidNamespace()) {
    if (!alive(holder.pid)) return `its process (pid ${holder.pid}) is gone`;
    const start = processStart(holder.pid);
    if (holder.processStart !== null && start !== null && start !== holder.processStart) return `pid ${holder.pid} is now another process`;
    return null;
  }
  const age = now - Date.parse(holder.heartbeat);
  const staleMs = options.staleMs ?? 5 * 60_000;
  return !(age <= staleMs) ? `its heartbeat is ${Math.round(age / 1000)} s old (host ${holder.host})` : null;
}

function parseHolder(text: string): RunLockHolder | null {
  try {
    const h = JSON.parse(text) as RunLockHolder;
    return h?.format === LOCK_FORMAT && typeof h.pid === "number" && typeof h.token === "string" ? h : null;
  } catch {
    return null;
  }
}

/** The lock of `dir`, or null when there is none (or it is unreadable). */
export function readRunLock(dir: string): RunLockHolder | null {
  try {
    return parseHolder(readFileSync(join(dir, LOCK_FILE), "utf8"));
  } catch {
    return null;
  }
}

/** An unreadable lock (a crash while writing it) counts as stale once it is a few seconds old. */
const UNREADABLE_GRACE_MS = 5_000;

function createExclusive(path: string, holder: RunLockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Moves the lock we judged stale out of the way; false when the file turned out to be another one. */
function removeStale(path: string, judged: RunLockHolder | null): boolean {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw e;
  }
  let moved: RunLockHolder | null = null;
  try {
    moved = parseHolder(readFileSync(aside, "utf8"));
  } catch { /* gone */ }
  if (judged !== null && moved?.token !== judged.token) {
    try { linkSync(aside, path); } catch { /* a newer lock exists already */ }
    rmSync(aside, { force: true });
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}

const HEARTBEAT = `
const { workerData, parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const { path, token, intervalMs } = workerData;
const timer = setInterval(() => {
  let current = null;
  try { current = JSON.parse(fs.readFileSync(path, "utf8")); } catch {}
  if (!current || current.token !== token) { clearInterval(timer); parentPort.postMessage({ lostTo: current ?? "removed" }); return; }
  current.heartbeat = new Date().toISOString();
  const tmp = path + "." + token + ".tmp";
  try { fs.writeFileSync(tmp, JSON.stringify(current) + "\\n"); fs.renameSync(tmp, path); } catch { try { fs.rmSync(tmp, { force: true }); } catch {} }
}, intervalMs);
`;

/**
 * Takes the lock of run folder `dir` (created if needed), taking over a stale one; throws
 * RunLockedError naming the holder while another live process has it.
 */
export function acquireRunLock(dir: string, options: RunLockOptions = {}): RunLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const now = new Date().toISOString();
  const holder: RunLockHolder = {
    format: LOCK_FORMAT, host: hostname(), pid: process.pid, processStart: processStart(process.pid), pidNamespace: pidNamespace(),
    command: options.command ?? "training", started: now, heartbeat: now, token: randomBytes(8).toString("hex"),
  };
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(path, holder)) break;
    if (attempt >= 5) throw new Error(`${path}: could not take the run folder's lock (it keeps changing)`);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue; // removed meanwhile: try again
    }
    const current = parseHolder(text);
    if (current) {
      if (staleness(current, options) === null) throw new RunLockedError(dir, current);
    } else {
      let age = Infinity;
      try { age = Date.now() - statSync(path).mtimeMs; } catch { /* gone */ }
      if (age < UNREADABLE_GRACE_MS) throw new Error(`${path}: the run folder's lock is being written by another process; try again`);
    }
    removeStale(path, current);
  }
  let lostTo: RunLock["lostTo"] = null;
  const worker = new Worker(HEARTBEAT, { eval: true, workerData: { path, token: holder.token, intervalMs: options.heartbeatMs ?? 30_000 } });
  worker.on("message", (m: { lostTo: RunLockHolder | "removed" }) => (lostTo = m.lostTo));
  worker.on("error", () => undefined);
  worker.unref();
  let released = false;
  return {
    path,
    holder,
    get lostTo() {
      return lostTo;
    },
    async release() {
      if (released) return;
      released = true;
      await worker.terminate();
      rmSync(`${path}.${holder.token}.tmp`, { force: true });
      if (readRunLock(dir)?.token === holder.token) rmSync(path, { force: true });
    },
  };
}
