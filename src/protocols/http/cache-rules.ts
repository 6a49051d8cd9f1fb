// The rules of an HTTP cache (RFC 9111) as pure functions with times passed in: may a response be
// stored, how long is it fresh, how old is it now, may it answer this request, how to revalidate
// it, and how a 304 refreshes it. The lab's caching proxy is built on these; the breakdown uses
// them to say what the caching headers of a response allow.

import { HTTP_PORT } from './authority';
import { cacheDirectives, deltaSeconds, findDirective, type CacheDirective } from './cache-control';
import { formatDuration, parseHttpDate } from './dates';
import { getHeader, getHeaderValues, getListMembers, hasHeader, withoutHeaders, withoutHopByHop, type HttpHeader } from './headers';
import { HTTP_HEURISTIC_FRESHNESS_FRACTION, HTTP_HEURISTIC_FRESHNESS_MAX_S } from './limits';

export interface CacheOptions {
  /** A shared cache (a proxy) obeys s-maxage and private; a browser's private cache does not. */
  shared: boolean;
}

export const SHARED_CACHE: CacheOptions = { shared: true };

/** Codes a cache may store and reuse with heuristic freshness (RFC 9110 §15.1). */
export const HEURISTICALLY_CACHEABLE: readonly number[] = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501];

export interface Verdict {
  ok: boolean;
  reason: string;
  rfc: string;
}

export interface RequestLike {
  method: string;
  headers: readonly HttpHeader[];
}

export interface ResponseLike {
  status: number;
  headers: readonly HttpHeader[];
}

/** RFC 9111 §3: whether a cache may store this response to this request. */
export function storability(req: RequestLike, res: ResponseLike, opts: CacheOptions = SHARED_CACHE): Verdict {
  const rfc = 'RFC 9111 §3';
  const resDirs = cacheDirectives(res.headers);
  const reqDirs = cacheDirectives(req.headers);
  const has = (dirs: CacheDirective[], name: string) => findDirective(dirs, name) !== undefined;
  if (req.method !== 'GET') return { ok: false, reason: `responses to ${req.method} are not stored by this cache (only GET)`, rfc };
  if (res.status < 200) return { ok: false, reason: `${res.status} is an interim response, not one to store`, rfc };
  if (res.status === 206 || res.status === 304) return { ok: false, reason: `a ${res.status} is not a complete response (it updates or completes a stored one)`, rfc };
  if (has(reqDirs, 'no-store')) return { ok: false, reason: 'the request says Cache-Control: no-store', rfc: 'RFC 9111 §5.2.1.5' };
  if (has(resDirs, 'no-store')) return { ok: false, reason: 'the response says Cache-Control: no-store', rfc: 'RFC 9111 §5.2.2.5' };
  if (opts.shared && has(resDirs, 'private')) return { ok: false, reason: 'the response is private: only the user\'s own browser may keep it', rfc: 'RFC 9111 §5.2.2.7' };
  if (opts.shared && hasHeader(req.headers, 'authorization') && !has(resDirs, 'must-revalidate') && !has(resDirs, 'public') && !has(resDirs, 's-maxage')) {
    return { ok: false, reason: 'the request carried Authorization, and the response does not say public, s-maxage or must-revalidate', rfc: 'RFC 9111 §3.5' };
  }
  if (getListMembers(res.headers, 'vary').includes('*')) return { ok: false, reason: 'Vary: * means no later request can ever be known to match', rfc: 'RFC 9111 §4.1' };
  const explicit =
    has(resDirs, 'public') || (!opts.shared && has(resDirs, 'private')) || hasHeader(res.headers, 'expires') || has(resDirs, 'max-age') || (opts.shared && has(resDirs, 's-maxage'));
  if (explicit) return { ok: true, reason: 'the response gives explicit caching information', rfc };
  if (HEURISTICALLY_CACHEABLE.includes(res.status)) return { ok: true, reason: `status ${res.status} may be stored by default (heuristically cacheable)`, rfc: 'RFC 9110 §15.1' };
  return { ok: false, reason: `status ${res.status} is not cacheable by default and the response has no caching headers`, rfc };
}

export type FreshnessSource = 's-maxage' | 'max-age' | 'expires' | 'heuristic' | 'none';

export interface FreshnessLifetime {
  seconds: number;
  source: FreshnessSource;
  reason: string;
}

/** The Date of a response in seconds, or `fallbackMs` (the time it was received) when missing or invalid. */
function dateSeconds(headers: readonly HttpHeader[], fallbackMs: number): number {
  const d = getHeader(headers, 'date');
  const ms = d === undefined ? null : parseHttpDate(d, fallbackMs);
  return Math.floor((ms ?? fallbackMs) / 1000);
}

/** RFC 9111 §4.2.1 (and §4.2.2 for the heuristic). `responseTime` stands in for a missing Date. */
export function freshnessLifetime(res: ResponseLike, responseTime: number, opts: CacheOptions = SHARED_CACHE): FreshnessLifetime {
  const dirs = cacheDirectives(res.headers);
  if (opts.shared) {
    const s = deltaSeconds(findDirective(dirs, 's-maxage')?.value);
    if (s !== null) return { seconds: s, source: 's-maxage', reason: `s-maxage=${s}: fresh for ${formatDuration(s)} in a shared cache` };
  }
  const maxAge = deltaSeconds(findDirective(dirs, 'max-age')?.value);
  if (maxAge !== null) return { seconds: maxAge, source: 'max-age', reason: `max-age=${maxAge}: fresh for ${formatDuration(maxAge)}` };
  const expires = getHeaderValues(res.headers, 'expires');
  if (expires.length > 0) {
    const exp = expires.length === 1 ? parseHttpDate(expires[0], responseTime) : null;
    // RFC 9111 §5.3: an invalid Expires (such as "0") means "already expired".
    if (exp === null) return { seconds: 0, source: 'expires', reason: `Expires "${expires.join(', ')}" is not a valid date, so the response is already stale` };
    const seconds = Math.max(0, Math.floor(exp / 1000) - dateSeconds(res.headers, responseTime));
    return { seconds, source: 'expires', reason: `Expires minus Date: fresh for ${formatDuration(seconds)}` };
  }
  const lm = getHeader(res.headers, 'last-modified');
  const lmMs = lm === undefined ? null : parseHttpDate(lm, responseTime);
  if (lmMs !== null && HEURISTICALLY_CACHEABLE.includes(res.status)) {
    const sinceChange = Math.max(0, dateSeconds(res.headers, responseTime) - Math.floor(lmMs / 1000));
    const seconds = Math.min(Math.floor(sinceChange * HTTP_HEURISTIC_FRESHNESS_FRACTION), HTTP_HEURISTIC_FRESHNESS_MAX_S);
    return {
      seconds,
      source: 'heuristic',
      reason: `no explicit lifetime: a heuristic 10% of the ${formatDuration(sinceChange)} since Last-Modified${seconds === HTTP_HEURISTIC_FRESHNESS_MAX_S ? ', capped at one day' : ''}, ${formatDuration(seconds)}`,
    };
  }
  return { seconds: 0, source: 'none', reason: 'no max-age, Expires or Last-Modified: stale at once, so every reuse needs revalidation' };
}

export interface AgeTimes {
  /** When the cache sent the request that got this response (ms). */
  requestTime: number;
  /** When the response arrived (ms). */
  responseTime: number;
  now: number;
}

export interface AgeCalculation {
  seconds: number;
  apparentAge: number;
  correctedAgeValue: number;
  correctedInitialAge: number;
  residentTime: number;
}

/** RFC 9111 §4.2.3, in whole seconds. */
export function currentAge(res: ResponseLike, t: AgeTimes): AgeCalculation {
  const ageValue = deltaSeconds(getHeader(res.headers, 'age')?.trim()) ?? 0;
  const responseTime = Math.floor(t.responseTime / 1000);
  const requestTime = Math.floor(t.requestTime / 1000);
  const now = Math.floor(t.now / 1000);
  const apparentAge = Math.max(0, responseTime - dateSeconds(res.headers, t.responseTime));
  const responseDelay = Math.max(0, responseTime - requestTime);
  const correctedAgeValue = ageValue + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, now - responseTime);
  return { seconds: correctedInitialAge + residentTime, apparentAge, correctedAgeValue, correctedInitialAge, residentTime };
}

/** A response as a cache keeps it, with the request that fetched it (for Vary) and when. */
export interface StoredResponse {
  url: string;
  status: number;
  reason: string;
  headers: HttpHeader[];
  body: Uint8Array;
  /** The request fields that selected this response: those its Vary names are the ones that matter (selectingRequestHeaders keeps just those). */
  requestHeaders: HttpHeader[];
  requestTime: number;
  responseTime: number;
}

export interface Freshness {
  lifetime: FreshnessLifetime;
  age: AgeCalculation;
  fresh: boolean;
  /** Seconds left while fresh; negative once stale (by how much). */
  remaining: number;
}

export function freshness(stored: StoredResponse, now: number, opts: CacheOptions = SHARED_CACHE): Freshness {
  const lifetime = freshnessLifetime(stored, stored.responseTime, opts);
  const age = currentAge(stored, { requestTime: stored.requestTime, responseTime: stored.responseTime, now });
  return { lifetime, age, fresh: lifetime.seconds > age.seconds, remaining: lifetime.seconds - age.seconds };
}

/** The URL a request is for, the primary cache key (RFC 9111 §2): `http://host[:port]/path?query`. */
export function cacheUrl(host: string, port: number | undefined, pathAndQuery: string, scheme = 'http'): string {
  const defaultPort = scheme === 'https' ? 443 : HTTP_PORT;
  const p = port === undefined || port === defaultPort ? '' : `:${port}`;
  return `${scheme}://${host.toLowerCase()}${p}${pathAndQuery.length > 0 ? pathAndQuery : '/'}`;
}

/** A field's value normalized for Vary comparison: all lines joined, white space collapsed (RFC 9111 §4.1). */
function selectingValue(headers: readonly HttpHeader[], name: string): string | null {
  const values = getHeaderValues(headers, name);
  if (values.length === 0) return null;
  return values.map((v) => v.trim().replace(/[ \t]+/g, ' ')).join(', ');
}

/**
 * The secondary key from Vary (RFC 9111 §4.1): the values of the request fields the response
 * varies on, `name=value` per line, names lowercased in the order Vary lists them; null for `*`.
 */
export function varyKey(responseHeaders: readonly HttpHeader[], requestHeaders: readonly HttpHeader[]): string | null {
  const names = getListMembers(responseHeaders, 'vary').map((n) => n.toLowerCase());
  if (names.includes('*')) return null;
  return names.map((n) => `${n}=${selectingValue(requestHeaders, n) ?? ''}`).join('\n');
}

/** Whether a new request selects the same variant as the request that fetched `stored`. */
export function varyMatches(stored: StoredResponse, requestHeaders: readonly HttpHeader[]): Verdict {
  const names = getListMembers(stored.headers, 'vary').map((n) => n.toLowerCase());
  if (names.includes('*')) return { ok: false, reason: 'Vary: * never matches', rfc: 'RFC 9111 §4.1' };
  for (const n of names) {
    const a = selectingValue(stored.requestHeaders, n);
    const b = selectingValue(requestHeaders, n);
    if (a !== b) return { ok: false, reason: `the response varies on ${n}, and this request's ${n} (${b ?? 'absent'}) differs from the stored one's (${a ?? 'absent'})`, rfc: 'RFC 9111 §4.1' };
  }
  return { ok: true, reason: names.length === 0 ? 'no Vary: one stored response serves every request for the URL' : `same ${names.join(', ')} as the stored request`, rfc: 'RFC 9111 §4.1' };
}

export type CacheUse =
  /** Answer from storage without contacting the origin. */
  | { action: 'serve'; reason: string; freshness: Freshness }
  /** Ask the origin with a conditional request (or a plain one when there are no validators). */
  | { action: 'revalidate'; reason: string; conditional: boolean; freshness: Freshness }
  /** Nothing usable stored: forward the request as it is. */
  | { action: 'forward'; reason: string }
  /** only-if-cached and nothing usable: answer 504 (RFC 9111 §5.2.1.7). */
  | { action: 'gateway-timeout'; reason: string };

/** RFC 9111 §4: may `stored` answer this request now, and if not, what to do. */
export function decideCacheUse(req: RequestLike, stored: StoredResponse | null, now: number, opts: CacheOptions = SHARED_CACHE): CacheUse {
  const reqDirs = cacheDirectives(req.headers);
  const onlyIfCached = findDirective(reqDirs, 'only-if-cached') !== undefined;
  const miss = (reason: string): CacheUse => (onlyIfCached ? { action: 'gateway-timeout', reason: `${reason}, and the request said only-if-cached` } : { action: 'forward', reason });
  if (req.method !== 'GET' && req.method !== 'HEAD') return { action: 'forward', reason: `${req.method} requests always go to the origin server` };
  if (!stored) return miss('nothing stored for this URL');
  const vary = varyMatches(stored, req.headers);
  if (!vary.ok) return miss(vary.reason);
  const f = freshness(stored, now, opts);
  const resDirs = cacheDirectives(stored.headers);
  const conditional = hasHeader(stored.headers, 'etag') || hasHeader(stored.headers, 'last-modified');
  const revalidate = (reason: string): CacheUse => (onlyIfCached ? { action: 'gateway-timeout', reason: `${reason}, and the request said only-if-cached` } : { action: 'revalidate', reason, conditional, freshness: f });
  const pragmaNoCache = !hasHeader(req.headers, 'cache-control') && getListMembers(req.headers, 'pragma').some((p) => p.toLowerCase() === 'no-cache');
  if (findDirective(reqDirs, 'no-cache') || pragmaNoCache) return revalidate('the client asked for no-cache (e.g. a reload): check with the server first');
  if (findDirective(resDirs, 'no-cache')) return revalidate('the stored response says no-cache: it must be checked with the server before every reuse');
  const reqMaxAge = deltaSeconds(findDirective(reqDirs, 'max-age')?.value);
  if (reqMaxAge !== null && f.age.seconds > reqMaxAge) return revalidate(`the stored copy is ${f.age.seconds} s old, more than the client's max-age=${reqMaxAge}`);
  const minFresh = deltaSeconds(findDirective(reqDirs, 'min-fresh')?.value);
  if (minFresh !== null && f.remaining < minFresh) return revalidate(`the stored copy stays fresh for ${Math.max(0, f.remaining)} s, less than the client's min-fresh=${minFresh}`);
  if (f.fresh) return { action: 'serve', reason: `fresh: ${f.age.seconds} s old, fresh for ${f.lifetime.seconds} s (${f.lifetime.source})`, freshness: f };
  const maxStale = findDirective(reqDirs, 'max-stale');
  const mustRevalidate = findDirective(resDirs, 'must-revalidate') || (opts.shared && (findDirective(resDirs, 'proxy-revalidate') || findDirective(resDirs, 's-maxage')));
  if (maxStale && !mustRevalidate) {
    const limit = deltaSeconds(maxStale.value);
    if (limit === null || -f.remaining <= limit) return { action: 'serve', reason: `stale by ${-f.remaining} s, which the client's max-stale allows`, freshness: f };
  }
  return revalidate(`stale: ${f.age.seconds} s old, but fresh for only ${f.lifetime.seconds} s (${f.lifetime.source})`);
}

/** The request a cache sends to revalidate `stored` (RFC 9111 §4.3.1): the client's, with the stored validators. */
export function revalidationHeaders(requestHeaders: readonly HttpHeader[], stored: StoredResponse): HttpHeader[] {
  const out = withoutHeaders(requestHeaders, ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range']);
  const etag = getHeader(stored.headers, 'etag');
  const lm = getHeader(stored.headers, 'last-modified');
  if (etag !== undefined) out.push({ name: 'If-None-Match', value: etag });
  if (lm !== undefined) out.push({ name: 'If-Modified-Since', value: lm });
  return out;
}

/** The fields a cache keeps: everything but hop-by-hop fields (RFC 9111 §3.1). */
export function storableHeaders(headers: readonly HttpHeader[]): HttpHeader[] {
  return withoutHopByHop(headers);
}

/** Fields a 304 must not overwrite in the stored response (RFC 9111 §3.2). */
const NOT_UPDATED = ['content-length'];

/** The stored fields updated with a 304's (RFC 9111 §3.2): each field it carries replaces the stored one. */
export function updateStoredHeaders(stored: readonly HttpHeader[], notModified: readonly HttpHeader[]): HttpHeader[] {
  const incoming = storableHeaders(notModified).filter((h) => !NOT_UPDATED.includes(h.name.toLowerCase()));
  const replaced = new Set(incoming.map((h) => h.name.toLowerCase()));
  return [...stored.filter((h) => !replaced.has(h.name.toLowerCase())), ...incoming];
}

/** A stored response refreshed by a 304 from revalidation (RFC 9111 §4.3.4): new fields, new timing. */
export function refreshStored(stored: StoredResponse, notModified: ResponseLike, requestTime: number, responseTime: number): StoredResponse {
  return { ...stored, headers: updateStoredHeaders(stored.headers, notModified.headers), requestTime, responseTime };
}

/** RFC 9111 §4.4: a successful unsafe request (POST, PUT, DELETE...) makes stored copies of its URL stale. */
export function invalidatesStored(method: string, status: number): boolean {
  const safe = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE';
  return !safe && status >= 200 && status < 400;
}

/** `1.1 proxy-name`: the Via member a proxy adds for the version it received (RFC 9110 §7.6.3). */
export function viaMember(receivedVersion: string, pseudonym: string): string {
  const v = receivedVersion.startsWith('HTTP/') ? receivedVersion.slice(5) : receivedVersion;
  return `${v} ${pseudonym}`;
}

/**
 * The fields of a response a cache sends on: Age (its current age; RFC 9111 §5.1 requires it on
 * anything served from storage), Via appended, X-Cache HIT or MISS, hop-by-hop fields dropped.
 */
export function cacheResponseHeaders(headers: readonly HttpHeader[], opts: { ageSeconds?: number; via: string; hit: boolean }): HttpHeader[] {
  const base = withoutHeaders(storableHeaders(headers), ['age', 'x-cache']);
  const existingVia = getHeaderValues(base, 'via');
  const out = withoutHeaders(base, ['via']);
  if (opts.ageSeconds !== undefined) out.push({ name: 'Age', value: String(Math.max(0, Math.floor(opts.ageSeconds))) });
  out.push({ name: 'Via', value: [...existingVia, opts.via].join(', ') });
  out.push({ name: 'X-Cache', value: opts.hit ? 'HIT' : 'MISS' });
  return out;
}
