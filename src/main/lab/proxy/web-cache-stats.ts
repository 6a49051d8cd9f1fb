// Counts what the web cache did: requests by outcome, response times by outcome (the course's
// comparison of delay with and without the cache), bytes sent to clients, and the last requests.

import type { ResponseTimes, WebCacheOutcome, WebCacheRecentRequest } from '../../../shared/web-cache';
import { WEB_CACHE_RECENT_REQUESTS } from '../../../shared/web-cache';

class Mean {
  private sum = 0;
  count = 0;
  add(ms: number): void {
    this.sum += ms;
    this.count++;
  }
  view(): ResponseTimes {
    return { meanMs: this.count === 0 ? null : this.sum / this.count, count: this.count };
  }
}

export interface StatsSnapshot {
  requests: number;
  hits: number;
  misses: number;
  revalidations: number;
  passes: number;
  errors: number;
  hitRate: number | null;
  responseTimes: { hit: ResponseTimes; miss: ResponseTimes; revalidated: ResponseTimes; all: ResponseTimes };
  bytesToClients: number;
}

export class WebCacheStats {
  private counts: Record<WebCacheOutcome, number> = { HIT: 0, MISS: 0, REVALIDATED: 0, PASS: 0, ERROR: 0 };
  private times = { hit: new Mean(), miss: new Mean(), revalidated: new Mean(), all: new Mean() };
  private toClients = 0;
  private recentList: WebCacheRecentRequest[] = [];

  constructor(private readonly recentLimit = WEB_CACHE_RECENT_REQUESTS) {}

  record(request: WebCacheRecentRequest): void {
    this.counts[request.outcome]++;
    this.toClients += request.bytes;
    const ms = request.responseMs;
    if (request.outcome === 'HIT') this.times.hit.add(ms);
    else if (request.outcome === 'MISS') this.times.miss.add(ms);
    else if (request.outcome === 'REVALIDATED') this.times.revalidated.add(ms);
    // A cache-made error page says nothing about delays with or without the cache.
    if (request.outcome !== 'ERROR') this.times.all.add(ms);
    this.recentList.unshift(request);
    if (this.recentList.length > this.recentLimit) this.recentList.length = this.recentLimit;
  }

  snapshot(): StatsSnapshot {
    const { HIT, MISS, REVALIDATED, PASS, ERROR } = this.counts;
    // Only requests the store could have answered count towards the hit rate.
    const lookups = HIT + MISS + REVALIDATED;
    return {
      requests: lookups + PASS + ERROR,
      hits: HIT,
      misses: MISS,
      revalidations: REVALIDATED,
      passes: PASS,
      errors: ERROR,
      hitRate: lookups === 0 ? null : HIT / lookups,
      responseTimes: { hit: this.times.hit.view(), miss: this.times.miss.view(), revalidated: this.times.revalidated.view(), all: this.times.all.view() },
      bytesToClients: this.toClients,
    };
  }

  recent(): WebCacheRecentRequest[] {
    return this.recentList.map((r) => ({ ...r }));
  }

  reset(): void {
    this.counts = { HIT: 0, MISS: 0, REVALIDATED: 0, PASS: 0, ERROR: 0 };
    this.times = { hit: new Mean(), miss: new Mean(), revalidated: new Mean(), all: new Mean() };
    this.toClients = 0;
    this.recentList = [];
  }
}
