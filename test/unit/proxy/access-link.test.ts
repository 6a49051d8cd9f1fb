import { describe, expect, it } from 'vitest';
import { AccessLink } from '../../../src/main/lab/proxy/access-link';
import { LINK_SCHEDULE_AHEAD_MS, LINK_SEGMENT_BYTES } from '../../../src/main/lab/proxy/limits';
import { parseAccessLinkSettings } from '../../../src/main/lab/proxy/link-settings';
import { UtilizationMeter } from '../../../src/main/lab/proxy/utilization-meter';
import { ACCESS_LINK_MAX_BANDWIDTH_BPS, ACCESS_LINK_MAX_DELAY_MS, ACCESS_LINK_MIN_BANDWIDTH_BPS, ACCESS_LINK_OFF } from '../../../src/shared/web-cache';
import { ManualClock } from './manual-clock';

/** A flow that notes when each byte arrived at either end. */
function recordingFlow(link: AccessLink, clock: ManualClock) {
  const toOrigin: { at: number; bytes: number }[] = [];
  const toCache: { at: number; bytes: number | null }[] = [];
  const flow = link.openFlow({
    toOrigin: (b) => toOrigin.push({ at: clock.now(), bytes: b.length }),
    toCache: (b) => toCache.push({ at: clock.now(), bytes: b ? b.length : null }),
  });
  const received = () => toCache.reduce((n, c) => n + (c.bytes ?? 0), 0);
  const lastAt = () => toCache[toCache.length - 1]?.at;
  return { flow, toOrigin, toCache, received, lastAt };
}

describe('access link: off', () => {
  it('is off by default and passes bytes straight through, with no timer', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock });
    expect(link.settings).toEqual(ACCESS_LINK_OFF);
    const r = recordingFlow(link, clock);
    r.flow.sendToOrigin(new Uint8Array(100));
    r.flow.sendToCache(new Uint8Array(50_000));
    r.flow.endToCache();
    expect(r.toOrigin).toEqual([{ at: 0, bytes: 100 }]);
    expect(r.toCache).toEqual([
      { at: 0, bytes: 50_000 },
      { at: 0, bytes: null },
    ]);
    expect(clock.pendingTimers).toBe(0);
    expect(link.bytesToOrigins).toBe(100);
    expect(link.bytesFromOrigins).toBe(50_000);
    expect(link.utilization()).toBeNull();
  });
});

describe('access link: delay', () => {
  it('holds requests and responses for the one-way delay each, in order', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 200, bandwidthBps: null } });
    const r = recordingFlow(link, clock);
    r.flow.sendToOrigin(new Uint8Array(10));
    clock.advance(199);
    expect(r.toOrigin).toEqual([]);
    clock.advance(1);
    expect(r.toOrigin).toEqual([{ at: 200, bytes: 10 }]);
    r.flow.sendToCache(new Uint8Array(1_000));
    r.flow.endToCache();
    clock.advance(199);
    expect(r.toCache).toEqual([]);
    clock.advance(1);
    expect(r.toCache).toEqual([
      { at: 400, bytes: 1_000 },
      { at: 400, bytes: null },
    ]);
  });

  it('never lets bytes overtake earlier ones when the delay is shortened mid-flight', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 1_000, bandwidthBps: null } });
    const r = recordingFlow(link, clock);
    r.flow.sendToCache(new Uint8Array(1));
    r.flow.sendToOrigin(new Uint8Array(1));
    link.configure({ delayMs: 0, bandwidthBps: null });
    r.flow.sendToCache(new Uint8Array(2));
    r.flow.sendToOrigin(new Uint8Array(2));
    clock.advance(1_000);
    expect(r.toCache.map((c) => c.bytes)).toEqual([1, 2]);
    expect(r.toOrigin.map((c) => c.bytes)).toEqual([1, 2]);
    expect(r.toCache.every((c) => c.at === 1_000)).toBe(true);
  });

  it('delivers nothing to a flow that was closed', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 50, bandwidthBps: 1_000_000 } });
    const r = recordingFlow(link, clock);
    r.flow.sendToCache(new Uint8Array(10_000));
    r.flow.sendToOrigin(new Uint8Array(10));
    r.flow.close();
    clock.advance(1_000);
    expect(r.toCache).toEqual([]);
    expect(r.toOrigin).toEqual([]);
  });
});

describe('access link: bandwidth', () => {
  it('takes size / bandwidth to carry an object: 100,000 bits at 1 Mbps arrive over 100 ms, plus the delay', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 50, bandwidthBps: 1_000_000 } });
    const r = recordingFlow(link, clock);
    r.flow.sendToCache(new Uint8Array(12_500));
    r.flow.endToCache();
    clock.advance(149);
    expect(r.received()).toBeLessThan(12_500);
    // The first segment arrived one segment time (11.68 ms) plus the delay after it was sent.
    expect(r.toCache[0].at).toBeCloseTo(50 + (LINK_SEGMENT_BYTES * 8) / 1_000, 6);
    clock.advance(1);
    expect(r.received()).toBe(12_500);
    expect(r.lastAt()).toBeCloseTo(150, 6);
    expect(r.toCache[r.toCache.length - 1].bytes).toBeNull();
    expect(r.toCache.filter((c) => c.bytes !== null).every((c) => (c.bytes ?? 0) <= LINK_SEGMENT_BYTES)).toBe(true);
  });

  it('paces with a real timer clock within a tolerance (no manual time)', async () => {
    const link = new AccessLink({ settings: { delayMs: 0, bandwidthBps: 2_000_000 } });
    const start = performance.now();
    const done = new Promise<number>((resolve) => {
      const flow = link.openFlow({ toOrigin: () => {}, toCache: (b) => b === null && resolve(performance.now() - start) });
      flow.sendToCache(new Uint8Array(25_000)); // 200,000 bits: 100 ms at 2 Mbps
      flow.endToCache();
    });
    const took = await done;
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(600); // generous: a loaded machine fires timers late
    link.dispose();
  });

  it('shares the bandwidth between transfers that overlap, instead of serving one after the other', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 0, bandwidthBps: 1_000_000 } });
    const a = recordingFlow(link, clock);
    const b = recordingFlow(link, clock);
    a.flow.sendToCache(new Uint8Array(12_500));
    b.flow.sendToCache(new Uint8Array(12_500));
    clock.advance(100);
    // First come, first served would have finished a by now and not started b; shared, each has about half.
    expect(a.received()).toBeGreaterThan(4_000);
    expect(a.received()).toBeLessThan(8_500);
    expect(b.received()).toBeGreaterThan(4_000);
    clock.advance(101); // 200 ms, and a hair for floating point
    expect(a.received() + b.received()).toBe(25_000);
    expect(a.lastAt()).toBeGreaterThan(180);
    expect(b.lastAt()).toBeCloseTo(200, 6);
  });

  it('lets a transfer that starts while the link is busy in within one scheduling step', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 0, bandwidthBps: 1_000_000 } });
    const big = recordingFlow(link, clock);
    big.flow.sendToCache(new Uint8Array(125_000)); // 1 s of traffic
    clock.advance(300);
    const late = recordingFlow(link, clock);
    late.flow.sendToCache(new Uint8Array(100));
    clock.advance(LINK_SCHEDULE_AHEAD_MS + (LINK_SEGMENT_BYTES * 8) / 1_000 + 2);
    expect(late.received()).toBe(100);
  });

  it('measures utilization as bits carried per second over the bandwidth, over a sliding window', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 0, bandwidthBps: 1_000_000 } });
    const r = recordingFlow(link, clock);
    // 5 objects of 100,000 bits a second on a 1 Mbps link: half its capacity.
    for (let i = 0; i < 50; i++) {
      r.flow.sendToCache(new Uint8Array(12_500));
      clock.advance(200);
    }
    expect(link.utilization()).toBeGreaterThan(0.45);
    expect(link.utilization()).toBeLessThan(0.55);
    expect(link.throughputBps()).toBeGreaterThan(450_000);
    expect(link.hasRecentTraffic()).toBe(true);
    // Offered more than it can carry, the link is full.
    for (let i = 0; i < 150; i++) {
      r.flow.sendToCache(new Uint8Array(12_500));
      clock.advance(66);
    }
    expect(link.utilization()).toBeGreaterThan(0.95);
    expect(link.utilization()).toBeLessThanOrEqual(1);
    // Once the backlog has drained and the window has passed, it reads zero again.
    clock.advance(30_000);
    expect(link.utilization()).toBe(0);
    expect(link.hasRecentTraffic()).toBe(false);
  });

  it("reproduces the course's caching example: 15 objects of 100,000 bits a second fill a 1.54 Mbps link; a 0.4 hit rate leaves 60 % of it", () => {
    const run = (objectsPerSecond: number) => {
      const clock = new ManualClock();
      const link = new AccessLink({ clock, settings: { delayMs: 1_000, bandwidthBps: 1_540_000 } });
      const r = recordingFlow(link, clock);
      const gap = 1_000 / objectsPerSecond;
      for (let t = 0; t < 20_000; t += gap) {
        r.flow.sendToCache(new Uint8Array(12_500));
        clock.advance(gap);
      }
      return link.utilization()!;
    };
    const withoutCache = run(15);
    expect(withoutCache).toBeGreaterThan(0.95); // the course says 100 % (1.5 of 1.54 Mbps: 97 %)
    const withCache = run(15 * 0.6);
    expect(withCache).toBeGreaterThan(0.55);
    expect(withCache).toBeLessThan(0.62); // the course's 60 % (0.9 of 1.54 Mbps: 58 %)
  });

  it('starts a new measurement when the bandwidth changes', () => {
    const clock = new ManualClock();
    const link = new AccessLink({ clock, settings: { delayMs: 0, bandwidthBps: 1_000_000 } });
    const r = recordingFlow(link, clock);
    r.flow.sendToCache(new Uint8Array(12_500));
    clock.advance(1_000);
    expect(link.utilization()).toBeGreaterThan(0);
    link.configure({ delayMs: 0, bandwidthBps: 10_000_000 });
    expect(link.utilization()).toBe(0);
    link.configure({ delayMs: 0, bandwidthBps: null });
    expect(link.utilization()).toBeNull();
  });
});

describe('utilization meter', () => {
  it('forgets traffic older than its window', () => {
    const m = new UtilizationMeter(0, { windowMs: 1_000, bucketMs: 100 });
    m.record(50, 1_000);
    expect(m.bitsInWindow(500)).toBe(1_000);
    expect(m.bitsInWindow(999)).toBe(1_000);
    expect(m.bitsInWindow(1_100)).toBe(0);
    m.record(1_150, 500);
    expect(m.bitsInWindow(1_150)).toBe(500);
    // Reusing a slot for a newer bucket does not add the old bits.
    m.record(2_150, 7);
    expect(m.bitsInWindow(2_150)).toBe(7);
  });

  it('averages over the time since its start while that is shorter than the window', () => {
    const m = new UtilizationMeter(0, { windowMs: 10_000, bucketMs: 250 });
    m.record(400, 1_000_000);
    expect(m.bitsPerSecond(1_000)).toBeCloseTo(1_000_000, 0);
    m.reset(5_000);
    expect(m.bitsPerSecond(5_000)).toBe(0);
    expect(() => new UtilizationMeter(0, { windowMs: 10, bucketMs: 100 })).toThrow(/at least one bucket/);
  });
});

describe('access link settings', () => {
  it('accepts the bounds and refuses one past each, with the bound in the message', () => {
    expect(parseAccessLinkSettings({ delayMs: 0, bandwidthBps: null })).toEqual({ delayMs: 0, bandwidthBps: null });
    expect(parseAccessLinkSettings({ delayMs: ACCESS_LINK_MAX_DELAY_MS, bandwidthBps: ACCESS_LINK_MAX_BANDWIDTH_BPS })).toEqual({ delayMs: ACCESS_LINK_MAX_DELAY_MS, bandwidthBps: ACCESS_LINK_MAX_BANDWIDTH_BPS });
    expect(parseAccessLinkSettings({ delayMs: 1, bandwidthBps: ACCESS_LINK_MIN_BANDWIDTH_BPS })).toEqual({ delayMs: 1, bandwidthBps: ACCESS_LINK_MIN_BANDWIDTH_BPS });
    expect(() => parseAccessLinkSettings({ delayMs: ACCESS_LINK_MAX_DELAY_MS + 1, bandwidthBps: null })).toThrow(`from 0 to ${ACCESS_LINK_MAX_DELAY_MS}`);
    expect(() => parseAccessLinkSettings({ delayMs: -1, bandwidthBps: null })).toThrow(/delayMs/);
    expect(() => parseAccessLinkSettings({ delayMs: 1.5, bandwidthBps: null })).toThrow(/whole number/);
    expect(() => parseAccessLinkSettings({ delayMs: 0, bandwidthBps: ACCESS_LINK_MIN_BANDWIDTH_BPS - 1 })).toThrow(`from ${ACCESS_LINK_MIN_BANDWIDTH_BPS} to ${ACCESS_LINK_MAX_BANDWIDTH_BPS}`);
    expect(() => parseAccessLinkSettings({ delayMs: 0, bandwidthBps: ACCESS_LINK_MAX_BANDWIDTH_BPS + 1 })).toThrow(/bandwidthBps/);
    expect(() => parseAccessLinkSettings({ delayMs: '5', bandwidthBps: null })).toThrow(/delayMs/);
    expect(() => parseAccessLinkSettings({ delayMs: 0, bandwidthBps: Number.NaN })).toThrow(/bandwidthBps/);
    expect(() => parseAccessLinkSettings(null)).toThrow(/must be an object/);
    expect(() => parseAccessLinkSettings([1, 2])).toThrow(/must be an object/);
  });
});
