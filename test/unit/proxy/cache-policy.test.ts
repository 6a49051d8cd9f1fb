// What the lab's shared cache declines to store although RFC 9111 §3 would allow it, and the
// request fields it keeps beside a response.

import { describe, expect, it } from 'vitest';
import { selectingRequestHeaders, worthStoring } from '../../../src/protocols/http/cache-policy';
import { formatHttpDate } from '../../../src/protocols/http/dates';
import type { HttpHeader } from '../../../src/protocols/http/headers';

const T = Date.UTC(2026, 10, 24, 12, 0, 0);
const h = (...pairs: [string, string][]): HttpHeader[] => pairs.map(([name, value]) => ({ name, value }));

describe('worthStoring', () => {
  it('declines a response that sets a cookie unless it says public', () => {
    const cookie = worthStoring({ status: 200, headers: h(['Cache-Control', 'max-age=600'], ['Set-Cookie', 'session-id=abc']) }, T);
    expect(cookie).toMatchObject({ ok: false, rfc: 'RFC 9111 §7.3' });
    expect(cookie.reason).toContain('Set-Cookie');
    expect(worthStoring({ status: 200, headers: h(['Cache-Control', 'public, max-age=600'], ['Set-Cookie', 'theme=dark']) }, T).ok).toBe(true);
  });

  it('declines what could never answer a later request: stale at once and no validator', () => {
    const notFound = worthStoring({ status: 404, headers: h(['Content-Type', 'text/html']) }, T);
    expect(notFound).toMatchObject({ ok: false, rfc: 'RFC 9111 §3' });
    expect(notFound.reason).toContain('no ETag or Last-Modified');
    expect(worthStoring({ status: 200, headers: h(['Expires', '0']) }, T).ok).toBe(false);
    // A validator makes it worth keeping: a conditional GET can refresh it.
    expect(worthStoring({ status: 200, headers: h(['Cache-Control', 'max-age=0'], ['ETag', '"v1"']) }, T).ok).toBe(true);
    expect(worthStoring({ status: 200, headers: h(['Last-Modified', formatHttpDate(T - 86_400_000)]) }, T).ok).toBe(true);
    // Any freshness lifetime makes it worth keeping too.
    expect(worthStoring({ status: 404, headers: h(['Cache-Control', 'max-age=60']) }, T).ok).toBe(true);
  });
});

describe('selectingRequestHeaders', () => {
  it('keeps only the request fields the response varies on', () => {
    const request = h(['Host', 'h.edu'], ['Cookie', 'a=b'], ['Accept-Language', 'fr'], ['Accept-Encoding', 'gzip'], ['Authorization', 'Basic eDp5']);
    expect(selectingRequestHeaders(h(['Vary', 'accept-language, Accept-Encoding']), request)).toEqual(h(['Accept-Language', 'fr'], ['Accept-Encoding', 'gzip']));
    expect(selectingRequestHeaders(h(['Cache-Control', 'max-age=60']), request)).toEqual([]);
  });
});
