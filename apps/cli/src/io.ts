/** Where a command writes: stdout for its result, stderr for progress and messages. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress bars redraw in place). */
  readonly interactive: boolean;
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

/** A progress line on stderr: redrawn in place on a terminal, else printed at most every few seconds. */
export function progress(io: CliIO, quiet: boolean, label: string) {
  let last = 0;
  let drawn = false;
  const start = Date.now();
  return {
    update(done: number, total: number, extra = ""): void {
      if (quiet) return;
      const now = Date.now();
      const final = done >= total;
      if (!final && now - last < (io.interactive ? 100 : 5000)) return;
      last = now;
      const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
      const width = 24;
      const fill = Math.round((width * pct) / 100);
      const bar = "#".repeat(fill) + "-".repeat(width - fill);
      const secs = ((now - start) / 1000).toFixed(1);
      const line = `${label} [${bar}] ${pct}% ${done}/${total} ${secs}s${extra ? " " + extra : ""}`;
      if (io.interactive) io.stderr(`\r${line}\x1b[K`);
      else io.stderr(`${line}\n`);
      drawn = true;
    },
    done(): void {
      if (!quiet && drawn && io.interactive) io.stderr("\n");
    },
  };
}
