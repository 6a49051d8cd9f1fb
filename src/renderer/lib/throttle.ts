// At most one call per interval, the first one at once: the status bar's totals come from a
// snapshot of the core, refreshed as capture batches arrive. Only waiting (a trailing call) left
// the totals a whole interval behind the rows after a quiet spell ("6 messages · 0 B captured").
// Monotonic time: a wall clock set back would hold the next call for as long as it jumped.

export interface Throttled {
  /** Runs the function now if it has not run within the interval, else once when the interval ends. */
  call(): void;
  /** Drops a pending call. */
  cancel(): void;
}

export function throttle(fn: () => void, intervalMs: number): Throttled {
  let lastRun = -Infinity;
  let pending: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    pending = null;
    lastRun = performance.now();
    fn();
  };
  return {
    call() {
      if (pending !== null) return;
      const wait = lastRun + intervalMs - performance.now();
      if (wait <= 0) run();
      else pending = setTimeout(run, wait);
    },
    cancel() {
      if (pending !== null) clearTimeout(pending);
      pending = null;
    },
  };
}
