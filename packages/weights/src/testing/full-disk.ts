/**
 * A file system that fills up, for tests of the atomic writers: `fullDiskFs(fs, disk)` wraps
 * `node:fs` so that writes to paths matching `disk.match` fail with ENOSPC once `disk.allow`
 * bytes have been written to them — as a real disk that fills up mid-file. Use it in a vitest
 * mock (the state object must come from `vi.hoisted`):
 *
 *   const disk = vi.hoisted(() => ({ match: null as RegExp | null, allow: 0, failures: 0 }));
 *   vi.mock("node:fs", async (original) => (await import("@transseg/weights/testing/full-disk")).fullDiskFs(await original(), disk));
 *
 * Import it from its own subpath as above: this file imports nothing from node:fs, while the
 * `@transseg/weights/testing` index does (the factory would get unmocked copies of the writers).
 */
import { Writable } from "node:stream";

export interface FullDisk {
  /** Paths that are on the full disk (null: none). */
  match: RegExp | null;
  /** Bytes that still fit. */
  allow: number;
  /** Writes refused so far. */
  failures: number;
}

type Fs = typeof import("node:fs");
type FsPromises = typeof import("node:fs/promises");

export function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
}

export function fullDiskFs(fs: Fs, disk: FullDisk): Fs {
  const paths = new Map<number, string>();
  const refuse = (path: string, bytes: number): boolean => {
    if (!disk.match?.test(path)) return false;
    if (bytes <= disk.allow) {
      disk.allow -= bytes;
      return false;
    }
    disk.failures++;
    return true;
  };
  const size = (data: unknown) => (typeof data === "string" ? Buffer.byteLength(data) : (data as ArrayBufferView).byteLength);
  const openSync = ((path: string, ...rest: unknown[]) => {
    const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
    paths.set(fd, String(path));
    return fd;
  }) as Fs["openSync"];
  const writeSync = ((fd: number, data: ArrayBufferView | string, ...rest: unknown[]) => {
    const len = typeof data !== "string" && typeof rest[1] === "number" ? rest[1] : size(data) - (typeof rest[0] === "number" && typeof data !== "string" ? rest[0] : 0);
    if (refuse(paths.get(fd) ?? "", len)) throw enospc();
    return (fs.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as Fs["writeSync"];
  const writeFileSync = ((path: string, data: string | ArrayBufferView, ...rest: unknown[]) => {
    if (refuse(String(path), size(data))) throw enospc();
    return (fs.writeFileSync as (...a: unknown[]) => void)(path, data, ...rest);
  }) as Fs["writeFileSync"];
  const appendFileSync = ((path: string, data: string | ArrayBufferView, ...rest: unknown[]) => {
    if (refuse(String(path), size(data))) throw enospc();
    return (fs.appendFileSync as (...a: unknown[]) => void)(path, data, ...rest);
  }) as Fs["appendFileSync"];
  const createWriteStream = ((path: string, ...rest: unknown[]) => {
    if (!disk.match?.test(String(path))) return (fs.createWriteStream as (...a: unknown[]) => unknown)(path, ...rest);
    (fs.writeFileSync as (p: string, d: string) => void)(String(path), ""); // the file exists, as a real stream's would
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (refuse(String(path), chunk.length)) done(enospc());
        else (fs.appendFile as (p: string, d: Buffer, cb: (e: Error | null) => void) => void)(String(path), chunk, done);
      },
    });
  }) as unknown as Fs["createWriteStream"];
  const mocked = { ...fs, openSync, writeSync, writeFileSync, appendFileSync, createWriteStream };
  return { ...mocked, default: mocked } as Fs;
}

/** `node:fs/promises` whose `writeFile` to matching paths fails the same way. */
export function fullDiskFsPromises(fsp: FsPromises, disk: FullDisk): FsPromises {
  const writeFile = (async (path: string, data: string | ArrayBufferView, ...rest: unknown[]) => {
    const bytes = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (disk.match?.test(String(path))) {
      if (bytes > disk.allow) {
        disk.failures++;
        throw enospc();
      }
      disk.allow -= bytes;
    }
    return (fsp.writeFile as (...a: unknown[]) => Promise<void>)(path, data, ...rest);
  }) as FsPromises["writeFile"];
  const mocked = { ...fsp, writeFile };
  return { ...mocked, default: mocked } as FsPromises;
}
