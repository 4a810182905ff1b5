/**
 * A failed write (a full disk, a quota, a read-only folder) as one line naming the file, for the
 * atomic writers: the temporary file is removed and the previous file is untouched, and the
 * message says so. The errno code stays on the error (`code`), the original as its `cause`.
 */
export function writeFailure(path: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === "ENOSPC" ? "no space left on device" : err.code === "EDQUOT" ? "disk quota exceeded" : err.code === "EROFS" ? "read-only file system" : err.code === "EACCES" ? "permission denied" : (err.message ?? String(e)).split("\n")[0];
  const out = new Error(`${path}: cannot write (${why}${err.code ? `, ${err.code}` : ""}); the previous file, if any, is unchanged`, { cause: e });
  return Object.assign(out, { code: err.code });
}
