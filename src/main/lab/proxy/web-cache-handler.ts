// What the web cache does with one request (RFC 9111, with RFC 9110 §7.6 for what a proxy changes
// on the way): find where it is for, answer from storage when a stored response may be reused,
// revalidate a stale one with a conditional GET, or forward it to the origin and store what may be
// stored. The rules themselves are the pure functions of src/protocols/http/cache-rules.ts; the
// sockets are the origin pool's and the service's. Every answer says why in X-Cache-Detail.

import { hasEmptyHost, hasUserinfo, hostFieldValue, HTTP_PORT, normalizeHostName } from '../../../protocols/http/authority';
import { selectingRequestHeaders, worthStoring } from '../../../protocols/http/cache-policy';
import {
  cacheResponseHeaders,
  cacheUrl,
  currentAge,
  decideCacheUse,
  invalidatesStored,
  refreshStored,
  revalidationHeaders,
  storability,
  storableHeaders,
  viaMember,
  type StoredResponse,
} from '../../../protocols/http/cache-rules';
import { evaluateConditional, notModifiedHeaders } from '../../../protocols/http/conditional';
import { parseHttpDate } from '../../../protocols/http/dates';
import { getHeader, getHeaderValues, withHeader, withoutHeaders, withoutHopByHop, type HttpHeader } from '../../../protocols/http/headers';
import type { ParsedResponse } from '../../../protocols/http/parser';
import type { HttpResponseInit } from '../../../protocols/http/persistence';
import { statusResponse } from '../../../protocols/http/responses';
import { serializeRequest } from '../../../protocols/http/serialize';
import type { HttpRequest } from '../../../protocols/http/server-connection';
import { HTTP_IMPLEMENTED_METHODS } from '../../../protocols/http/status';
import { requestAuthority } from '../../../protocols/http/target';
import type { WebCacheOutcome } from '../../../shared/web-cache';
import type { CacheEntry, WebCacheStore } from './cache-store';
import type { OriginResolution } from './origin-resolver';
import type { OriginResult, OriginTarget } from './origin-connection';

/**
 * Fields the cache writes itself on the way to the origin, besides the hop-by-hop ones (which
 * include Transfer-Encoding: the body goes on de-chunked). Host names the target (RFC 9112
 * §3.2.2); Via gets the cache added (RFC 9110 §7.6.3); Content-Length is set from the body the
 * cache forwards, so the origin never sees two (RFC 9110 §8.6 lets a recipient reject that, and Node's http does);
 * Expect: 100-continue asks the origin to wait before the body, but the cache has the whole body
 * already and sends it with the head.
 */
const REPLACED_ON_FORWARD = ['host', 'via', 'content-length', 'expect'];

/** Request fields that would make the cache's own conditional GET mean something else. */
const CLIENT_CONDITIONALS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'];

export interface WebCacheAnswer {
  response: HttpResponseInit;
  /** null for the cache's own page (not a cached request at all). */
  outcome: WebCacheOutcome | null;
  url: string;
  reason: string;
}

export interface WebCacheHandlerDeps {
  store: WebCacheStore;
  resolve(host: string | undefined, port: number): OriginResolution;
  /** Sends a serialized request to the origin; an aborted `signal` (the client hung up) stops it. */
  fetch(target: OriginTarget, method: string, message: Uint8Array, signal?: AbortSignal): Promise<OriginResult>;
  /** Wall clock (ms since the epoch): ages and freshness are computed against it. */
  now(): number;
  /** Who the cache is in Via: `cache.poly.edu:3128`. */
  viaName: string;
  /** The cache's own page, for a request addressed to the cache itself. */
  selfPage(request: HttpRequest): HttpResponseInit;
}

/**
 * A header value safe to send: one line of US-ASCII (RFC 9110 §5.5: other octets are obsolete
 * there and clients read them as Latin-1). "§" becomes "section"; anything else past ASCII, "?".
 */
function headerText(text: string): string {
  return text
    .replace(/[\r\n\0]+/g, ' ')
    .replace(/§\s*/g, 'section ')
    .replace(/[^\x20-\x7e\t]/g, '?');
}

function withCacheLabel(headers: HttpHeader[], label: 'HIT' | 'MISS' | 'REVALIDATED', reason: string): HttpHeader[] {
  // X-Cache stays MISS for a passed-through POST, as caches label it; the statistics count it apart.
  const labelled = label === 'REVALIDATED' ? withHeader(headers, 'X-Cache', 'REVALIDATED') : headers;
  return [...labelled, { name: 'X-Cache-Detail', value: headerText(reason) }];
}

function errorAnswer(status: number, request: HttpRequest, url: string, reason: string, viaName: string): WebCacheAnswer {
  const response = statusResponse(status, { method: request.method, target: url || request.target, detail: reason, headers: [{ name: 'Via', value: viaMember(request.versionText ?? 'HTTP/1.0', viaName) }, { name: 'X-Cache-Detail', value: headerText(reason) }] });
  return { response, outcome: 'ERROR', url: url || request.target, reason };
}

export class WebCacheHandler {
  constructor(private readonly deps: WebCacheHandlerDeps) {}

  /** Answers one request; `signal` is aborted when its client hangs up, which stops a fetch under way. */
  async handle(request: HttpRequest, signal?: AbortSignal): Promise<WebCacheAnswer> {
    const { deps } = this;
    const t = request.parsedTarget;
    if (request.method === 'CONNECT') {
      return errorAnswer(
        501,
        request,
        request.target,
        'CONNECT asks a proxy for a raw tunnel, which browsers use for https:// (TLS). The lab has no TLS: its sites are plain http://, and a browser sends those to the cache as ordinary requests with the full URL, so the cache can read and keep them.',
        deps.viaName,
      );
    }
    if (request.targetForm === 'asterisk') return this.asterisk(request);
    if (t.scheme !== undefined && t.scheme !== 'http') {
      const why = t.scheme === 'https' ? 'https:// needs TLS, which the lab does not have; use http:// URLs.' : `the cache fetches only http:// URLs, not ${t.scheme}://.`;
      return errorAnswer(501, request, request.target, `This web cache does not fetch ${request.target}: ${why}`, deps.viaName);
    }
    if (request.targetForm === 'absolute' && hasEmptyHost(request.target)) {
      return errorAnswer(400, request, request.target, `${request.target} names no host: an http URI must have one (RFC 9110 §4.2.1).`, deps.viaName);
    }
    if (request.targetForm === 'absolute' && hasUserinfo(request.target)) {
      return errorAnswer(
        400,
        request,
        request.target,
        `${request.target} has a user name before "@" (userinfo). HTTP does not use it, and it mostly serves to make a link look as if it went to the name before the "@", so the cache refuses it (RFC 9110 §4.2.4).`,
        deps.viaName,
      );
    }
    const authority = requestAuthority(t, getHeader(request.headers, 'host'));
    const port = authority?.port ?? HTTP_PORT;
    const where = deps.resolve(authority?.host, port);
    if (where.kind === 'self') return this.self(request);
    // One spelling per host, so GAIA.cs.umass.edu. and gaia.cs.umass.edu share their entries.
    const host = normalizeHostName(authority!.host);
    const pathAndQuery = request.targetForm === 'absolute' ? `${t.path}${t.query !== null ? `?${t.query}` : ''}` : request.target;
    const url = cacheUrl(host, port, pathAndQuery);
    if (where.kind === 'refused') return errorAnswer(where.status, request, url, where.reason, deps.viaName);

    const forward = this.forwardHeaders(request, host, port);
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.passThrough(request, where.target, url, pathAndQuery, forward, signal);

    const entry = deps.store.lookup(url, request.headers);
    const use = decideCacheUse(request, entry?.stored ?? null, deps.now());
    switch (use.action) {
      case 'serve':
        deps.store.use(entry!, deps.now());
        return this.fromStore(request, entry!, 'HIT', `HIT: ${use.reason} (RFC 9111 §4.2)`);
      case 'gateway-timeout':
        return errorAnswer(504, request, url, `${use.reason} (RFC 9111 §5.2.1.7).`, deps.viaName);
      case 'forward':
        return this.miss(request, where.target, url, pathAndQuery, forward, `MISS: ${use.reason}`, signal);
      case 'revalidate':
        return this.revalidate(request, entry!, where.target, url, pathAndQuery, forward, use.reason, use.conditional, signal);
    }
  }

  private self(request: HttpRequest): WebCacheAnswer {
    return { response: this.deps.selfPage(request), outcome: null, url: request.target, reason: 'a request for the cache itself' };
  }

  /** `OPTIONS *` asks the cache itself what it supports (RFC 9110 §9.3.7): the methods it takes and forwards. */
  private asterisk(request: HttpRequest): WebCacheAnswer {
    const response =
      request.method === 'OPTIONS'
        ? statusResponse(204, { method: request.method, target: request.target, allow: HTTP_IMPLEMENTED_METHODS })
        : statusResponse(400, { method: request.method, target: request.target, detail: 'the target "*" is for OPTIONS only' });
    return { response, outcome: null, url: request.target, reason: 'a request for the cache itself' };
  }

  /** The client's fields minus the hop-by-hop ones, Host set to the target's authority (RFC 9112 §3.2.2), Via added (RFC 9110 §7.6.3). */
  private forwardHeaders(request: HttpRequest, host: string, port: number): HttpHeader[] {
    const kept = withoutHeaders(withoutHopByHop(request.headers), REPLACED_ON_FORWARD);
    const via = [...getHeaderValues(request.headers, 'via'), viaMember(request.versionText ?? 'HTTP/1.0', this.deps.viaName)].join(', ');
    return [{ name: 'Host', value: hostFieldValue(host, port) }, ...kept, { name: 'Via', value: via }];
  }

  /**
   * The request as it goes to the origin. Content-Length comes from the body the cache has (the
   * client's own was dropped): always for a body, and for POST and PUT without one, which RFC 9110
   * §8.6 asks a sender to state even when it is 0.
   */
  private message(method: string, pathAndQuery: string, headers: HttpHeader[], body: Uint8Array): Uint8Array {
    const withLength = body.length > 0 || method === 'POST' || method === 'PUT' ? [...headers, { name: 'Content-Length', value: String(body.length) }] : headers;
    return serializeRequest({ method, target: pathAndQuery, headers: withLength, body });
  }

  private async ask(
    target: OriginTarget,
    method: string,
    message: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; response: ParsedResponse; requestTime: number; responseTime: number } | { ok: false; status: number; reason: string }> {
    const requestTime = this.deps.now();
    const result = await this.deps.fetch(target, method, message, signal);
    const responseTime = this.deps.now();
    if (result.ok) return { ok: true, response: result.response, requestTime, responseTime };
    return { ok: false, status: result.kind === 'timeout' ? 504 : 502, reason: result.message };
  }

  /** Unsafe methods go to the origin as they are; a success makes stored copies of the URL stale (RFC 9111 §4.4). */
  private async passThrough(request: HttpRequest, target: OriginTarget, url: string, pathAndQuery: string, forward: HttpHeader[], signal: AbortSignal | undefined): Promise<WebCacheAnswer> {
    const got = await this.ask(target, request.method, this.message(request.method, pathAndQuery, forward, request.body), signal);
    if (!got.ok) return errorAnswer(got.status, request, url, got.reason, this.deps.viaName);
    const dropped = invalidatesStored(request.method, got.response.status) ? this.deps.store.invalidate(url) : 0;
    const reason = `PASS: ${request.method} requests always go to the origin server and are never stored${dropped > 0 ? `; its success made the ${dropped} stored cop${dropped === 1 ? 'y' : 'ies'} of this URL invalid (RFC 9111 §4.4)` : ''}`;
    return { response: this.originResponse(got.response, reason), outcome: 'PASS', url, reason };
  }

  private async miss(request: HttpRequest, target: OriginTarget, url: string, pathAndQuery: string, forward: HttpHeader[], why: string, signal: AbortSignal | undefined): Promise<WebCacheAnswer> {
    const got = await this.ask(target, request.method, this.message(request.method, pathAndQuery, forward, request.body), signal);
    if (!got.ok) return errorAnswer(got.status, request, url, got.reason, this.deps.viaName);
    const stored = this.keep(request, url, got.response, got.requestTime, got.responseTime);
    const reason = `${why}; ${stored}`;
    return { response: this.originResponse(got.response, reason), outcome: 'MISS', url, reason };
  }

  /** Stores the response if RFC 9111 §3 allows it; returns what happened, in words. */
  private keep(request: HttpRequest, url: string, response: ParsedResponse, requestTime: number, responseTime: number): string {
    if (request.method !== 'GET') return `a response to ${request.method} is not stored (only GET)`;
    if (response.status === 304) return 'the origin answered the client\'s own conditional request with 304, which the cache passes on without storing';
    const verdict = storability(request, response);
    if (!verdict.ok) return `not stored: ${verdict.reason} (${verdict.rfc})`;
    const worth = worthStoring(response, responseTime);
    if (!worth.ok) return `not stored: ${worth.reason} (${worth.rfc})`;
    const put = this.deps.store.put(this.toStored(request, url, response, requestTime, responseTime), this.deps.now());
    if (!put.stored) return `not stored: ${put.reason}`;
    const evicted = put.evicted.length > 0 ? `; ${put.evicted.length} least recently used entr${put.evicted.length === 1 ? 'y was' : 'ies were'} evicted to make room` : '';
    return `stored: ${verdict.reason}${evicted}`;
  }

  private toStored(request: HttpRequest, url: string, response: ParsedResponse, requestTime: number, responseTime: number): StoredResponse {
    return {
      url,
      status: response.status,
      reason: response.reason,
      headers: storableHeaders(response.headers.map((h) => ({ name: h.name, value: h.value }))),
      body: response.body,
      requestHeaders: selectingRequestHeaders(response.headers, request.headers),
      requestTime,
      responseTime,
    };
  }

  private async revalidate(
    request: HttpRequest,
    entry: CacheEntry,
    target: OriginTarget,
    url: string,
    pathAndQuery: string,
    forward: HttpHeader[],
    why: string,
    conditional: boolean,
    signal: AbortSignal | undefined,
  ): Promise<WebCacheAnswer> {
    // The cache asks with its own validators (RFC 9111 §4.3.1), as a GET even for a HEAD, so a 200 can refill the store.
    const headers = conditional ? revalidationHeaders(forward, entry.stored) : withoutHeaders(forward, CLIENT_CONDITIONALS);
    const got = await this.ask(target, 'GET', this.message('GET', pathAndQuery, headers, new Uint8Array(0)), signal);
    if (!got.ok) return errorAnswer(got.status, request, url, got.reason, this.deps.viaName);
    const res = got.response;
    if (res.status === 304 && conditional) {
      // RFC 9111 §4.3.4: the 304's fields update the stored response, which then answers the request.
      const refreshed = refreshStored(entry.stored, { status: 304, headers: res.headers.map((h) => ({ name: h.name, value: h.value })) }, got.requestTime, got.responseTime);
      const put = this.deps.store.put(refreshed, this.deps.now());
      const current = put.stored ? put.entry : entry;
      this.deps.store.use(current, this.deps.now());
      const validator = getHeader(headers, 'if-none-match') !== undefined ? 'If-None-Match' : 'If-Modified-Since';
      return this.fromStore(request, current, 'REVALIDATED', `REVALIDATED: ${why}; a conditional GET (${validator}) got 304 Not Modified, so the stored copy was refreshed and sent (RFC 9111 §4.3.4)`);
    }
    // A full response replaces the stored one (RFC 9111 §4.3.3), or the stored one goes if this one may not be kept.
    const get: HttpRequest = request.method === 'GET' ? request : { ...request, method: 'GET' };
    const stored = this.keep(get, url, res, got.requestTime, got.responseTime);
    if (stored.startsWith('not stored')) this.deps.store.remove(entry);
    const reason = `MISS: ${why}; the origin sent ${res.status === 304 ? 'a 304 without validators to match' : `a new ${res.status} response`}, ${stored}`;
    // For a HEAD the server connection sends the fields alone, with the GET body's length.
    return { response: this.originResponse(res, reason), outcome: 'MISS', url, reason };
  }

  /** Answers from storage: Age, Via and X-Cache added (RFC 9111 §5.1); a client's own conditional may make it a 304. */
  private fromStore(request: HttpRequest, entry: CacheEntry, label: 'HIT' | 'REVALIDATED', reason: string): WebCacheAnswer {
    const { stored } = entry;
    const now = this.deps.now();
    const age = currentAge(stored, { requestTime: stored.requestTime, responseTime: stored.responseTime, now }).seconds;
    const via = viaMember('HTTP/1.1', this.deps.viaName);
    const clientCondition = CLIENT_CONDITIONALS.some((n) => getHeader(request.headers, n) !== undefined) && stored.status === 200;
    if (clientCondition) {
      const lm = getHeader(stored.headers, 'last-modified');
      const lastModified = lm === undefined ? null : parseHttpDate(lm, now);
      const etag = getHeader(stored.headers, 'etag');
      const decision = evaluateConditional(request.method, request.headers, { ...(etag !== undefined ? { etag } : {}), ...(lastModified !== null ? { lastModified } : {}) });
      if (decision.outcome === 'not-modified') {
        const why = `${reason}; the client's own copy is current too (${decision.decidedBy}), so it gets 304 Not Modified`;
        const headers = withCacheLabel(cacheResponseHeaders(notModifiedHeaders(stored.headers), { ageSeconds: age, via, hit: true }), label, why);
        return { response: { status: 304, headers }, outcome: label, url: stored.url, reason: why };
      }
    }
    const headers = withCacheLabel(cacheResponseHeaders(stored.headers, { ageSeconds: age, via, hit: true }), label, reason);
    return { response: { status: stored.status, reason: stored.reason, headers, body: stored.body }, outcome: label, url: stored.url, reason };
  }

  /** A response from the origin on its way to the client: hop-by-hop fields dropped, Via and X-Cache: MISS added. */
  private originResponse(res: Pick<ParsedResponse, 'status' | 'reason' | 'headers' | 'body' | 'versionText'>, reason: string): HttpResponseInit {
    const originAge = getHeader(res.headers, 'age');
    const ageSeconds = originAge !== undefined && /^\d+$/.test(originAge.trim()) ? Number(originAge.trim()) : undefined;
    const plain = res.headers.map((h) => ({ name: h.name, value: h.value }));
    const headers = withCacheLabel(cacheResponseHeaders(plain, { ...(ageSeconds !== undefined ? { ageSeconds } : {}), via: viaMember(res.versionText || 'HTTP/1.0', this.deps.viaName), hit: false }), 'MISS', reason);
    return { status: res.status, reason: res.reason, headers, body: res.body };
  }
}
