// Time for the simulated access link: a monotonic clock and one-shot timers, injectable so tests
// can step time by hand instead of sleeping.

export interface LinkClock {
  /** Milliseconds on a monotonic clock (not the wall clock: a clock change must not stall the link). */
  now(): number;
  setTimer(callback: () => void, delayMs: number): LinkTimer;
  clearTimer(timer: LinkTimer): void;
}

export type LinkTimer = { readonly id: unknown };

export const systemLinkClock: LinkClock = {
  now: () => performance.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    // A pending delivery must not keep a CLI or test process alive after the lab stops.
    handle.unref?.();
    return { id: handle };
  },
  clearTimer(timer) {
    clearTimeout(timer.id as ReturnType<typeof setTimeout>);
  },
};
