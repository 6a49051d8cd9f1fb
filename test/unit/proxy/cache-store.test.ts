import { describe, expect, it } from 'vitest';
import type { StoredResponse } from '../../../src/protocols/http/cache-rules';
import type { HttpHeader } from '../../../src/protocols/http/headers';
import { WebCacheStore, primaryKey, storedSize } from '../../../src/main/lab/proxy/cache-store';
import { WEB_CACHE_MAX_ENTRIES, WEB_CACHE_MAX_OBJECT_BYTES, WEB_CACHE_MAX_TOTAL_BYTES } from '../../../src/main/lab/proxy/limits';

function stored(url: string, options: { body?: number; headers?: HttpHeader[]; request?: HttpHeader[] } = {}): StoredResponse {
  return {
    url,
    status: 200,
    reason: 'OK',
    headers: options.headers ?? [{ name: 'Cache-Control', value: 'max-age=60' }],
    body: new Uint8Array(options.body ?? 10),
    requestHeaders: options.request ?? [],
    requestTime: 0,
    responseTime: 0,
  };
}

/** A body length that makes the whole entry exactly `size` bytes. */
function bodyFor(url: string, size: number): number {
  return size - storedSize(stored(url, { body: 0 }));
}

describe('web cache store: keys', () => {
  it('keys on the method and the whole URL, host and port included', () => {
    const s = new WebCacheStore();
    s.put(stored('http://gaia.cs.umass.edu/a.html'), 0);
    expect(s.lookup('http://gaia.cs.umass.edu/a.html', [])).not.toBeNull();
    expect(s.lookup('http://www-net.cs.umass.edu/a.html', [])).toBeNull();
    expect(s.lookup('http://gaia.cs.umass.edu:8080/a.html', [])).toBeNull();
    expect(s.lookup('http://gaia.cs.umass.edu/a.html?x=1', [])).toBeNull();
    expect(primaryKey('http://gaia.cs.umass.edu/a.html')).toBe('GET http://gaia.cs.umass.edu/a.html');
  });

  it('replaces the stored variant a new response selects, keeping its hit count', () => {
    const s = new WebCacheStore();
    const first = s.put(stored('http://h.edu/x', { body: 5 }), 0);
    expect(first.stored).toBe(true);
    if (first.stored) s.use(first.entry, 1);
    const second = s.put(stored('http://h.edu/x', { body: 7 }), 2);
    expect(s.count).toBe(1);
    expect(s.lookup('http://h.edu/x', [])!.stored.body.length).toBe(7);
    expect(second.stored && second.entry.hits).toBe(1);
    expect(s.bytes).toBe(storedSize(stored('http://h.edu/x', { body: 7 })));
  });

  it('drops every variant of a URL on invalidation (RFC 9111 §4.4)', () => {
    const s = new WebCacheStore();
    const vary = [{ name: 'Vary', value: 'Accept-Language' }];
    s.put(stored('http://h.edu/x', { headers: vary, request: [{ name: 'Accept-Language', value: 'en' }] }), 0);
    s.put(stored('http://h.edu/x', { headers: vary, request: [{ name: 'Accept-Language', value: 'fr' }] }), 0);
    s.put(stored('http://h.edu/y'), 0);
    expect(s.invalidate('http://h.edu/x')).toBe(2);
    expect(s.count).toBe(1);
    expect(s.bytes).toBe(storedSize(stored('http://h.edu/y')));
  });
});

describe('web cache store: Vary', () => {
  const vary = [
    { name: 'Cache-Control', value: 'max-age=60' },
    { name: 'Vary', value: 'Accept-Language' },
  ];

  it('keeps one variant per value of the fields Vary names, and finds the one a request selects', () => {
    const s = new WebCacheStore();
    s.put(stored('http://h.edu/p', { headers: vary, body: 2, request: [{ name: 'Accept-Language', value: 'en' }] }), 0);
    s.put(stored('http://h.edu/p', { headers: vary, body: 3, request: [{ name: 'Accept-Language', value: 'fr' }] }), 0);
    expect(s.count).toBe(2);
    expect(s.lookup('http://h.edu/p', [{ name: 'accept-language', value: 'fr' }])!.stored.body.length).toBe(3);
    expect(s.lookup('http://h.edu/p', [{ name: 'Accept-Language', value: 'en' }])!.stored.body.length).toBe(2);
    expect(s.lookup('http://h.edu/p', [{ name: 'Accept-Language', value: 'de' }])).toBeNull();
    expect(s.lookup('http://h.edu/p', [])).toBeNull();
    expect(s.entries().map((e) => e.variant)).toEqual(['accept-language=fr', 'accept-language=en']);
  });

  it('refuses Vary: *, which no later request can match', () => {
    const s = new WebCacheStore();
    const r = s.put(stored('http://h.edu/p', { headers: [{ name: 'Vary', value: '*' }] }), 0);
    expect(r).toMatchObject({ stored: false });
    expect(!r.stored && r.reason).toContain('Vary: *');
    expect(s.count).toBe(0);
  });
});

describe('web cache store: limits and LRU eviction', () => {
  it('has named default limits', () => {
    const s = new WebCacheStore();
    expect(s.limits).toEqual({ maxTotalBytes: WEB_CACHE_MAX_TOTAL_BYTES, maxObjectBytes: WEB_CACHE_MAX_OBJECT_BYTES, maxEntries: WEB_CACHE_MAX_ENTRIES });
  });

  it('counts the request fields kept for Vary in the size of an entry', () => {
    const vary = [{ name: 'Vary', value: 'Accept-Language' }];
    const plain = storedSize(stored('http://h.edu/p', { headers: vary }));
    // "Accept-Language: en" and its CRLF: 15 + 2 + 2 + 2 bytes.
    expect(storedSize(stored('http://h.edu/p', { headers: vary, request: [{ name: 'Accept-Language', value: 'en' }] }))).toBe(plain + 21);
  });

  it('stores an object of exactly the per-object maximum and refuses one byte more', () => {
    const s = new WebCacheStore({ maxObjectBytes: 1_000 });
    expect(s.put(stored('http://h.edu/a', { body: bodyFor('http://h.edu/a', 1_000) }), 0).stored).toBe(true);
    const r = s.put(stored('http://h.edu/b', { body: bodyFor('http://h.edu/b', 1_001) }), 0);
    expect(r.stored).toBe(false);
    expect(!r.stored && r.reason).toMatch(/1001 bytes, more than the 1000/);
    expect(s.count).toBe(1);
  });

  it('evicts the least recently used entries when the total passes its limit', () => {
    const s = new WebCacheStore({ maxTotalBytes: 3_000, maxObjectBytes: 3_000 });
    for (const n of ['a', 'b', 'c']) s.put(stored(`http://h.edu/${n}`, { body: bodyFor(`http://h.edu/${n}`, 1_000) }), 0);
    expect(s.bytes).toBe(3_000);
    s.use(s.lookup('http://h.edu/a', [])!, 1); // a is now the most recently used; b the least
    const r = s.put(stored('http://h.edu/d', { body: bodyFor('http://h.edu/d', 1_000) }), 2);
    expect(r.stored && r.evicted.map((e) => e.stored.url)).toEqual(['http://h.edu/b']);
    expect(s.bytes).toBe(3_000);
    expect(s.entries().map((e) => e.stored.url)).toEqual(['http://h.edu/d', 'http://h.edu/a', 'http://h.edu/c']);
  });

  it('evicts the least recently used entry past the entry limit', () => {
    const s = new WebCacheStore({ maxEntries: 2 });
    s.put(stored('http://h.edu/1'), 0);
    s.put(stored('http://h.edu/2'), 0);
    expect(s.count).toBe(2);
    s.put(stored('http://h.edu/3'), 0);
    expect(s.count).toBe(2);
    expect(s.lookup('http://h.edu/1', [])).toBeNull();
    expect(s.lookup('http://h.edu/3', [])).not.toBeNull();
  });

  it('counts hits and lists entries most recently used first, up to a limit', () => {
    const s = new WebCacheStore();
    s.put(stored('http://h.edu/1'), 0);
    s.put(stored('http://h.edu/2'), 0);
    const one = s.lookup('http://h.edu/1', [])!;
    s.use(one, 5);
    s.use(one, 6);
    expect(one).toMatchObject({ hits: 2, lastUsedAt: 6 });
    expect(s.entries(1).map((e) => e.stored.url)).toEqual(['http://h.edu/1']);
    s.clear();
    expect(s.count).toBe(0);
    expect(s.bytes).toBe(0);
  });
});
