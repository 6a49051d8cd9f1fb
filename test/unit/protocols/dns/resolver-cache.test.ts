// The local resolver's cache (src/protocols/dns/resolver/cache.ts) on an injected clock: TTLs
// counting down, expiry, the caps, negative entries (RFC 2308), flushing, eviction and the view.

import { describe, expect, it } from 'vitest';
import {
  DNS_MAX_TTL,
  type DnsRecord,
  RESOLVER_CACHE_MAX_ENTRIES,
  RESOLVER_CACHE_MAX_RECORDS,
  RESOLVER_MAX_NEGATIVE_TTL,
  RESOLVER_MAX_TTL,
  RR_TYPE,
  ResolverCache,
} from '../../../../src/protocols/dns';

const a = (name: string, address: string, ttl: number): DnsRecord => ({ name, type: RR_TYPE.A, class: 1, ttl, data: { kind: 'A', address } });
const ns = (name: string, host: string, ttl: number): DnsRecord => ({ name, type: RR_TYPE.NS, class: 1, ttl, data: { kind: 'NS', host } });
const soa = (zone: string, ttl: number, minimum: number): DnsRecord => ({
  name: zone,
  type: RR_TYPE.SOA,
  class: 1,
  ttl,
  data: { kind: 'SOA', mname: `dns.${zone}`, rname: `hostmaster.${zone}`, serial: 2024090101, refresh: 3600, retry: 900, expire: 1209600, minimum },
});

const T0 = 1_700_000_000_000;
const GAIA = 'gaia.cs.umass.edu.';

describe('ResolverCache: positive RRsets', () => {
  it('hands an RRset out with its TTL counted down on the clock, and forgets it when the TTL runs out', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '128.119.245.12', 3600)], 'dns.cs.umass.edu', T0);

    const fresh = cache.lookup(GAIA, RR_TYPE.A, T0);
    expect(fresh).toMatchObject({ kind: 'positive', ttlLeft: 3600, source: 'dns.cs.umass.edu' });
    expect(fresh?.kind === 'positive' && fresh.records.map((r) => [r.name, r.ttl, r.data])).toEqual([[GAIA, 3600, { kind: 'A', address: '128.119.245.12' }]]);

    const later = cache.lookup(GAIA, RR_TYPE.A, T0 + 100_500);
    expect(later?.ttlLeft).toBe(3499); // 100.5 s gone: whole seconds left, rounded down
    expect(later?.kind === 'positive' && later.records[0].ttl).toBe(3499);

    expect(cache.lookup(GAIA, RR_TYPE.A, T0 + 3_599_999)?.ttlLeft).toBe(0);
    expect(cache.lookup(GAIA, RR_TYPE.A, T0 + 3_600_000)).toBeNull();
    expect(cache.size).toBe(0); // the expired entry is gone, not just hidden
  });

  it('keys by name (case-insensitively, with or without the final dot) and type', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '128.119.245.12', 60)], 's', T0);
    expect(cache.lookup('GAIA.cs.UMass.edu', RR_TYPE.A, T0)?.kind).toBe('positive');
    expect(cache.lookup(GAIA, RR_TYPE.AAAA, T0)).toBeNull();
    expect(cache.lookup('cs.umass.edu.', RR_TYPE.A, T0)).toBeNull();
  });

  it('gives a whole RRset the lowest TTL of its records (RFC 2181 §5.2)', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a('www.yahoo.com.', '1.1.1.1', 300), a('www.yahoo.com.', '1.1.1.2', 60), a('www.yahoo.com.', '1.1.1.3', 600)], 'ns1.yahoo.com', T0);
    const hit = cache.lookup('www.yahoo.com.', RR_TYPE.A, T0);
    expect(hit?.ttlLeft).toBe(60);
    expect(hit?.kind === 'positive' && hit.records.map((r) => r.ttl)).toEqual([60, 60, 60]);
    expect(cache.lookup('www.yahoo.com.', RR_TYPE.A, T0 + 60_000)).toBeNull();
  });

  it('does not keep an RRset with TTL 0: it may be used once, never cached (RFC 1035 §3.2.1)', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '128.119.245.12', 0)], 's', T0);
    cache.storeRRset([a('x.example.', '1.2.3.4', 0), a('x.example.', '1.2.3.5', 3600)], 's', T0);
    cache.storeRRset([], 's', T0);
    expect(cache.size).toBe(0);
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)).toBeNull();
  });

  it('reads a TTL with the top bit set as 0 (RFC 2181 §8), so it is not kept', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '128.119.245.12', DNS_MAX_TTL + 1)], 's', T0);
    expect(cache.size).toBe(0);
    cache.storeRRset([a(GAIA, '128.119.245.12', 0xffffffff)], 's', T0);
    expect(cache.size).toBe(0);
  });

  it('caps a TTL at RESOLVER_MAX_TTL (one week): one second over is cut, the cap itself kept', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a('long.example.', '1.2.3.4', RESOLVER_MAX_TTL + 1)], 's', T0);
    cache.storeRRset([a('exact.example.', '1.2.3.4', RESOLVER_MAX_TTL)], 's', T0);
    cache.storeRRset([a('max.example.', '1.2.3.4', DNS_MAX_TTL)], 's', T0);
    expect(cache.lookup('long.example.', RR_TYPE.A, T0)?.ttlLeft).toBe(RESOLVER_MAX_TTL);
    expect(cache.lookup('exact.example.', RR_TYPE.A, T0)?.ttlLeft).toBe(RESOLVER_MAX_TTL);
    expect(cache.lookup('max.example.', RR_TYPE.A, T0)?.ttlLeft).toBe(RESOLVER_MAX_TTL);
    expect(cache.lookup('long.example.', RR_TYPE.A, T0 + RESOLVER_MAX_TTL * 1000)).toBeNull();
  });

  it('replaces an RRset stored again (the newer data wins, TTL restarts)', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '10.0.0.1', 60)], 'old', T0);
    cache.storeRRset([a(GAIA, '128.119.245.12', 3600)], 'new', T0 + 30_000);
    const hit = cache.lookup(GAIA, RR_TYPE.A, T0 + 30_000);
    expect(hit).toMatchObject({ kind: 'positive', ttlLeft: 3600, source: 'new' });
    expect(hit?.kind === 'positive' && hit.records.map((r) => r.data)).toEqual([{ kind: 'A', address: '128.119.245.12' }]);
    expect(cache.size).toBe(1);
  });

  it('does not let a caller change what it stored or what it was handed', () => {
    const cache = new ResolverCache();
    const record = a(GAIA, '128.119.245.12', 3600);
    cache.storeRRset([record], 's', T0);
    record.ttl = 1;
    const first = cache.lookup(GAIA, RR_TYPE.A, T0);
    if (first?.kind === 'positive') first.records[0].ttl = 5;
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)).toMatchObject({ kind: 'positive', ttlLeft: 3600, records: [{ ttl: 3600 }] });
  });
});

describe('ResolverCache: referral data (RFC 2181 §5.4.1)', () => {
  it('keeps a referral\'s NS and glue for finding servers, never as an answer', () => {
    const cache = new ResolverCache();
    cache.storeRRset([ns('umass.edu.', 'dns.cs.umass.edu.', 172800)], 'a.edu-servers.net', T0, true);
    cache.storeRRset([a('dns.cs.umass.edu.', '128.119.240.1', 172800)], 'a.edu-servers.net', T0, true);
    expect(cache.lookup('umass.edu.', RR_TYPE.NS, T0)).toBeNull();
    expect(cache.lookup('dns.cs.umass.edu.', RR_TYPE.A, T0)).toBeNull();
    expect(cache.lookup('umass.edu.', RR_TYPE.NS, T0, false, true)).toMatchObject({ kind: 'positive', ttlLeft: 172800 });
    expect(cache.lookup('dns.cs.umass.edu.', RR_TYPE.A, T0, false, true)).toMatchObject({ kind: 'positive', source: 'a.edu-servers.net' });
  });

  it('a zone\'s own answer replaces referral data; referral data never replaces an answer', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a('dns.cs.umass.edu.', '128.119.240.1', 172800)], 'a.edu-servers.net', T0, true);
    cache.storeRRset([a('dns.cs.umass.edu.', '128.119.240.1', 3600)], 'dns.cs.umass.edu', T0);
    expect(cache.lookup('dns.cs.umass.edu.', RR_TYPE.A, T0)).toMatchObject({ kind: 'positive', ttlLeft: 3600, source: 'dns.cs.umass.edu' });
    cache.storeRRset([a('dns.cs.umass.edu.', '10.6.6.6', 172800)], 'a.edu-servers.net', T0 + 1000, true);
    const held = cache.lookup('dns.cs.umass.edu.', RR_TYPE.A, T0 + 1000);
    expect(held).toMatchObject({ source: 'dns.cs.umass.edu', records: [{ data: { address: '128.119.240.1' } }] });
    // Once the answer has expired, a referral may bring the address again.
    cache.storeRRset([a('dns.cs.umass.edu.', '128.119.240.1', 172800)], 'a.edu-servers.net', T0 + 3_600_000, true);
    expect(cache.lookup('dns.cs.umass.edu.', RR_TYPE.A, T0 + 3_600_000, false, true)).toMatchObject({ source: 'a.edu-servers.net' });
  });
});

describe('ResolverCache: negative entries (RFC 2308)', () => {
  it('remembers NXDOMAIN for every type of the name, for min(SOA TTL, SOA MINIMUM) (§5)', () => {
    const cache = new ResolverCache();
    // The SOA's own TTL is the smaller one here ...
    cache.storeNegative('nxdomain', 'nosuch.umass.edu.', RR_TYPE.A, soa('umass.edu.', 120, 300), 'dns.cs.umass.edu', T0);
    for (const type of [RR_TYPE.A, RR_TYPE.AAAA, RR_TYPE.MX, RR_TYPE.TXT, RR_TYPE.CNAME]) {
      const hit = cache.lookup('nosuch.umass.edu.', type, T0);
      expect(hit).toMatchObject({ kind: 'nxdomain', ttlLeft: 120, source: 'dns.cs.umass.edu' });
      expect(hit?.kind === 'nxdomain' && hit.soa.map((r) => [r.name, r.type, r.ttl])).toEqual([['umass.edu.', RR_TYPE.SOA, 120]]);
    }
    expect(cache.lookup('nosuch.umass.edu.', RR_TYPE.A, T0 + 120_000)).toBeNull();

    // ... and here the MINIMUM field is.
    cache.storeNegative('nxdomain', 'gone.umass.edu.', RR_TYPE.A, soa('umass.edu.', 3600, 300), 's', T0);
    expect(cache.lookup('gone.umass.edu.', RR_TYPE.MX, T0)?.ttlLeft).toBe(300);
    expect(cache.lookup('gone.umass.edu.', RR_TYPE.MX, T0 + 299_000)?.ttlLeft).toBe(1);
    expect(cache.lookup('gone.umass.edu.', RR_TYPE.MX, T0 + 300_000)).toBeNull();
  });

  it('remembers NODATA for the one type asked, not for the name\'s other types', () => {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '128.119.245.12', 3600)], 's', T0);
    cache.storeNegative('nodata', GAIA, RR_TYPE.AAAA, soa('cs.umass.edu.', 3600, 300), 'dns.cs.umass.edu', T0);
    expect(cache.lookup(GAIA, RR_TYPE.AAAA, T0)).toMatchObject({ kind: 'nodata', ttlLeft: 300 });
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)?.kind).toBe('positive');
    expect(cache.lookup(GAIA, RR_TYPE.MX, T0)).toBeNull();
  });

  it('caps a negative TTL at RESOLVER_MAX_NEGATIVE_TTL (3 hours): one second over is cut', () => {
    const cache = new ResolverCache();
    const over = RESOLVER_MAX_NEGATIVE_TTL + 1;
    cache.storeNegative('nxdomain', 'nosuch.example.', RR_TYPE.A, soa('example.', over, over), 's', T0);
    cache.storeNegative('nodata', 'host.example.', RR_TYPE.AAAA, soa('example.', RESOLVER_MAX_NEGATIVE_TTL, 86400), 's', T0);
    expect(cache.lookup('nosuch.example.', RR_TYPE.A, T0)?.ttlLeft).toBe(RESOLVER_MAX_NEGATIVE_TTL);
    expect(cache.lookup('host.example.', RR_TYPE.AAAA, T0)?.ttlLeft).toBe(RESOLVER_MAX_NEGATIVE_TTL);
    expect(cache.lookup('nosuch.example.', RR_TYPE.A, T0 + RESOLVER_MAX_NEGATIVE_TTL * 1000)).toBeNull();
  });

  it('keeps nothing without an SOA, or with a negative TTL of 0', () => {
    const cache = new ResolverCache();
    cache.storeNegative('nxdomain', 'a.example.', RR_TYPE.A, undefined, 's', T0);
    cache.storeNegative('nxdomain', 'b.example.', RR_TYPE.A, a('example.', '1.2.3.4', 300), 's', T0);
    cache.storeNegative('nxdomain', 'c.example.', RR_TYPE.A, soa('example.', 0, 300), 's', T0);
    cache.storeNegative('nodata', 'd.example.', RR_TYPE.A, soa('example.', 300, 0), 's', T0);
    expect(cache.size).toBe(0);
  });

  it('a NODATA for an ANY query does not stand for the name\'s other types', () => {
    const cache = new ResolverCache();
    cache.storeNegative('nodata', 'backup2.ibm.com.', RR_TYPE.ANY, soa('ibm.com.', 3600, 300), 's', T0);
    expect(cache.lookup('backup2.ibm.com.', RR_TYPE.ANY, T0)?.kind).toBe('nodata');
    expect(cache.lookup('backup2.ibm.com.', RR_TYPE.A, T0)).toBeNull();
  });

  it('an RRset stored for a name remembered as NXDOMAIN ends that memory; a positive answer gives way to a later NXDOMAIN', () => {
    const cache = new ResolverCache();
    cache.storeNegative('nxdomain', 'new.umass.edu.', RR_TYPE.A, soa('umass.edu.', 3600, 300), 's', T0);
    cache.storeRRset([a('new.umass.edu.', '128.119.1.1', 3600)], 's', T0 + 1000);
    expect(cache.lookup('new.umass.edu.', RR_TYPE.A, T0 + 1000)?.kind).toBe('positive');
    expect(cache.lookup('new.umass.edu.', RR_TYPE.MX, T0 + 1000)).toBeNull();

    cache.storeNegative('nxdomain', 'new.umass.edu.', RR_TYPE.A, soa('umass.edu.', 3600, 300), 's', T0 + 2000);
    expect(cache.lookup('new.umass.edu.', RR_TYPE.A, T0 + 2000)?.kind).toBe('nxdomain');
  });
});

describe('ResolverCache: flush, eviction, view', () => {
  function filled(): ResolverCache {
    const cache = new ResolverCache();
    cache.storeRRset([a(GAIA, '128.119.245.12', 3600)], 's', T0);
    cache.storeRRset([a('www.umass.edu.', '128.119.8.148', 3600)], 's', T0);
    cache.storeRRset([ns('umass.edu.', 'dns.cs.umass.edu.', 172800)], 'a.edu-servers.net', T0);
    cache.storeNegative('nodata', GAIA, RR_TYPE.AAAA, soa('cs.umass.edu.', 3600, 300), 's', T0);
    cache.storeNegative('nxdomain', 'nosuch.umass.edu.', RR_TYPE.A, soa('umass.edu.', 3600, 300), 's', T0);
    return cache;
  }

  it('flush(null) empties the cache and says how many entries went', () => {
    const cache = filled();
    expect(cache.flush(null)).toBe(5);
    expect(cache.size).toBe(0);
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)).toBeNull();
    expect(cache.flush()).toBe(0);
  });

  it('flush(name) forgets every type of that one name (written any way), nothing above or below it', () => {
    const cache = filled();
    cache.storeRRset([a('cs.umass.edu.', '128.119.240.1', 3600)], 's', T0);
    expect(cache.flush('GAIA.cs.umass.edu')).toBe(2); // the A and the AAAA NODATA
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)).toBeNull();
    expect(cache.lookup(GAIA, RR_TYPE.AAAA, T0)).toBeNull();
    expect(cache.lookup('cs.umass.edu.', RR_TYPE.A, T0)?.kind).toBe('positive');
    expect(cache.lookup('www.umass.edu.', RR_TYPE.A, T0)?.kind).toBe('positive');
    expect(cache.flush('nosuch.umass.edu.')).toBe(1);
    expect(cache.lookup('nosuch.umass.edu.', RR_TYPE.A, T0)).toBeNull();
    expect(cache.flush('never.cached.example.')).toBe(0);
  });

  it('past maxEntries drops the least recently stored entry first', () => {
    const cache = new ResolverCache(3);
    for (let i = 1; i <= 3; i++) cache.storeRRset([a(`h${i}.example.`, `10.0.0.${i}`, 3600)], 's', T0);
    expect(cache.size).toBe(3);
    cache.storeRRset([a('h1.example.', '10.0.0.1', 3600)], 's', T0 + 1); // h1 stored again: now the newest
    cache.storeRRset([a('h4.example.', '10.0.0.4', 3600)], 's', T0 + 2); // one over: h2 goes
    expect(cache.size).toBe(3);
    expect(cache.lookup('h2.example.', RR_TYPE.A, T0 + 2)).toBeNull();
    for (const h of ['h1', 'h3', 'h4']) expect(cache.lookup(`${h}.example.`, RR_TYPE.A, T0 + 2)?.kind).toBe('positive');
    cache.storeNegative('nxdomain', 'h5.example.', RR_TYPE.A, soa('example.', 300, 300), 's', T0 + 3); // negative entries count too
    expect(cache.size).toBe(3);
    expect(cache.lookup('h3.example.', RR_TYPE.A, T0 + 3)).toBeNull();
  });

  it('holds RESOLVER_CACHE_MAX_ENTRIES by default, and no more', () => {
    const cache = new ResolverCache();
    for (let i = 0; i <= RESOLVER_CACHE_MAX_ENTRIES; i++) cache.storeRRset([a(`h${i}.example.`, '10.0.0.1', 3600)], 's', T0);
    expect(cache.size).toBe(RESOLVER_CACHE_MAX_ENTRIES);
    expect(cache.lookup('h0.example.', RR_TYPE.A, T0)).toBeNull();
    expect(cache.lookup(`h${RESOLVER_CACHE_MAX_ENTRIES}.example.`, RR_TYPE.A, T0)?.kind).toBe('positive');
  });

  it('holds at most maxRecords records in all, evicting the oldest entries, but always the newest RRset', () => {
    const cache = new ResolverCache(100, 5);
    const set = (name: string, n: number) => Array.from({ length: n }, (_, i) => a(name, `10.0.0.${i + 1}`, 3600));
    cache.storeRRset(set('a.example.', 2), 's', T0);
    cache.storeRRset(set('b.example.', 2), 's', T0);
    expect(cache.recordCount).toBe(4);
    cache.storeRRset(set('c.example.', 2), 's', T0); // 6 > 5: a goes
    expect(cache.recordCount).toBe(4);
    expect(cache.lookup('a.example.', RR_TYPE.A, T0)).toBeNull();
    expect(cache.lookup('b.example.', RR_TYPE.A, T0)?.kind).toBe('positive');
    // Replacing an RRset counts its records once; a flush gives them back.
    cache.storeRRset(set('b.example.', 3), 's', T0);
    expect(cache.recordCount).toBe(5);
    expect(cache.flush('b.example.')).toBe(1);
    expect(cache.recordCount).toBe(2);
    // One RRset larger than the bound is still kept, alone: the answer being resolved needs it.
    cache.storeRRset(set('big.example.', 9), 's', T0);
    expect(cache.size).toBe(1);
    expect(cache.recordCount).toBe(9);
    cache.flush(null);
    expect(cache.recordCount).toBe(0);
  });

  it(`holds RESOLVER_CACHE_MAX_RECORDS (${RESOLVER_CACHE_MAX_RECORDS}) records by default`, () => {
    const cache = new ResolverCache();
    const perSet = 100;
    const sets = RESOLVER_CACHE_MAX_RECORDS / perSet;
    for (let i = 0; i <= sets; i++) cache.storeRRset(Array.from({ length: perSet }, (_, j) => a(`h${i}.example.`, `10.0.${j >> 8}.${j & 255}`, 3600)), 's', T0);
    expect(cache.recordCount).toBe(RESOLVER_CACHE_MAX_RECORDS);
    expect(cache.lookup('h0.example.', RR_TYPE.A, T0)).toBeNull();
  });

  it('view() lists live entries with TTL left and original, records in presentation form, kind, source and hits', () => {
    const cache = filled();
    cache.lookup(GAIA, RR_TYPE.A, T0 + 1000);
    cache.lookup(GAIA, RR_TYPE.A, T0 + 2000);
    cache.lookup('nosuch.umass.edu.', RR_TYPE.MX, T0 + 2000);
    cache.lookup(GAIA, RR_TYPE.A, T0 + 2000, false); // the resolver's own peeks do not count
    const { entries, truncated } = cache.view(T0 + 10_000);
    expect(truncated).toBe(false);
    expect(entries).toEqual([
      { name: GAIA, type: 'A', ttlLeft: 3590, ttlOriginal: 3600, records: ['A 128.119.245.12'], kind: 'positive', source: 's', hits: 2 },
      { name: 'www.umass.edu.', type: 'A', ttlLeft: 3590, ttlOriginal: 3600, records: ['A 128.119.8.148'], kind: 'positive', source: 's', hits: 0 },
      { name: 'umass.edu.', type: 'NS', ttlLeft: 172790, ttlOriginal: 172800, records: ['NS dns.cs.umass.edu.'], kind: 'positive', source: 'a.edu-servers.net', hits: 0 },
      { name: GAIA, type: 'AAAA', ttlLeft: 290, ttlOriginal: 300, records: [expect.stringMatching(/^SOA dns\.cs\.umass\.edu\. hostmaster\.cs\.umass\.edu\. 2024090101 /)], kind: 'nodata', source: 's', hits: 0 },
      { name: 'nosuch.umass.edu.', type: '*', ttlLeft: 290, ttlOriginal: 300, records: [expect.stringMatching(/^SOA dns\.umass\.edu\. /)], kind: 'nxdomain', source: 's', hits: 1 },
    ]);
  });

  it('view() drops expired entries on the way and marks a list cut at max as truncated', () => {
    const cache = filled();
    const afterNegatives = cache.view(T0 + 300_000);
    expect(afterNegatives.entries.map((e) => e.kind)).toEqual(['positive', 'positive', 'positive']);
    expect(cache.size).toBe(3);
    const cut = cache.view(T0 + 300_000, 2);
    expect(cut.entries).toHaveLength(2);
    expect(cut.truncated).toBe(true);
    expect(cache.view(T0 + 300_000, 3).truncated).toBe(false);
    expect(cache.view(T0 + 3_600_000).entries.map((e) => e.name)).toEqual(['umass.edu.']);
  });
});
