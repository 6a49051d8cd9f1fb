import { describe, expect, it } from 'vitest';
import {
  HTTP_HEURISTIC_FRESHNESS_MAX_S,
  cacheResponseHeaders,
  cacheUrl,
  currentAge,
  decideCacheUse,
  formatHttpDate,
  freshness,
  freshnessLifetime,
  invalidatesStored,
  parseCacheControl,
  refreshStored,
  revalidationHeaders,
  storability,
  toHeaderList,
  updateStoredHeaders,
  varyKey,
  varyMatches,
  viaMember,
  type StoredResponse,
} from '../../../../src/protocols/http';

const S = 1000;
const T = Date.UTC(2010, 8, 26, 20, 9, 20);
const h = (...pairs: Array<[string, string]>) => toHeaderList(pairs);
const GET = { method: 'GET', headers: [] };

function stored(headers: Array<[string, string]>, over: Partial<StoredResponse> = {}): StoredResponse {
  return { url: 'http://gaia.cs.umass.edu/index.html', status: 200, reason: 'OK', headers: h(...headers), body: new Uint8Array(0), requestHeaders: [], requestTime: T, responseTime: T, ...over };
}

describe('may a cache store it (RFC 9111 §3)', () => {
  it('stores a 200 with explicit freshness, and by default the heuristically cacheable codes', () => {
    expect(storability(GET, { status: 200, headers: h(['Cache-Control', 'max-age=60']) }).ok).toBe(true);
    expect(storability(GET, { status: 200, headers: [] })).toMatchObject({ ok: true, rfc: 'RFC 9110 §15.1' });
    expect(storability(GET, { status: 404, headers: [] }).ok).toBe(true);
  });

  it('does not store what the rules forbid', () => {
    const no = (req: { method: string; headers: ReturnType<typeof h> }, status: number, headers: Array<[string, string]>) => storability(req, { status, headers: h(...headers) });
    expect(no({ method: 'POST', headers: [] }, 200, [['Cache-Control', 'max-age=60']]).ok).toBe(false);
    expect(no(GET, 200, [['Cache-Control', 'no-store']]).reason).toMatch(/no-store/);
    expect(no({ method: 'GET', headers: h(['Cache-Control', 'no-store']) }, 200, []).ok).toBe(false);
    expect(no(GET, 200, [['Cache-Control', 'private, max-age=60']]).reason).toMatch(/private/);
    expect(no({ method: 'GET', headers: h(['Authorization', 'Basic eDp5']) }, 200, [['Cache-Control', 'max-age=60']]).reason).toMatch(/Authorization/);
    expect(no(GET, 200, [['Vary', '*']]).ok).toBe(false);
    expect(no(GET, 302, []).ok).toBe(false);
    expect(no(GET, 304, []).ok).toBe(false);
    expect(no(GET, 100, []).ok).toBe(false);
  });

  it('lets a private cache store private responses, and Authorization with public', () => {
    expect(storability(GET, { status: 200, headers: h(['Cache-Control', 'private']) }, { shared: false }).ok).toBe(true);
    expect(storability({ method: 'GET', headers: h(['Authorization', 'Basic eDp5']) }, { status: 200, headers: h(['Cache-Control', 'public, max-age=5']) }).ok).toBe(true);
  });
});

describe('freshness lifetime (RFC 9111 §4.2.1)', () => {
  const life = (headers: Array<[string, string]>, shared = true) => freshnessLifetime({ status: 200, headers: h(...headers) }, T, { shared });

  it('takes s-maxage (shared caches only), then max-age, then Expires - Date', () => {
    expect(life([['Cache-Control', 'max-age=60, s-maxage=10']])).toMatchObject({ seconds: 10, source: 's-maxage' });
    expect(life([['Cache-Control', 'max-age=60, s-maxage=10']], false)).toMatchObject({ seconds: 60, source: 'max-age' });
    expect(life([['Cache-Control', 'max-age=60'], ['Expires', formatHttpDate(T + 3600 * S)]])).toMatchObject({ seconds: 60 });
    expect(life([['Date', formatHttpDate(T)], ['Expires', formatHttpDate(T + 300 * S)]])).toMatchObject({ seconds: 300, source: 'expires' });
  });

  it('reads an invalid Expires such as "0" as already expired', () => {
    expect(life([['Expires', '0']])).toMatchObject({ seconds: 0, source: 'expires' });
  });

  it('falls back to 10% of the time since Last-Modified, capped at one day', () => {
    expect(life([['Date', formatHttpDate(T)], ['Last-Modified', formatHttpDate(T - 1000 * S)]])).toMatchObject({ seconds: 100, source: 'heuristic' });
    expect(life([['Date', formatHttpDate(T)], ['Last-Modified', formatHttpDate(T - 400 * 86400 * S)]])).toMatchObject({ seconds: HTTP_HEURISTIC_FRESHNESS_MAX_S });
    expect(life([])).toMatchObject({ seconds: 0, source: 'none' });
  });

  it('ignores a max-age that is not a number', () => {
    expect(life([['Cache-Control', 'max-age=soon']])).toMatchObject({ source: 'none' });
    expect(parseCacheControl('max-age="60", no-cache, private="Set-Cookie"')).toMatchObject([{ name: 'max-age', value: '60' }, { name: 'no-cache' }, { name: 'private', value: 'Set-Cookie' }]);
  });
});

describe('current age (RFC 9111 §4.2.3)', () => {
  it('adds the Age received, the response delay and the time spent in the cache', () => {
    const res = { status: 200, headers: h(['Date', formatHttpDate(T)], ['Age', '30']) };
    const a = currentAge(res, { requestTime: T, responseTime: T + 2 * S, now: T + 12 * S });
    expect(a).toMatchObject({ apparentAge: 2, correctedAgeValue: 32, correctedInitialAge: 32, residentTime: 10, seconds: 42 });
  });

  it('uses the apparent age when the origin clock is behind and there is no Age', () => {
    const res = { status: 200, headers: h(['Date', formatHttpDate(T - 100 * S)]) };
    expect(currentAge(res, { requestTime: T, responseTime: T, now: T }).seconds).toBe(100);
  });
});

describe('may a stored response answer this request (RFC 9111 §4)', () => {
  const fresh = stored([['Date', formatHttpDate(T)], ['Cache-Control', 'max-age=60'], ['ETag', '"v1"']]);

  it('serves a fresh copy, revalidates a stale one with a conditional request', () => {
    expect(decideCacheUse(GET, fresh, T + 59 * S).action).toBe('serve');
    const stale = decideCacheUse(GET, fresh, T + 60 * S);
    expect(stale).toMatchObject({ action: 'revalidate', conditional: true });
    expect(decideCacheUse(GET, stored([['Cache-Control', 'max-age=0']]), T)).toMatchObject({ action: 'revalidate', conditional: false });
  });

  it('forwards on a miss, on other methods, and when Vary selects another variant', () => {
    expect(decideCacheUse(GET, null, T).action).toBe('forward');
    expect(decideCacheUse({ method: 'POST', headers: [] }, fresh, T).action).toBe('forward');
    const varied = stored([['Cache-Control', 'max-age=60'], ['Vary', 'Accept-Language']], { requestHeaders: h(['Accept-Language', 'en']) });
    expect(decideCacheUse({ method: 'GET', headers: h(['Accept-Language', 'en']) }, varied, T).action).toBe('serve');
    expect(decideCacheUse({ method: 'GET', headers: h(['Accept-Language', 'fr']) }, varied, T).action).toBe('forward');
  });

  it('follows the request directives: no-cache, Pragma, max-age, min-fresh, max-stale, only-if-cached', () => {
    const req = (cc: string) => ({ method: 'GET', headers: h(['Cache-Control', cc]) });
    expect(decideCacheUse(req('no-cache'), fresh, T).action).toBe('revalidate');
    expect(decideCacheUse({ method: 'GET', headers: h(['Pragma', 'no-cache']) }, fresh, T).action).toBe('revalidate');
    expect(decideCacheUse(req('max-age=10'), fresh, T + 11 * S).action).toBe('revalidate');
    expect(decideCacheUse(req('min-fresh=30'), fresh, T + 31 * S).action).toBe('revalidate');
    expect(decideCacheUse(req('max-stale=30'), fresh, T + 80 * S).action).toBe('serve');
    expect(decideCacheUse(req('max-stale=10'), fresh, T + 80 * S).action).toBe('revalidate');
    expect(decideCacheUse(req('only-if-cached'), null, T).action).toBe('gateway-timeout');
    expect(decideCacheUse(req('only-if-cached'), fresh, T).action).toBe('serve');
  });

  it('never serves stale what says must-revalidate, nor what says no-cache', () => {
    const strict = stored([['Cache-Control', 'max-age=1, must-revalidate']]);
    expect(decideCacheUse({ method: 'GET', headers: h(['Cache-Control', 'max-stale']) }, strict, T + 5 * S).action).toBe('revalidate');
    expect(decideCacheUse(GET, stored([['Cache-Control', 'no-cache, max-age=600']]), T).action).toBe('revalidate');
  });

  it('gives HEAD the stored GET response', () => {
    expect(decideCacheUse({ method: 'HEAD', headers: [] }, fresh, T).action).toBe('serve');
  });
});

describe('revalidation and what a 304 changes', () => {
  it('asks with the stored validators instead of the client\'s own', () => {
    const s = stored([['ETag', '"v1"'], ['Last-Modified', 'Tue, 30 Oct 2007 17:00:02 GMT']]);
    const out = revalidationHeaders(h(['Host', 'gaia'], ['If-None-Match', '"client"']), s);
    expect(out).toEqual(h(['Host', 'gaia'], ['If-None-Match', '"v1"'], ['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT']));
  });

  it('replaces stored fields with the 304\'s, except Content-Length and hop-by-hop ones', () => {
    const before = h(['Date', 'old'], ['ETag', '"v1"'], ['Content-Length', '5'], ['Content-Type', 'text/plain']);
    const after = updateStoredHeaders(before, h(['Date', 'new'], ['Content-Length', '0'], ['Connection', 'close'], ['Cache-Control', 'max-age=9']));
    expect(after).toEqual(h(['ETag', '"v1"'], ['Content-Length', '5'], ['Content-Type', 'text/plain'], ['Date', 'new'], ['Cache-Control', 'max-age=9']));
  });

  it('refreshes the entry\'s timing so it is fresh again', () => {
    const s = stored([['Date', formatHttpDate(T)], ['Cache-Control', 'max-age=60']]);
    expect(freshness(s, T + 100 * S).fresh).toBe(false);
    const r = refreshStored(s, { status: 304, headers: h(['Date', formatHttpDate(T + 100 * S)]) }, T + 100 * S, T + 100 * S);
    expect(freshness(r, T + 110 * S)).toMatchObject({ fresh: true, remaining: 50 });
  });
});

describe('keys, invalidation and the fields a cache adds', () => {
  it('builds the URL key with the port only when it is not the default', () => {
    expect(cacheUrl('GAIA.cs.umass.edu', 80, '/index.html')).toBe('http://gaia.cs.umass.edu/index.html');
    expect(cacheUrl('gaia', 8080, '')).toBe('http://gaia:8080/');
  });

  it('keys variants on the request fields Vary names', () => {
    const res = h(['Vary', 'Accept-Encoding, accept-language']);
    expect(varyKey(res, h(['Accept-Language', 'en'], ['Accept-Encoding', 'gzip,  deflate']))).toBe('accept-encoding=gzip, deflate\naccept-language=en');
    expect(varyKey(h(['Vary', '*']), [])).toBeNull();
    expect(varyMatches(stored([['Vary', 'Accept']], { requestHeaders: [] }), h(['Accept', 'text/html'])).ok).toBe(false);
  });

  it('invalidates on a successful unsafe request only', () => {
    expect(invalidatesStored('POST', 200)).toBe(true);
    expect(invalidatesStored('DELETE', 204)).toBe(true);
    expect(invalidatesStored('PUT', 500)).toBe(false);
    expect(invalidatesStored('GET', 200)).toBe(false);
  });

  it('adds Age, Via and X-Cache and drops hop-by-hop fields', () => {
    const out = cacheResponseHeaders(h(['Content-Type', 'text/html'], ['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=5'], ['Age', '3'], ['Via', '1.0 upstream']), {
      ageSeconds: 42.7,
      via: viaMember('HTTP/1.1', 'cache.cs.umass.edu'),
      hit: true,
    });
    expect(out).toEqual(h(['Content-Type', 'text/html'], ['Age', '42'], ['Via', '1.0 upstream, 1.1 cache.cs.umass.edu'], ['X-Cache', 'HIT']));
    expect(cacheResponseHeaders([], { via: '1.1 c', hit: false })).toEqual(h(['Via', '1.1 c'], ['X-Cache', 'MISS']));
  });
});
