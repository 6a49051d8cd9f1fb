import { describe, expect, it } from 'vitest';
import { bytesToLatin1, bytesToUtf8, utf8ToBytes } from '../../../src/protocols/core/bytes';
import { formatHttpDate } from '../../../src/protocols/http/dates';
import { getHeader, hasHeader, type HttpHeader } from '../../../src/protocols/http/headers';
import { RequestParser, ResponseParser, type ParsedRequest } from '../../../src/protocols/http/parser';
import { serializeResponse, type ResponseToWrite } from '../../../src/protocols/http/serialize';
import { HttpServerConnection, type HttpRequest } from '../../../src/protocols/http/server-connection';
import { WebCacheStore } from '../../../src/main/lab/proxy/cache-store';
import type { OriginResult, OriginTarget } from '../../../src/main/lab/proxy/origin-connection';
import type { OriginResolution } from '../../../src/main/lab/proxy/origin-resolver';
import { WebCacheHandler, type WebCacheAnswer } from '../../../src/main/lab/proxy/web-cache-handler';

const TARGET: OriginTarget = { address: '127.0.0.1', port: 10080, hostname: 'gaia.cs.umass.edu', virtualAddress: '128.119.245.12', virtualPort: 80 };
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

/** A request as the cache's server connection would hand it over. */
function request(text: string): HttpRequest {
  const conn = new HttpServerConnection({ now: 0 });
  const ev = conn.receive(utf8ToBytes(text.replace(/\n/g, '\r\n')), 0).find((e) => e.type === 'request');
  if (!ev || ev.type !== 'request') throw new Error(`not a whole request: ${text}`);
  return ev.request;
}

function get(url: string, ...headers: string[]): HttpRequest {
  const host = new URL(url).host;
  return request(`GET ${url} HTTP/1.1\nHost: ${host}\n${headers.map((h) => `${h}\n`).join('')}\n`);
}

type OriginAnswer = ResponseToWrite | { fail: OriginResult & { ok: false } };

/** A lab with an origin whose answers the test writes, a clock it moves, and every request the origin saw. */
function setup(answer: (req: ParsedRequest) => OriginAnswer) {
  let now = T0;
  const seen: ParsedRequest[] = [];
  /** Each request exactly as the cache wrote it for the origin. */
  const sent: string[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const store = new WebCacheStore();
  const handler = new WebCacheHandler({
    store,
    now: () => now,
    viaName: 'cache.poly.edu:3128 (test)',
    selfPage: () => ({ status: 200, headers: [], body: 'the cache itself' }),
    resolve: (host): OriginResolution => {
      const name = host?.toLowerCase().replace(/\.$/, '');
      if (name === undefined || name === 'cache.poly.edu') return { kind: 'self' };
      if (name === 'gaia.cs.umass.edu') return { kind: 'origin', target: TARGET };
      return { kind: 'refused', status: 502, reason: `"${host}" is not a host of the lab world` };
    },
    fetch: async (_target, method, message, signal) => {
      signals.push(signal);
      const req = new RequestParser().push(message).find((e) => e.type === 'request');
      if (!req || req.type !== 'request') throw new Error('the cache sent an incomplete request');
      seen.push(req.request);
      sent.push(bytesToLatin1(message));
      const a = answer(req.request);
      if ('fail' in a) return a.fail;
      const parser = new ResponseParser();
      parser.expect(method);
      // Without Content-Length the body runs to the end of the connection, which closes right after.
      const res = [...parser.push(serializeResponse(a)), ...parser.end()].find((e) => e.type === 'response');
      if (!res || res.type !== 'response') throw new Error('the test origin wrote an incomplete response');
      return { ok: true, response: res.response, reusable: true };
    },
  });
  return {
    handler,
    store,
    seen,
    sent,
    signals,
    advance: (ms: number) => (now += ms),
    date: () => formatHttpDate(now),
  };
}

function header(answer: WebCacheAnswer, name: string): string | undefined {
  return getHeader((answer.response.headers ?? []) as HttpHeader[], name);
}

function body(answer: WebCacheAnswer): string {
  const b = answer.response.body;
  return b === undefined ? '' : typeof b === 'string' ? b : bytesToUtf8(b);
}

const URL1 = 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html';

describe('web cache handler: misses and hits', () => {
  it('fetches a miss from the origin, stores it, and answers the next request from storage', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Date', lab.date()], ['Cache-Control', 'max-age=60'], ['Content-Type', 'text/html'], ['Content-Length', '5']], body: 'hello' }));
    const first = await lab.handler.handle(get(URL1));
    expect(first).toMatchObject({ outcome: 'MISS', url: URL1 });
    expect(header(first, 'X-Cache')).toBe('MISS');
    expect(header(first, 'X-Cache-Detail')).toMatch(/MISS: nothing stored.*stored: the response gives explicit caching information/);
    expect(header(first, 'Via')).toBe('1.1 cache.poly.edu:3128 (test)');
    expect(hasHeader((first.response.headers ?? []) as HttpHeader[], 'Age')).toBe(false);
    lab.advance(5_000);
    const second = await lab.handler.handle(get(URL1));
    expect(second.outcome).toBe('HIT');
    expect(header(second, 'X-Cache')).toBe('HIT');
    expect(header(second, 'Age')).toBe('5');
    expect(header(second, 'X-Cache-Detail')).toMatch(/^HIT: fresh: 5 s old, fresh for 60 s \(max-age\)/);
    expect(body(second)).toBe('hello');
    expect(lab.seen).toHaveLength(1);
    expect(lab.store.lookup(URL1, [])!.hits).toBe(1);
  });

  it('forwards in origin form, with Host set to the target and Via added, and without hop-by-hop fields', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Content-Length', '0']], body: '' }));
    await lab.handler.handle(
      request(`GET ${URL1}?a=1 HTTP/1.1\nHost: wrong.example\nProxy-Connection: keep-alive\nConnection: X-Secret\nX-Secret: hop\nKeep-Alive: 300\nVia: 1.0 other-proxy\nAccept: text/html\n\n`),
    );
    const sent = lab.seen[0];
    expect(sent.target).toBe('/wireshark-labs/HTTP-wireshark-file1.html?a=1');
    expect(sent.version).toBe('HTTP/1.1');
    expect(getHeader(sent.headers, 'host')).toBe('gaia.cs.umass.edu');
    expect(getHeader(sent.headers, 'via')).toBe('1.0 other-proxy, 1.1 cache.poly.edu:3128 (test)');
    expect(getHeader(sent.headers, 'accept')).toBe('text/html');
    for (const hop of ['proxy-connection', 'connection', 'x-secret', 'keep-alive']) expect(hasHeader(sent.headers, hop)).toBe(false);
  });

  it('serves a HEAD from the stored GET response, and does not store a HEAD miss', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'max-age=60'], ['Content-Length', '5']], body: 'hello' }));
    const headMiss = await lab.handler.handle(request(`HEAD ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\n\n`));
    expect(headMiss.outcome).toBe('MISS');
    expect(header(headMiss, 'X-Cache-Detail')).toContain('a response to HEAD is not stored');
    expect(lab.store.count).toBe(0);
    await lab.handler.handle(get(URL1));
    const headHit = await lab.handler.handle(request(`HEAD ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\n\n`));
    expect(headHit.outcome).toBe('HIT');
    expect(lab.seen.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });

  it('answers a client that already has the stored version with 304 from storage', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'max-age=60'], ['ETag', '"v1"'], ['Content-Type', 'text/html']], body: 'hello' }));
    await lab.handler.handle(get(URL1));
    const again = await lab.handler.handle(get(URL1, 'If-None-Match: "v1"'));
    expect(again.outcome).toBe('HIT');
    expect(again.response.status).toBe(304);
    expect(again.response.body).toBeUndefined();
    expect(header(again, 'ETag')).toBe('"v1"');
    expect(header(again, 'X-Cache-Detail')).toContain("the client's own copy is current too (If-None-Match)");
    expect(lab.seen).toHaveLength(1);
  });
});

describe('web cache handler: revalidation', () => {
  it('revalidates a stale entry with a conditional GET, and a 304 refreshes it', async () => {
    let version = 1;
    const lab = setup((req) => {
      if (getHeader(req.headers, 'if-none-match') === '"v1"') return { status: 304, headers: [['Date', lab.date()], ['ETag', '"v1"'], ['Cache-Control', 'max-age=60'], ['X-Checked', String(version++)]] };
      return { status: 200, headers: [['Date', lab.date()], ['ETag', '"v1"'], ['Last-Modified', formatHttpDate(T0 - 3_600_000)], ['Cache-Control', 'max-age=10']], body: 'v1 body' };
    });
    await lab.handler.handle(get(URL1));
    lab.advance(11_000);
    const stale = await lab.handler.handle(get(URL1));
    expect(stale.outcome).toBe('REVALIDATED');
    expect(header(stale, 'X-Cache')).toBe('REVALIDATED');
    expect(header(stale, 'X-Cache-Detail')).toMatch(/stale: 11 s old, but fresh for only 10 s.*If-None-Match.*304 Not Modified.*refreshed/);
    expect(body(stale)).toBe('v1 body');
    expect(getHeader(lab.seen[1].headers, 'if-none-match')).toBe('"v1"');
    expect(getHeader(lab.seen[1].headers, 'if-modified-since')).toBe(formatHttpDate(T0 - 3_600_000));
    // The 304's fields replaced the stored ones: fresh for 60 s from now, with the new field.
    const entry = lab.store.lookup(URL1, [])!;
    expect(getHeader(entry.stored.headers, 'cache-control')).toBe('max-age=60');
    expect(getHeader(entry.stored.headers, 'x-checked')).toBe('1');
    lab.advance(30_000);
    const hit = await lab.handler.handle(get(URL1));
    expect(hit.outcome).toBe('HIT');
    expect(lab.seen).toHaveLength(2);
  });

  it('replaces the stored entry when revalidation brings a new 200', async () => {
    let body2 = 'old';
    const lab = setup(() => ({ status: 200, headers: [['ETag', `"${body2}"`], ['Cache-Control', 'no-cache']], body: body2 }));
    await lab.handler.handle(get(URL1));
    body2 = 'new';
    const second = await lab.handler.handle(get(URL1));
    expect(second.outcome).toBe('MISS');
    expect(header(second, 'X-Cache-Detail')).toMatch(/stored response says no-cache.*a new 200 response, stored/);
    expect(body(second)).toBe('new');
    expect(bytesToUtf8(lab.store.lookup(URL1, [])!.stored.body)).toBe('new');
  });

  it('revalidates when the client asks for no-cache, even while the entry is fresh', async () => {
    const lab = setup((req) =>
      getHeader(req.headers, 'if-none-match') ? { status: 304, headers: [['ETag', '"a"']] } : { status: 200, headers: [['ETag', '"a"'], ['Cache-Control', 'max-age=600']], body: 'x' },
    );
    await lab.handler.handle(get(URL1));
    const reload = await lab.handler.handle(get(URL1, 'Cache-Control: no-cache'));
    expect(reload.outcome).toBe('REVALIDATED');
    expect(header(reload, 'X-Cache-Detail')).toContain('the client asked for no-cache');
    expect(lab.seen).toHaveLength(2);
  });

  it('answers 504 to only-if-cached when nothing usable is stored, without asking the origin', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: 'x' }));
    const a = await lab.handler.handle(get(URL1, 'Cache-Control: only-if-cached'));
    expect(a).toMatchObject({ outcome: 'ERROR', response: { status: 504 } });
    expect(lab.seen).toHaveLength(0);
  });
});

describe('web cache handler: what is not stored', () => {
  it('does not store a response that says no-store, nor one to a request that says no-store', async () => {
    const lab = setup((req) => ({ status: 200, headers: [['Cache-Control', getHeader(req.headers, 'x-case') === 'res' ? 'no-store' : 'max-age=60']], body: 'x' }));
    const res = await lab.handler.handle(get(URL1, 'X-Case: res'));
    // The RFC's "§" is written out: header values are US-ASCII.
    expect(header(res, 'X-Cache-Detail')).toContain('not stored: the response says Cache-Control: no-store (RFC 9111 section 5.2.2.5)');
    expect(header(res, 'X-Cache-Detail')).toMatch(/^[\x20-\x7e]*$/);
    const req = await lab.handler.handle(get(`${URL1}?2`, 'Cache-Control: no-store'));
    expect(header(req, 'X-Cache-Detail')).toContain('not stored: the request says Cache-Control: no-store');
    expect(lab.store.count).toBe(0);
  });

  it('keeps one variant per Vary value and fetches a variant it does not hold', async () => {
    const lab = setup((req) => ({ status: 200, headers: [['Cache-Control', 'max-age=60'], ['Vary', 'Accept-Language']], body: `page in ${getHeader(req.headers, 'accept-language')}` }));
    expect((await lab.handler.handle(get(URL1, 'Accept-Language: en'))).outcome).toBe('MISS');
    const fr = await lab.handler.handle(get(URL1, 'Accept-Language: fr'));
    expect(fr.outcome).toBe('MISS');
    expect(header(fr, 'X-Cache-Detail')).toBe('MISS: nothing stored for this URL; stored: the response gives explicit caching information');
    const en = await lab.handler.handle(get(URL1, 'Accept-Language: en'));
    expect(en.outcome).toBe('HIT');
    expect(body(en)).toBe('page in en');
    expect(lab.store.count).toBe(2);
    expect(lab.seen).toHaveLength(2);
  });

  it('sends a POST to the origin and drops the stored copies of its URL when it succeeds', async () => {
    const lab = setup((req) => (req.method === 'POST' ? { status: 200, headers: [], body: 'posted' } : { status: 200, headers: [['Cache-Control', 'max-age=60']], body: 'page' }));
    await lab.handler.handle(get(URL1));
    expect(lab.store.count).toBe(1);
    const post = await lab.handler.handle(request(`POST ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 7\n\nvar1=ab`));
    // Passed on, not a miss: the hit rate counts only what the store could have answered.
    expect(post.outcome).toBe('PASS');
    expect(header(post, 'X-Cache')).toBe('MISS');
    expect(header(post, 'X-Cache-Detail')).toContain('made the 1 stored copy of this URL invalid');
    expect(bytesToUtf8(lab.seen[1].body)).toBe('var1=ab');
    expect(getHeader(lab.seen[1].headers, 'content-length')).toBe('7');
    expect(lab.store.count).toBe(0);
  });
});

describe('web cache handler: requests that go nowhere', () => {
  it('refuses CONNECT: the lab has no TLS', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const a = await lab.handler.handle(request('CONNECT gaia.cs.umass.edu:443 HTTP/1.1\nHost: gaia.cs.umass.edu:443\n\n'));
    expect(a).toMatchObject({ outcome: 'ERROR', response: { status: 501 } });
    expect(body(a)).toContain('The lab has no TLS');
    expect(lab.seen).toHaveLength(0);
  });

  it('refuses https:// and other schemes', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const a = await lab.handler.handle(request('GET https://gaia.cs.umass.edu/ HTTP/1.1\nHost: gaia.cs.umass.edu\n\n'));
    expect(a.response.status).toBe(501);
    expect(header(a, 'X-Cache-Detail')).toContain('https:// needs TLS');
    expect(lab.seen).toHaveLength(0);
  });

  it('answers a name outside the lab world with the offline page, without contacting anything', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const a = await lab.handler.handle(get('http://www.google.com/'));
    expect(a).toMatchObject({ outcome: 'ERROR', response: { status: 502 }, url: 'http://www.google.com/' });
    expect(body(a)).toContain('not a host of the lab world');
    expect(lab.seen).toHaveLength(0);
  });

  it('answers a request for the cache itself with its own page', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const a = await lab.handler.handle(request('GET / HTTP/1.1\nHost: cache.poly.edu\n\n'));
    expect(a).toMatchObject({ outcome: null, response: { status: 200 } });
    expect(body(a)).toBe('the cache itself');
  });

  it('treats an origin-form request whose Host names a lab server like a proxy request', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'max-age=60']], body: 'x' }));
    const a = await lab.handler.handle(request('GET /wireshark-labs/HTTP-wireshark-file1.html HTTP/1.1\nHost: gaia.cs.umass.edu\n\n'));
    expect(a).toMatchObject({ outcome: 'MISS', url: URL1 });
  });

  it('says 502 when the origin refuses or breaks off, and 504 when it does not answer in time', async () => {
    let fail: OriginResult & { ok: false } = { ok: false, kind: 'refused', message: 'gaia.cs.umass.edu refused the connection', beforeResponse: true };
    const lab = setup(() => ({ fail }));
    const refused = await lab.handler.handle(get(URL1));
    expect(refused).toMatchObject({ outcome: 'ERROR', response: { status: 502 } });
    expect(body(refused)).toContain('refused the connection');
    fail = { ok: false, kind: 'timeout', message: 'gaia.cs.umass.edu sent nothing for 30 s', beforeResponse: true };
    expect((await lab.handler.handle(get(URL1))).response.status).toBe(504);
  });
});

describe('web cache handler: what goes to the origin', () => {
  /** The field lines named `name` in a request as the cache wrote it. */
  const lines = (text: string, name: string) => text.split('\r\n\r\n')[0].split('\r\n').filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

  it('sends a POST or PUT body with exactly one Content-Length, its own', async () => {
    const lab = setup(() => ({ status: 201, headers: [], body: '' }));
    for (const method of ['POST', 'PUT']) {
      await lab.handler.handle(request(`${method} ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\nContent-Length: 7\n\nvar1=ab`));
      const sent = lab.sent.at(-1)!;
      expect(lines(sent, 'content-length')).toEqual(['Content-Length: 7']);
      expect(sent.endsWith('\r\n\r\nvar1=ab')).toBe(true);
    }
    // An empty POST still says how long its body is (RFC 9110 §8.6).
    await lab.handler.handle(request(`POST ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\nContent-Length: 0\n\n`));
    expect(lines(lab.sent.at(-1)!, 'content-length')).toEqual(['Content-Length: 0']);
  });

  it('forwards a chunked body de-chunked with a Content-Length, and drops Expect: 100-continue', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    await lab.handler.handle(request(`POST ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\nTransfer-Encoding: chunked\nExpect: 100-continue\n\n7\nvar1=ab\n0\n\n`));
    const sent = lab.sent[0];
    expect(lines(sent, 'transfer-encoding')).toEqual([]);
    expect(lines(sent, 'expect')).toEqual([]);
    expect(lines(sent, 'content-length')).toEqual(['Content-Length: 7']);
    expect(sent.endsWith('\r\n\r\nvar1=ab')).toBe(true);
  });

  it('replaces a Content-Length the client named in Connection, and the body of a GET keeps its length', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    await lab.handler.handle(request(`GET ${URL1} HTTP/1.1\nHost: gaia.cs.umass.edu\nConnection: host, content-length\nContent-Length: 3\n\nabc`));
    expect(lines(lab.sent[0], 'content-length')).toEqual(['Content-Length: 3']);
    expect(lines(lab.sent[0], 'host')).toEqual(['Host: gaia.cs.umass.edu']);
  });

  it('hands the client signal to the origin fetch', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const client = new AbortController();
    await lab.handler.handle(get(URL1), client.signal);
    expect(lab.signals).toEqual([client.signal]);
  });
});

describe('web cache handler: what a shared cache keeps', () => {
  it('does not store a response that sets a cookie, so it never hands one visitor\'s cookie to the next', async () => {
    let n = 0;
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'max-age=600'], ['Set-Cookie', `session-id=${++n}`]], body: 'cart' }));
    const first = await lab.handler.handle(get(URL1));
    expect(header(first, 'Set-Cookie')).toBe('session-id=1');
    expect(header(first, 'X-Cache-Detail')).toContain('not stored: the response sets a cookie (Set-Cookie) and does not say Cache-Control: public');
    const second = await lab.handler.handle(get(URL1));
    expect(second.outcome).toBe('MISS');
    expect(header(second, 'Set-Cookie')).toBe('session-id=2');
    expect(lab.store.count).toBe(0);
  });

  it('stores a cookie-setting response that says public', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'public, max-age=600'], ['Set-Cookie', 'theme=plain']], body: 'page' }));
    await lab.handler.handle(get(URL1));
    expect((await lab.handler.handle(get(URL1))).outcome).toBe('HIT');
  });

  it('does not store what could never be reused: a 404 with no lifetime and no validator', async () => {
    const lab = setup(() => ({ status: 404, headers: [['Content-Type', 'text/html']], body: 'not found' }));
    const a = await lab.handler.handle(get(`${URL1}-typo`));
    expect(a.response.status).toBe(404);
    expect(header(a, 'X-Cache-Detail')).toContain('could never answer a later request');
    expect(lab.store.count).toBe(0);
  });

  it('keeps only the request fields Vary names beside a stored response', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'max-age=60'], ['Vary', 'Accept-Language']], body: 'x' }));
    await lab.handler.handle(get(URL1, 'Accept-Language: fr', 'Cookie: secret=1', 'User-Agent: test'));
    const entry = lab.store.lookup(URL1, [{ name: 'Accept-Language', value: 'fr' }])!;
    expect(entry.stored.requestHeaders).toEqual([{ name: 'Accept-Language', value: 'fr' }]);
  });

  it('keys a URL by one spelling of its host: case and a final dot do not make another entry', async () => {
    const lab = setup(() => ({ status: 200, headers: [['Cache-Control', 'max-age=60']], body: 'x' }));
    const first = await lab.handler.handle(get('http://GAIA.cs.umass.edu./wireshark-labs/HTTP-wireshark-file1.html'));
    expect(first.url).toBe(URL1);
    expect(getHeader(lab.seen[0].headers, 'host')).toBe('gaia.cs.umass.edu');
    expect((await lab.handler.handle(get(URL1))).outcome).toBe('HIT');
    expect(lab.store.count).toBe(1);
  });
});

describe('web cache handler: malformed and self-addressed targets', () => {
  it('refuses a URL with userinfo or without a host, with 400', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const userinfo = await lab.handler.handle(request('GET http://gaia.cs.umass.edu@127.0.0.1:40080/ HTTP/1.1\nHost: x\n\n'));
    expect(userinfo).toMatchObject({ outcome: 'ERROR', response: { status: 400 } });
    expect(body(userinfo)).toContain('userinfo');
    const empty = await lab.handler.handle(request('GET http:/// HTTP/1.1\nHost: x\n\n'));
    expect(empty).toMatchObject({ outcome: 'ERROR', response: { status: 400 } });
    expect(body(empty)).toContain('names no host');
    expect(lab.seen).toHaveLength(0);
  });

  it('answers OPTIONS * itself with the methods it takes', async () => {
    const lab = setup(() => ({ status: 200, headers: [], body: '' }));
    const a = await lab.handler.handle(request('OPTIONS * HTTP/1.1\nHost: cache.poly.edu\n\n'));
    expect(a).toMatchObject({ outcome: null, response: { status: 204 } });
    expect(header(a, 'Allow')).toBe('GET, HEAD, POST, PUT, DELETE, OPTIONS');
    expect(lab.seen).toHaveLength(0);
  });
});
