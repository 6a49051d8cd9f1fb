// Bits carried per second over a sliding window, kept as fixed-width buckets so the cost does not
// grow with the traffic: utilization = bits sent in the window / (bandwidth x window length).

import { LINK_UTILIZATION_BUCKET_MS, LINK_UTILIZATION_WINDOW_MS } from './limits';

export interface MeterOptions {
  windowMs?: number;
  bucketMs?: number;
}

export class UtilizationMeter {
  readonly windowMs: number;
  readonly bucketMs: number;
  private readonly buckets: Float64Array;
  /** Bucket number (time / bucketMs) each slot holds, so a stale slot is recognised and reused. */
  private readonly slots: Float64Array;
  private since: number;

  constructor(start: number, options: MeterOptions = {}) {
    this.windowMs = options.windowMs ?? LINK_UTILIZATION_WINDOW_MS;
    this.bucketMs = options.bucketMs ?? LINK_UTILIZATION_BUCKET_MS;
    if (!(this.bucketMs > 0) || !(this.windowMs >= this.bucketMs)) throw new Error('the window must hold at least one bucket');
    const n = Math.ceil(this.windowMs / this.bucketMs);
    this.buckets = new Float64Array(n);
    this.slots = new Float64Array(n).fill(-1);
    this.since = start;
  }

  /** Forget everything, e.g. when the bandwidth changes and old bits no longer compare. */
  reset(now: number): void {
    this.buckets.fill(0);
    this.slots.fill(-1);
    this.since = now;
  }

  /** `bits` crossed the link at time `at`. */
  record(at: number, bits: number): void {
    if (bits <= 0) return;
    const n = Math.floor(at / this.bucketMs);
    const i = n % this.buckets.length;
    if (this.slots[i] !== n) {
      this.slots[i] = n;
      this.buckets[i] = 0;
    }
    this.buckets[i] += bits;
  }

  /** Bits recorded within the window that ends with the bucket holding `now`. */
  bitsInWindow(now: number): number {
    const current = Math.floor(now / this.bucketMs);
    const oldest = current - this.buckets.length + 1;
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const n = this.slots[i];
      if (n >= oldest && n <= current) sum += this.buckets[i];
    }
    return sum;
  }

  /**
   * Mean bits per second from the start of the window's oldest bucket (or the meter's start, if
   * later) to now. A span shorter than one bucket counts as one, so the first packet after a
   * reset does not read as an enormous rate.
   */
  bitsPerSecond(now: number): number {
    const oldestStart = (Math.floor(now / this.bucketMs) - this.buckets.length + 1) * this.bucketMs;
    const span = Math.max(now - Math.max(oldestStart, this.since), this.bucketMs);
    return (this.bitsInWindow(now) * 1000) / span;
  }

  /** Whether any recorded traffic is still inside the window. */
  hasTraffic(now: number): boolean {
    return this.bitsInWindow(now) > 0;
  }
}
