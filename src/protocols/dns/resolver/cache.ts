// The local resolver's cache (RFC 1034 §5.3.2 step 1, RFC 2181 §5 and §7, RFC 2308): whole RRsets
// kept for their TTL and handed out with the TTL counted down, plus remembered absences: a name
// that does not exist (NXDOMAIN, for every type) or a name without the asked type (NODATA), kept
// for the negative TTL of the zone's SOA. Clock in milliseconds, injected; sans-IO.

import { DNS_MAX_TTL } from '../limits';
import { type DnsRecord, typeName } from '../message';
import { nameKey } from '../names';
import { formatRdata } from '../presentation';

/**
 * Longest time anything stays cached: one week, BIND's max-cache-ttl default and the limit
 * RFC 8767 §4 recommends. A zone asking for longer is capped.
 */
export const RESOLVER_MAX_TTL = 7 * 24 * 3600;

/** Longest time an absence is remembered: 3 hours, RFC 2308 §5 ("1 to 3 hours") and BIND's max-ncache-ttl. */
export const RESOLVER_MAX_NEGATIVE_TTL = 3 * 3600;

/** Entries the cache holds; past this the least recently stored go first (a bound on memory, not a course number). */
export const RESOLVER_CACHE_MAX_ENTRIES = 20_000;

/**
 * Records the cache holds in all entries together: one RRset may hold thousands (a zone can give a
 * name 4,000 A records in a 64 KiB TCP answer), so a bound on entries alone bounds no memory. At a
 * few hundred bytes a record, 200,000 is tens of megabytes at most.
 */
export const RESOLVER_CACHE_MAX_RECORDS = 200_000;

/**
 * The type in the key of an NXDOMAIN entry, which stands for every type. Not a real type code: 255
 * (ANY, RFC 1035 §3.2.3) would share its key with the NODATA entry of an ANY query.
 */
const ALL_TYPES = -1;

/** A TTL with the top bit set is read as 0 (RFC 2181 §8). */
const ttlOf = (ttl: number) => (ttl >>> 0 > DNS_MAX_TTL ? 0 : ttl >>> 0);

export type CacheEntryKind = 'positive' | 'nxdomain' | 'nodata';

interface Entry {
  name: string;
  type: number;
  kind: CacheEntryKind;
  /** Positive: the RRset; negative: the SOA that came with the absence (RFC 2308 §5 keeps it for the reply). */
  records: DnsRecord[];
  ttl: number;
  storedAt: number;
  expiresAt: number;
  source: string;
  hits: number;
  /** The NS records and glue of a referral: enough to find a zone's servers, never an answer to a client (RFC 2181 §5.4.1). */
  referral?: true;
}

export type CacheLookup =
  | { kind: 'positive'; records: DnsRecord[]; ttlLeft: number; source: string }
  | { kind: 'nxdomain' | 'nodata'; soa: DnsRecord[]; ttlLeft: number; source: string };

export interface CacheEntryView {
  name: string;
  type: string;
  ttlLeft: number;
  ttlOriginal: number;
  records: string[];
  kind: CacheEntryKind;
  source: string;
  hits: number;
}

const keyOf = (name: string, type: number) => `${nameKey(name)}|${type}`;

/**
 * The records with the TTL the cache keeps their RRset for: the lowest of the set's (RFC 2181
 * §5.2), the top bit read as 0 (§8), capped at RESOLVER_MAX_TTL. A fresh answer goes to the
 * client with these, so it never carries more than the cache would serve a second later.
 */
export function withRRsetTtls(records: readonly DnsRecord[]): DnsRecord[] {
  const ttls = new Map<string, number>();
  for (const r of records) {
    const key = keyOf(r.name, r.type);
    ttls.set(key, Math.min(ttls.get(key) ?? RESOLVER_MAX_TTL, ttlOf(r.ttl)));
  }
  return records.map((r) => ({ ...r, ttl: ttls.get(keyOf(r.name, r.type))! }));
}

/** Seconds left, rounded down, never below zero. */
function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1000));
}

export class ResolverCache {
  private readonly entries = new Map<string, Entry>();
  private records = 0;

  constructor(
    private readonly maxEntries = RESOLVER_CACHE_MAX_ENTRIES,
    private readonly maxRecords = RESOLVER_CACHE_MAX_RECORDS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Records held in all entries. */
  get recordCount(): number {
    return this.records;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.records -= e.records.length;
    this.entries.delete(key);
  }

  private put(entry: Entry): void {
    const key = keyOf(entry.name, entry.type);
    this.drop(key);
    this.entries.set(key, entry);
    this.records += entry.records.length;
    while (this.entries.size > this.maxEntries || (this.records > this.maxRecords && this.entries.size > 1)) {
      this.drop(this.entries.keys().next().value as string);
    }
  }

  /**
   * Stores one RRset; its TTL is the lowest of its records' (RFC 2181 §5.2), capped. A TTL of 0 is
   * used once and not kept (RFC 1035 §3.2.1). Referral data (`referral`) ranks below what a zone's
   * own servers said and never replaces it (RFC 2181 §5.4.1).
   */
  storeRRset(records: readonly DnsRecord[], source: string, now: number, referral = false): void {
    if (records.length === 0) return;
    const ttl = Math.min(RESOLVER_MAX_TTL, ...records.map((r) => ttlOf(r.ttl)));
    if (ttl === 0) return;
    const { name, type } = records[0];
    if (referral) {
      const held = this.live(keyOf(name, type), now);
      if (held && !held.referral) return;
    }
    // Data for the name proves it exists: a remembered NXDOMAIN for it no longer holds.
    this.drop(keyOf(name, ALL_TYPES));
    this.put({ name, type, kind: 'positive', records: records.map((r) => ({ ...r, ttl })), ttl, storedAt: now, expiresAt: now + ttl * 1000, source, hits: 0, ...(referral ? { referral: true as const } : {}) });
  }

  /**
   * Remembers that `name` does not exist (type omitted) or has no `type` records. The TTL is the
   * lesser of the SOA's own TTL and its MINIMUM field (RFC 2308 §5), capped.
   */
  storeNegative(kind: 'nxdomain' | 'nodata', name: string, type: number, soa: DnsRecord | undefined, source: string, now: number): void {
    if (!soa || soa.data.kind !== 'SOA') return; // without an SOA there is no TTL to keep it for (RFC 2308 §5)
    const ttl = Math.min(RESOLVER_MAX_NEGATIVE_TTL, ttlOf(soa.ttl), soa.data.minimum >>> 0);
    if (ttl === 0) return;
    const keyType = kind === 'nxdomain' ? ALL_TYPES : type;
    this.put({ name, type: keyType, kind, records: [{ ...soa, ttl }], ttl, storedAt: now, expiresAt: now + ttl * 1000, source, hits: 0 });
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.drop(key);
      return undefined;
    }
    return e;
  }

  /**
   * What the cache knows of name/type now; records carry the TTL left (RFC 1035 §4.1.3: the time it
   * may still be cached). Referral data only with `referrals`: it finds servers, it answers no one.
   */
  lookup(name: string, type: number, now: number, countHit = true, referrals = false): CacheLookup | null {
    const e = this.live(keyOf(name, ALL_TYPES), now) ?? this.live(keyOf(name, type), now);
    if (!e || (e.referral && !referrals)) return null;
    if (e.kind === 'nxdomain' && e.type !== ALL_TYPES) return null;
    if (countHit) e.hits++;
    const ttlLeft = secondsLeft(e.expiresAt, now);
    const records = e.records.map((r) => ({ ...r, ttl: ttlLeft }));
    if (e.kind === 'positive') return { kind: 'positive', records, ttlLeft, source: e.source };
    return { kind: e.kind, soa: records, ttlLeft, source: e.source };
  }

  /** Empties the cache, or forgets what it holds for one owner name (every type). Returns how many entries went. */
  flush(name: string | null = null): number {
    if (name === null) {
      const n = this.entries.size;
      this.entries.clear();
      this.records = 0;
      return n;
    }
    const prefix = `${nameKey(name)}|`;
    let n = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) {
        this.drop(key);
        n++;
      }
    }
    return n;
  }

  /** Every live entry, for the cache panel: expired ones are dropped on the way. */
  view(now: number, max = Number.POSITIVE_INFINITY): { entries: CacheEntryView[]; truncated: boolean } {
    const entries: CacheEntryView[] = [];
    let truncated = false;
    for (const [key, e] of [...this.entries]) {
      if (e.expiresAt <= now) {
        this.drop(key);
        continue;
      }
      if (entries.length >= max) {
        truncated = true;
        continue;
      }
      entries.push({
        name: e.name,
        type: e.kind === 'nxdomain' ? '*' : typeName(e.type),
        ttlLeft: secondsLeft(e.expiresAt, now),
        ttlOriginal: e.ttl,
        records: e.kind === 'positive' ? e.records.map((r) => `${typeName(r.type)} ${formatRdata(r.data)}`) : [`SOA ${formatRdata(e.records[0].data)}`],
        kind: e.kind,
        source: e.source,
        hits: e.hits,
      });
    }
    return { entries, truncated };
  }
}
