/** One `transseg-bench` command: one file each under `commands/`, registered in `commands/index.ts`. */
export interface BenchCommand {
  readonly name: string;
  /** The command's lines in `transseg-bench --help`. */
  readonly overview: string;
  /** What `transseg-bench <name> --help` (or `-h`) prints. */
  readonly usage: string;
  /** Runs the command on its arguments (after the name); resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}
