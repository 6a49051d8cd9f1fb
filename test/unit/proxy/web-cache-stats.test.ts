import { describe, expect, it } from 'vitest';
import { WebCacheStats } from '../../../src/main/lab/proxy/web-cache-stats';
import type { WebCacheOutcome } from '../../../src/shared/web-cache';
import { WEB_CACHE_RECENT_REQUESTS } from '../../../src/shared/web-cache';

function req(outcome: WebCacheOutcome, responseMs: number, bytes = 100) {
  return { at: 0, method: 'GET', url: 'http://h.edu/', outcome, status: 200, responseMs, bytes, reason: outcome };
}

describe('web cache statistics', () => {
  it('has no hit rate or means before any request', () => {
    const s = new WebCacheStats().snapshot();
    expect(s).toMatchObject({ requests: 0, hitRate: null, responseTimes: { hit: { meanMs: null, count: 0 }, all: { meanMs: null, count: 0 } } });
  });

  it('counts outcomes, a hit rate over cache lookups, and mean response times by outcome', () => {
    const stats = new WebCacheStats();
    for (const r of [req('HIT', 2), req('HIT', 4), req('MISS', 2_010), req('MISS', 2_030), req('REVALIDATED', 2_001), req('ERROR', 1)]) stats.record(r);
    const s = stats.snapshot();
    expect(s).toMatchObject({ requests: 6, hits: 2, misses: 2, revalidations: 1, errors: 1, bytesToClients: 600 });
    expect(s.hitRate).toBeCloseTo(2 / 5, 10);
    expect(s.responseTimes.hit.meanMs).toBe(3);
    expect(s.responseTimes.miss.meanMs).toBe(2_020);
    expect(s.responseTimes.revalidated).toEqual({ meanMs: 2_001, count: 1 });
    // The course's average: error pages left out.
    expect(s.responseTimes.all.meanMs).toBeCloseTo((2 + 4 + 2_010 + 2_030 + 2_001) / 5, 10);
  });

  it('counts requests passed on to the origin (POST, PUT, DELETE) apart, outside the hit rate', () => {
    const stats = new WebCacheStats();
    for (const r of [req('HIT', 2), req('MISS', 20), req('PASS', 30), req('PASS', 40)]) stats.record(r);
    const s = stats.snapshot();
    expect(s).toMatchObject({ requests: 4, hits: 1, misses: 1, passes: 2, hitRate: 0.5 });
    expect(s.responseTimes.miss).toEqual({ meanMs: 20, count: 1 });
    expect(s.responseTimes.all.count).toBe(4);
  });

  it('keeps the last requests, newest first, up to its limit', () => {
    const stats = new WebCacheStats();
    for (let i = 0; i < WEB_CACHE_RECENT_REQUESTS + 1; i++) stats.record({ ...req('MISS', i), at: i });
    const recent = stats.recent();
    expect(recent).toHaveLength(WEB_CACHE_RECENT_REQUESTS);
    expect(recent[0].at).toBe(WEB_CACHE_RECENT_REQUESTS);
    stats.reset();
    expect(stats.recent()).toEqual([]);
    expect(stats.snapshot().requests).toBe(0);
  });
});
