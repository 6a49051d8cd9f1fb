import { describe, expect, it, vi } from 'vitest';
import type { CaptureSink } from '../../../src/main/lab/capture/tap';
import { WebCacheService } from '../../../src/main/lab/proxy/web-cache-service';
import { createService } from '../../../src/main/lab/services/catalog';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';
import type { WebCacheState } from '../../../src/shared/web-cache';
import { WEB_CACHE_STATE_MAX_ENTRIES } from '../../../src/shared/web-cache';

const world = parseWorld(`
client: { name: cis.poly.edu, address: 128.238.2.93 }
hosts:
  - { name: gaia.cs.umass.edu, address: 128.119.245.12, services: [{ protocol: http, port: 80 }] }
  - { name: cache.poly.edu, address: 128.238.2.10, services: [{ protocol: http-proxy, port: 3128 }] }
`);

/** A cache service that is never started: its state alone, without sockets. */
function service(now = () => 1_000_000, onWebCache?: (state: WebCacheState) => void): WebCacheService {
  const map = new AddressMap(world, 30_000);
  const binding = map.bindings().find((b) => b.service.protocol === 'http-proxy')!;
  const sink = {} as CaptureSink;
  return new WebCacheService({ binding, world, sink, bindAddress: '127.0.0.1', now, changed: () => {}, map, ...(onWebCache ? { onWebCache } : {}) });
}

describe('the web cache service state', () => {
  it('says where the cache listens in the world and on loopback', () => {
    const s = service();
    expect(s.id).toBe('cache.poly.edu/http-proxy/tcp');
    expect(s.webCacheState().proxy).toEqual({ hostname: 'cache.poly.edu', virtualAddress: '128.238.2.10', wellKnownPort: 3128, address: '127.0.0.1', port: 33_128, listening: false });
    expect(s.info()).toMatchObject({ state: 'stopped', port: 33_128, protocol: 'http-proxy' });
  });

  it(`lists at most ${WEB_CACHE_STATE_MAX_ENTRIES} entries, most recently used first, and counts them all`, () => {
    const s = service();
    for (let i = 0; i <= WEB_CACHE_STATE_MAX_ENTRIES; i++) {
      s.store.put({ url: `http://gaia.cs.umass.edu/${i}`, status: 200, reason: 'OK', headers: [{ name: 'Cache-Control', value: 'max-age=60' }], body: new Uint8Array(1), requestHeaders: [], requestTime: 1_000_000, responseTime: 1_000_000 }, i);
    }
    const state = s.webCacheState();
    expect(state.usage.entries).toBe(WEB_CACHE_STATE_MAX_ENTRIES + 1);
    expect(state.entries).toHaveLength(WEB_CACHE_STATE_MAX_ENTRIES);
    expect(state.entries[0]).toMatchObject({ url: `http://gaia.cs.umass.edu/${WEB_CACHE_STATE_MAX_ENTRIES}`, fresh: true, lifetimeSeconds: 60, freshnessLeftSeconds: 60, lifetimeSource: 'max-age' });
  });

  it('applies valid link settings and refuses others, and clears', () => {
    const s = service();
    expect(s.setAccessLink({ delayMs: 1_000, bandwidthBps: 1_540_000 }).link).toEqual({ delayMs: 1_000, bandwidthBps: 1_540_000 });
    expect(() => s.setAccessLink({ delayMs: -1, bandwidthBps: null })).toThrow(/delayMs/);
    expect(s.webCacheState().link).toEqual({ delayMs: 1_000, bandwidthBps: 1_540_000 });
    expect(s.webCacheState().stats).toMatchObject({ linkUtilization: 0, linkTransfers: 0, passes: 0 });
    expect(s.clear().link).toEqual({ delayMs: 1_000, bandwidthBps: 1_540_000 });
  });

  it('is the one service of the catalog that offers the web cache controls, and tells the lab when its state changes', async () => {
    const states: WebCacheState[] = [];
    const s = service(undefined, (st) => states.push(st));
    expect(s.webCache).toBe(s);
    const map = new AddressMap(world, 30_000);
    const web = createService({ binding: map.bindings()[0], world, sink: {} as CaptureSink, bindAddress: '127.0.0.1', now: Date.now, changed: () => {}, map });
    expect(web.webCache).toBeUndefined();
    s.setAccessLink({ delayMs: 5, bandwidthBps: null });
    s.setAccessLink({ delayMs: 6, bandwidthBps: null });
    // Two changes in a row make one event, with the latest state.
    await vi.waitFor(() => expect(states.map((st) => st.link.delayMs)).toEqual([6]));
  });
});
