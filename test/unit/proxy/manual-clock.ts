// A LinkClock whose time moves only when a test says so: timers run in due order as time passes.

import type { LinkClock, LinkTimer } from '../../../src/main/lab/proxy/link-clock';

interface Pending {
  due: number;
  seq: number;
  run: () => void;
}

export class ManualClock implements LinkClock {
  private t = 0;
  private seq = 0;
  private timers: Pending[] = [];

  now(): number {
    return this.t;
  }

  setTimer(callback: () => void, delayMs: number): LinkTimer {
    const p: Pending = { due: this.t + Math.max(0, delayMs), seq: this.seq++, run: callback };
    this.timers.push(p);
    return { id: p };
  }

  clearTimer(timer: LinkTimer): void {
    this.timers = this.timers.filter((p) => p !== timer.id);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward to `this.now() + ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.due > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.due);
      next.run();
    }
    this.t = end;
  }
}
