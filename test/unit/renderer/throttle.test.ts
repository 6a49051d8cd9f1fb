import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from '../../../src/renderer/lib/throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first call at once, then at most once per interval, with the last of a burst at its end', () => {
    const fn = vi.fn();
    const t = throttle(fn, 500);
    t.call();
    expect(fn).toHaveBeenCalledTimes(1); // a quiet spell ended: no wait
    t.call();
    t.call();
    vi.advanceTimersByTime(499);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2); // the burst's calls, once, when the interval ended
    vi.advanceTimersByTime(10_000);
    expect(fn).toHaveBeenCalledTimes(2);
    t.call();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('waits only for what is left of the interval since the last run', () => {
    const fn = vi.fn();
    const t = throttle(fn, 500);
    t.call();
    vi.advanceTimersByTime(300);
    t.call();
    vi.advanceTimersByTime(199);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('drops a pending call when cancelled', () => {
    const fn = vi.fn();
    const t = throttle(fn, 500);
    t.call();
    t.call();
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
