import { describe, expect, it } from 'vitest';
import { type ResolverCacheEntry, formatCacheHits } from '../../../src/shared/dns';
import { DNS_MAX_NAME } from '../../../src/protocols/dns/limits';
import {
  RESOLVER_MODE_TEXT,
  checkFlushName,
  describeTtl,
  entryCountsByName,
  entryRecordsText,
  entryRecordsTitle,
  formatTtl,
  msUntilFirstExpiry,
  sortedCacheEntries,
  ttlAt,
} from '../../../src/renderer/lib/dns-cache-view';
import {
  DETAILS_BESIDE_DNS_MIN_PX,
  DNS_PANEL_DEFAULT_WIDTH_PX,
  DNS_PANEL_MAX_SHARE,
  DNS_PANEL_MIN_WIDTH_PX,
  TERMINAL_COMFORT_PX,
  clampDnsPanelWidth,
  detailsWidthBesideDnsPanel,
  sidePanelsOnDnsClose,
  sidePanelsOnDnsOpen,
} from '../../../src/renderer/lib/dns-panel-layout';
import { DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX } from '../../../src/renderer/lib/split';

function entry(name: string, type: string, ttlLeft: number, extra: Partial<ResolverCacheEntry> = {}): ResolverCacheEntry {
  return { name, type, ttlLeft, ttlOriginal: 3600, records: [`${type} x`], kind: 'positive', source: 'dns.cs.umass.edu', hits: 0, ...extra };
}

describe('TTL countdown', () => {
  const t0 = 1_700_000_000_000;

  it('counts whole seconds down from the TTL the state carried when it arrived', () => {
    expect(ttlAt(3600, t0, t0)).toBe(3600);
    expect(ttlAt(3600, t0, t0 + 999)).toBe(3600);
    expect(ttlAt(3600, t0, t0 + 1000)).toBe(3599);
    expect(ttlAt(3600, t0, t0 + 61_500)).toBe(3539);
  });

  it('stops at 0 and never goes back up for a clock that went backwards', () => {
    expect(ttlAt(5, t0, t0 + 5000)).toBe(0);
    expect(ttlAt(5, t0, t0 + 60_000)).toBe(0);
    expect(ttlAt(5, t0, t0 - 10_000)).toBe(5);
    expect(ttlAt(0, t0, t0)).toBe(0);
    expect(ttlAt(-3, t0, t0)).toBe(0);
    expect(ttlAt(Number.NaN, t0, t0)).toBe(0);
  });

  it('knows when the first entry runs out, ignoring those already at 0', () => {
    expect(msUntilFirstExpiry([], t0, t0)).toBeNull();
    expect(msUntilFirstExpiry([{ ttlLeft: 0 }], t0, t0)).toBeNull();
    expect(msUntilFirstExpiry([{ ttlLeft: 300 }, { ttlLeft: 5 }, { ttlLeft: 0 }], t0, t0 + 2000)).toBe(3000);
    expect(msUntilFirstExpiry([{ ttlLeft: 5 }], t0, t0 + 9000)).toBe(0);
  });

  it('reads as dig prints it, with words in the tooltip', () => {
    expect(formatTtl(3599)).toBe('3599');
    expect(formatTtl(0)).toBe('expired');
    expect(describeTtl(3599)).toBe('59 min 59 s');
    expect(describeTtl(0)).toContain('expired');
  });
});

describe('cache rows', () => {
  it('say what a negative entry remembers (RFC 2308)', () => {
    const nx = entry('nope.umass.edu.', '*', 10, { kind: 'nxdomain', records: [] });
    const nodata = entry('gaia.cs.umass.edu.', 'MX', 10, { kind: 'nodata', records: [] });
    expect(entryRecordsText(nx)).toBe('NXDOMAIN');
    expect(entryRecordsTitle(nx)).toContain('nope.umass.edu. does not exist');
    expect(entryRecordsText(nodata)).toBe('NODATA');
    expect(entryRecordsTitle(nodata)).toContain('has no MX record');
    const ns = entry('umass.edu.', 'NS', 10, { records: ['NS dns.cs.umass.edu.', 'NS ns2.umass.edu.'] });
    expect(entryRecordsText(ns)).toBe('NS dns.cs.umass.edu., NS ns2.umass.edu.');
    expect(entryRecordsTitle(ns)).toBe('NS dns.cs.umass.edu.\nNS ns2.umass.edu.');
  });

  it('follow the hierarchy: a zone, then the names below it, then by type', () => {
    const sorted = sortedCacheEntries([
      entry('gaia.cs.umass.edu.', 'A', 1),
      entry('edu.', 'NS', 1),
      entry('cs.umass.edu.', 'NS', 1),
      entry('gaia.cs.umass.edu.', 'AAAA', 1),
      entry('com.', 'NS', 1),
      entry('umass.edu.', 'NS', 1),
      entry('.', 'NS', 1),
      entry('Umass.EDU.', 'A', 1),
    ]);
    expect(sorted.map((e) => `${e.name} ${e.type}`)).toEqual([
      '. NS',
      'com. NS',
      'edu. NS',
      'Umass.EDU. A',
      'umass.edu. NS',
      'cs.umass.edu. NS',
      'gaia.cs.umass.edu. A',
      'gaia.cs.umass.edu. AAAA',
    ]);
    // The top label decides first, whatever the letters below it.
    expect(sortedCacheEntries([entry('a.edu.', 'A', 1), entry('b.com.', 'A', 1)]).map((e) => e.name)).toEqual(['b.com.', 'a.edu.']);
  });

  it('can be filtered by part of the name, case-insensitively', () => {
    const all = [entry('gaia.cs.umass.edu.', 'A', 1), entry('www.ibm.com.', 'CNAME', 1), entry('edu.', 'NS', 1)];
    expect(sortedCacheEntries(all, ' UMASS ').map((e) => e.name)).toEqual(['gaia.cs.umass.edu.']);
    expect(sortedCacheEntries(all, '')).toHaveLength(3);
    expect(sortedCacheEntries(all, 'nothing')).toEqual([]);
  });

  it('count the entries of each owner name, whatever its case', () => {
    const counts = entryCountsByName([entry('gaia.cs.umass.edu.', 'A', 1), entry('GAIA.cs.umass.edu', 'AAAA', 1), entry('edu.', 'NS', 1)]);
    expect(counts.get('gaia.cs.umass.edu.')).toBe(2);
    expect(counts.get('edu.')).toBe(1);
  });
});

describe('statistics and the mode switch', () => {
  it('give the share answered from the cache', () => {
    expect(formatCacheHits({ queries: 0, cacheHits: 0 })).toBe('0');
    expect(formatCacheHits({ queries: 3, cacheHits: 1 })).toBe('1 of 3 (33 %)');
    expect(formatCacheHits({ queries: 4, cacheHits: 4 })).toBe('4 of 4 (100 %)');
  });

  it('explain each scheme in one sentence', () => {
    for (const mode of ['iterative', 'recursive'] as const) {
      const text = RESOLVER_MODE_TEXT[mode].sentence;
      expect(text.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 1)).toHaveLength(1);
    }
    expect(RESOLVER_MODE_TEXT.recursive.sentence).toContain('on its behalf');
  });
});

describe('flushing one name', () => {
  it('accepts a DNS name and makes it absolute', () => {
    expect(checkFlushName('  gaia.cs.umass.edu ')).toEqual({ ok: true, name: 'gaia.cs.umass.edu.' });
    expect(checkFlushName('edu.')).toEqual({ ok: true, name: 'edu.' });
  });

  it('refuses an empty name, a bad label and a name over 255 octets (RFC 1035 §2.3.4)', () => {
    expect(checkFlushName('   ')).toMatchObject({ ok: false });
    expect(checkFlushName('a..b')).toMatchObject({ ok: false, error: expect.stringContaining('empty label') });
    expect(checkFlushName(`${'x'.repeat(64)}.edu`)).toMatchObject({ ok: false, error: expect.stringContaining('63') });
    // 4 labels of 63 octets: 4 * 64 + 1 = 257 octets in wire form, 2 over DNS_MAX_NAME.
    const tooLong = Array.from({ length: 4 }, () => 'y'.repeat(63)).join('.');
    expect(checkFlushName(tooLong)).toMatchObject({ ok: false, error: expect.stringContaining(String(DNS_MAX_NAME)) });
    // One octet shorter on each of two labels fits exactly: 255.
    const fits = ['y'.repeat(63), 'y'.repeat(63), 'y'.repeat(63), 'y'.repeat(61)].join('.');
    expect(checkFlushName(fits)).toMatchObject({ ok: true });
  });
});

describe('the panel width', () => {
  it('stays between the minimum and its share of the window', () => {
    expect(clampDnsPanelWidth(DNS_PANEL_DEFAULT_WIDTH_PX, 1440)).toBe(DNS_PANEL_DEFAULT_WIDTH_PX);
    expect(clampDnsPanelWidth(100, 1440)).toBe(DNS_PANEL_MIN_WIDTH_PX);
    expect(clampDnsPanelWidth(5000, 1440)).toBe(Math.floor(1440 * DNS_PANEL_MAX_SHARE));
    // A window too small for the share still gets the minimum.
    expect(clampDnsPanelWidth(5000, 400)).toBe(DNS_PANEL_MIN_WIDTH_PX);
    expect(clampDnsPanelWidth(Number.NaN, 1440)).toBe(DNS_PANEL_DEFAULT_WIDTH_PX);
  });
});

describe('the window around the DNS panel', () => {
  it('gives the terminal about 80 columns beside the panel on a 1440 px window, the details what is left above a floor', () => {
    const main = 1440 - DNS_PANEL_DEFAULT_WIDTH_PX;
    const details = detailsWidthBesideDnsPanel(main, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX);
    expect(details).toBeGreaterThanOrEqual(DETAILS_BESIDE_DNS_MIN_PX);
    const terminal = main - SPLITTER_PX - details;
    expect(terminal).toBeGreaterThanOrEqual(TERMINAL_COMFORT_PX - 10);
    // 80 columns of 7.83 px (DejaVu Sans Mono at 13 px) and the terminal's padding and scrollbar.
    expect(Math.floor((terminal - 32) / 7.83)).toBeGreaterThanOrEqual(79);
  });

  it('keeps the usual details width on a wide window and never goes under the floor on a narrow one', () => {
    expect(detailsWidthBesideDnsPanel(2400, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX)).toBe(DETAILS_DEFAULT_WIDTH_PX);
    // Exactly at the edge: room for both at their widths.
    const edge = TERMINAL_COMFORT_PX + SPLITTER_PX + DETAILS_DEFAULT_WIDTH_PX;
    expect(detailsWidthBesideDnsPanel(edge, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX)).toBe(DETAILS_DEFAULT_WIDTH_PX);
    expect(detailsWidthBesideDnsPanel(edge - 1, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX)).toBe(DETAILS_DEFAULT_WIDTH_PX - 1);
    expect(detailsWidthBesideDnsPanel(600, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX)).toBe(DETAILS_BESIDE_DNS_MIN_PX);
    // Not measured yet (first paint): the usual width.
    expect(detailsWidthBesideDnsPanel(0, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX)).toBe(DETAILS_DEFAULT_WIDTH_PX);
    // A default below the floor is kept as it is.
    expect(detailsWidthBesideDnsPanel(600, 200, SPLITTER_PX)).toBe(200);
  });

  it('puts the servers and web cache panels away while it is open and brings back what was shown', () => {
    const opened = sidePanelsOnDnsOpen({ servers: true, webCache: false });
    expect(opened.shown).toEqual({ servers: false, webCache: false });
    expect(sidePanelsOnDnsClose(opened.shown, opened.remembered)).toEqual({ servers: true, webCache: false });
    const both = sidePanelsOnDnsOpen({ servers: true, webCache: true });
    expect(sidePanelsOnDnsClose(both.shown, both.remembered)).toEqual({ servers: true, webCache: true });
    // One the student opened while the DNS panel was open stays open.
    const none = sidePanelsOnDnsOpen({ servers: false, webCache: false });
    expect(sidePanelsOnDnsClose({ servers: false, webCache: true }, none.remembered)).toEqual({ servers: false, webCache: true });
    expect(sidePanelsOnDnsClose({ servers: true, webCache: false }, null)).toEqual({ servers: true, webCache: false });
  });
});
