/**
 * Preemption of `transseg-bench run`: Ctrl-C, SIGTERM and SIGUSR1 (what a cluster sends before a
 * time limit or a preemption) stop the study after the running job's current training step, with
 * its training state saved; running the same command again keeps the finished jobs and resumes
 * the interrupted one from that state.
 */

/** Exit code of an interrupted run (the same as `transseg train`'s: sysexits' EX_TEMPFAIL). */
export const EXIT_INTERRUPTED = 75;

/** Signals that stop a run after the current step, with the state saved. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGUSR1"] as const satisfies readonly NodeJS.Signals[];

/** Thrown by `runJob` when its training stopped on the abort signal (the state is saved in its run folder). */
export class JobInterrupted extends Error {
  override readonly name = "JobInterrupted";
  constructor(
    readonly key: string,
    readonly step: number,
  ) {
    super(`${key}: interrupted at step ${step} (the training state is saved)`);
  }
}

export interface StopSignals {
  readonly signal: AbortSignal;
  /** The first signal received, or null. */
  readonly received: () => NodeJS.Signals | null;
  /** Removes the handlers. */
  readonly dispose: () => void;
}

/**
 * Handles `STOP_SIGNALS` for the life of a run: the first aborts `signal` (and calls `onFirst`,
 * e.g. to forward it to child processes), later ones only say that the state is still being saved.
 */
export function onStopSignals(log: (message: string) => void, onFirst?: (signal: NodeJS.Signals) => void): StopSignals {
  const controller = new AbortController();
  let first: NodeJS.Signals | null = null;
  const handler = (s: NodeJS.Signals) => {
    if (first !== null) {
      log(`${s}: still saving the running job's training state …`);
      return;
    }
    first = s;
    log(`${s}: stopping after the running job's current step (its training state is saved; run the same command again to resume)`);
    controller.abort(s); // the reason names the signal (forwarded as is to child processes)
    onFirst?.(s);
  };
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      for (const s of STOP_SIGNALS) process.removeListener(s, handler);
    },
  };
}
