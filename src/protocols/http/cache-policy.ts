// What the lab's shared cache chooses not to keep although RFC 9111 §3 would let it, and what it
// keeps of the request beside a response. RFC 9111 only says when a cache MUST NOT store; a cache
// may always decline. The lab's cache declines two kinds of response, each for a stated reason.

import { cacheDirectives, findDirective } from './cache-control';
import { freshnessLifetime, type ResponseLike, type Verdict } from './cache-rules';
import { getListMembers, hasHeader, type HttpHeader } from './headers';

/**
 * Whether a storable response is worth keeping in a shared cache (`responseTime` stands in for a
 * missing Date):
 *
 * - One that sets a cookie, unless it says `Cache-Control: public`. Set-Cookie does not stop a
 *   cache from storing a response (RFC 9111 §7.3 notes it), but a shared cache would then hand the
 *   same cookie, typically a session ID, to every client that asks for the URL: the next visitor of
 *   the shop would get the first visitor's cart. `public` is the origin saying the response is the
 *   same for everyone. (The other choice, storing it with Set-Cookie removed, would change what
 *   clients get from the cache compared with the origin; refusing keeps the answers identical.)
 * - One that could never answer a later request: stale at once (no max-age, Expires or a
 *   Last-Modified to estimate from) and without a validator (ETag, Last-Modified) to revalidate it
 *   with. RFC 9111 §3 remarks that caches usually skip these; kept, they only push out useful
 *   entries (a 404 page for every mistyped URL).
 */
export function worthStoring(res: ResponseLike, responseTime: number): Verdict {
  if (hasHeader(res.headers, 'set-cookie') && !findDirective(cacheDirectives(res.headers), 'public')) {
    return {
      ok: false,
      reason: 'the response sets a cookie (Set-Cookie) and does not say Cache-Control: public, so a shared cache would hand that cookie to everyone who asks for this URL',
      rfc: 'RFC 9111 §7.3',
    };
  }
  const lifetime = freshnessLifetime(res, responseTime);
  const validator = hasHeader(res.headers, 'etag') || hasHeader(res.headers, 'last-modified');
  if (lifetime.seconds === 0 && !validator) {
    return {
      ok: false,
      reason: `it is stale at once (${lifetime.reason}) and has no ETag or Last-Modified to revalidate it with, so it could never answer a later request`,
      rfc: 'RFC 9111 §3',
    };
  }
  return { ok: true, reason: 'it can answer later requests', rfc: 'RFC 9111 §3' };
}

/**
 * The request fields to keep beside a stored response: only those its Vary names (RFC 9111 §4.1),
 * the ones a later request's must match. The rest (cookies, credentials, the client's own
 * conditionals) say nothing about later requests, and keeping them would cost memory for nothing.
 */
export function selectingRequestHeaders(responseHeaders: readonly HttpHeader[], requestHeaders: readonly HttpHeader[]): HttpHeader[] {
  const names = new Set(getListMembers(responseHeaders, 'vary').map((n) => n.toLowerCase()));
  if (names.size === 0) return [];
  return requestHeaders.filter((h) => names.has(h.name.toLowerCase())).map((h) => ({ name: h.name, value: h.value }));
}

