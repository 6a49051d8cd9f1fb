// Cache-Control directives (RFC 9111 §5.2): parsed with where each sits in the field value, and
// said in plain words: what each one lets a cache (the browser's own, or a shared proxy) do.

import { formatDuration } from './dates';
import { getHeaderValues, splitListWithOffsets, unquote, type HttpHeader } from './headers';

export interface CacheDirective {
  /** Lowercased name, e.g. `max-age`. */
  name: string;
  /** The argument without quotes, if any. */
  value?: string;
  /** Offset within the field value and length of the whole directive. */
  offset: number;
  length: number;
}

export function parseCacheControl(value: string): CacheDirective[] {
  return splitListWithOffsets(value).map((m) => {
    const eq = m.text.indexOf('=');
    const name = (eq === -1 ? m.text : m.text.slice(0, eq)).trim().toLowerCase();
    const d: CacheDirective = { name, offset: m.offset, length: m.text.length };
    if (eq !== -1) d.value = unquote(m.text.slice(eq + 1).trim());
    return d;
  });
}

/** Every directive from every Cache-Control line of a message. */
export function cacheDirectives(headers: readonly HttpHeader[]): CacheDirective[] {
  return getHeaderValues(headers, 'cache-control').flatMap(parseCacheControl);
}

export function findDirective(dirs: readonly CacheDirective[], name: string): CacheDirective | undefined {
  return dirs.find((d) => d.name === name);
}

/** delta-seconds (RFC 9111 §1.2.2): digits only; a value too large is read as 2^31 (the RFC's "infinity"). */
export function deltaSeconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n < 2 ** 31 ? n : 2 ** 31;
}

const RESPONSE_MEANINGS: Readonly<Record<string, string | ((d: CacheDirective) => string)>> = {
  'max-age': (d) => `any cache may reuse this response without asking the server for ${secondsText(d)} after it was generated`,
  's-maxage': (d) => `shared caches (proxies) may reuse it for ${secondsText(d)}; this overrides max-age and Expires for them`,
  'no-cache': 'caches may store it but must check with the server (a conditional request) before every reuse',
  'no-store': 'no cache may keep any copy of this response at all',
  private: 'only the user\'s own browser cache may store it; shared caches (proxies) must not',
  public: 'any cache may store it, even where it otherwise could not (e.g. a request with Authorization)',
  'must-revalidate': 'once stale, a cache must not use it without checking with the server first, even when offline',
  'proxy-revalidate': 'like must-revalidate, but only for shared caches',
  'no-transform': 'intermediaries must not change the body (e.g. recompress images)',
  immutable: 'the body will not change while fresh, so a browser need not revalidate it on reload',
  'stale-while-revalidate': (d) => `a cache may serve it stale for up to ${secondsText(d)} while it revalidates in the background (RFC 5861)`,
  'stale-if-error': (d) => `a cache may serve it stale for up to ${secondsText(d)} if the server fails (RFC 5861)`,
  'must-understand': 'store it only if the cache understands the status code\'s caching rules',
};

const REQUEST_MEANINGS: Readonly<Record<string, string | ((d: CacheDirective) => string)>> = {
  'max-age': (d) => `the client accepts a stored response no older than ${secondsText(d)}`,
  'max-stale': (d) => (d.value === undefined ? 'the client accepts a stale stored response, however stale' : `the client accepts a stored response up to ${secondsText(d)} past its freshness`),
  'min-fresh': (d) => `the client wants a stored response that stays fresh for at least ${secondsText(d)} more`,
  'no-cache': 'the client asks caches not to answer from storage without checking with the server first (a browser reload sends this)',
  'no-store': 'caches must not store this request or its response',
  'no-transform': 'intermediaries must not change the body',
  'only-if-cached': 'the client wants only a stored response; without one the cache answers 504 instead of contacting the server',
};

function secondsText(d: CacheDirective): string {
  const s = deltaSeconds(d.value);
  return s === null ? `"${d.value ?? ''}" (not a number of seconds, so ignored)` : `${s} s${s >= 60 ? ` (${formatDuration(s)})` : ''}`;
}

/** What one directive allows or forbids, in a sentence. */
export function explainDirective(d: CacheDirective, side: 'request' | 'response'): string {
  const table = side === 'response' ? RESPONSE_MEANINGS : REQUEST_MEANINGS;
  const m = table[d.name];
  if (m === undefined) return `"${d.name}" is not a standard ${side} directive; caches that do not know it ignore it`;
  return typeof m === 'string' ? m : m(d);
}
