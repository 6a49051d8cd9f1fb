// The web cache's store: responses kept by primary key (method and URL, RFC 9111 §2) and, within
// one URL, by the request fields the response's Vary names (RFC 9111 §4.1). Bounded in bytes, per
// object and in entries; when full, the least recently used entries go first. The rules about
// what may be stored and reused live in src/protocols/http/cache-rules.ts; this only keeps things.

import type { HttpHeader } from '../../../protocols/http/headers';
import { varyKey, varyMatches, type StoredResponse } from '../../../protocols/http/cache-rules';
import { WEB_CACHE_MAX_ENTRIES, WEB_CACHE_MAX_OBJECT_BYTES, WEB_CACHE_MAX_TOTAL_BYTES } from './limits';

export interface StoreLimits {
  maxTotalBytes: number;
  maxObjectBytes: number;
  maxEntries: number;
}

export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = Object.freeze({
  maxTotalBytes: WEB_CACHE_MAX_TOTAL_BYTES,
  maxObjectBytes: WEB_CACHE_MAX_OBJECT_BYTES,
  maxEntries: WEB_CACHE_MAX_ENTRIES,
});

export interface CacheEntry {
  /** Primary key: method and URL. */
  readonly key: string;
  /** Secondary key from Vary: `name=value` lines, empty when the response has no Vary. */
  readonly variant: string;
  stored: StoredResponse;
  /** Bytes counted against the limits: the head's fields, the body, and the request fields kept for Vary. */
  size: number;
  hits: number;
  storedAt: number;
  lastUsedAt: number;
}

export type PutResult = { stored: true; entry: CacheEntry; evicted: CacheEntry[] } | { stored: false; reason: string };

/**
 * Responses to GET are what the cache stores (cache-rules' storability says so); a HEAD is answered
 * from the GET entry of the same URL (RFC 9110 §9.3.2: HEAD gets the fields GET would).
 */
export function primaryKey(url: string): string {
  return `GET ${url}`;
}

/**
 * What an entry costs: the status line, each field line as sent (name, ": ", value, CRLF), the
 * blank line, the body, and each request field kept for Vary counted the same way.
 */
export function storedSize(stored: StoredResponse): number {
  let head = `HTTP/1.1 ${stored.status} ${stored.reason}\r\n`.length + 2;
  for (const h of [...stored.headers, ...stored.requestHeaders]) head += h.name.length + h.value.length + 4;
  return head + stored.body.length;
}

export class WebCacheStore {
  private readonly byKey = new Map<string, CacheEntry[]>();
  /** Every entry, least recently used first (a Map keeps insertion order; use re-inserts). */
  private readonly recency = new Map<CacheEntry, true>();
  private totalBytes = 0;
  readonly limits: StoreLimits;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...DEFAULT_STORE_LIMITS, ...limits };
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get count(): number {
    return this.recency.size;
  }

  /** The stored variant of `url` that this request selects (its Vary fields match), newest first; null when none. */
  lookup(url: string, requestHeaders: readonly HttpHeader[]): CacheEntry | null {
    const variants = this.byKey.get(primaryKey(url));
    if (!variants) return null;
    return variants.find((e) => varyMatches(e.stored, requestHeaders).ok) ?? null;
  }

  /** The entry answered a request: it becomes the most recently used. */
  use(entry: CacheEntry, now: number): void {
    if (!this.recency.has(entry)) return;
    entry.hits++;
    entry.lastUsedAt = now;
    this.recency.delete(entry);
    this.recency.set(entry, true);
  }

  /**
   * Stores a response (replacing the variant it selects, if stored), then evicts the least
   * recently used entries until the store is within its limits again. Too large an object, or
   * `Vary: *`, is refused with the reason.
   */
  put(stored: StoredResponse, now: number): PutResult {
    const variant = varyKey(stored.headers, stored.requestHeaders);
    if (variant === null) return { stored: false, reason: 'Vary: * means no later request can be known to select this response (RFC 9111 §4.1)' };
    const size = storedSize(stored);
    const max = Math.min(this.limits.maxObjectBytes, this.limits.maxTotalBytes);
    if (size > max) return { stored: false, reason: `the response takes ${size} bytes, more than the ${max} this cache keeps for one object` };
    const key = primaryKey(stored.url);
    const previous = this.byKey.get(key)?.find((e) => e.variant === variant);
    const hits = previous?.hits ?? 0;
    if (previous) this.remove(previous);
    const entry: CacheEntry = { key, variant, stored, size, hits, storedAt: now, lastUsedAt: now };
    const list = this.byKey.get(key) ?? [];
    list.unshift(entry);
    this.byKey.set(key, list);
    this.recency.set(entry, true);
    this.totalBytes += size;
    return { stored: true, entry, evicted: this.evict(entry) };
  }

  /** RFC 9111 §4.4: after a successful unsafe request, every stored variant of the URL is dropped. */
  invalidate(url: string): number {
    const variants = [...(this.byKey.get(primaryKey(url)) ?? [])];
    for (const e of variants) this.remove(e);
    return variants.length;
  }

  remove(entry: CacheEntry): boolean {
    if (!this.recency.delete(entry)) return false;
    const list = this.byKey.get(entry.key);
    if (list) {
      const i = list.indexOf(entry);
      if (i !== -1) list.splice(i, 1);
      if (list.length === 0) this.byKey.delete(entry.key);
    }
    this.totalBytes -= entry.size;
    return true;
  }

  clear(): void {
    this.byKey.clear();
    this.recency.clear();
    this.totalBytes = 0;
  }

  /** Entries, most recently used first. */
  entries(limit = Number.POSITIVE_INFINITY): CacheEntry[] {
    const all = [...this.recency.keys()];
    const out: CacheEntry[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) out.push(all[i]);
    return out;
  }

  private evict(keep: CacheEntry): CacheEntry[] {
    const evicted: CacheEntry[] = [];
    for (const e of this.recency.keys()) {
      if (this.totalBytes <= this.limits.maxTotalBytes && this.recency.size <= this.limits.maxEntries) break;
      if (e === keep) continue;
      this.remove(e);
      evicted.push(e);
    }
    return evicted;
  }
}
