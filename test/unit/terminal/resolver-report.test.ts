// The local name server as text (src/main/lab/dns/resolver-report.ts), from states built here: the
// summary, the cache table in the hierarchy's order with negative entries in words, the layout at
// each width (side by side, or records stacked under their entry below MIN_COLUMN_CELLS), one
// name's entries, the flush count (also past MAX_RESOLVER_STATE_ENTRIES) and the mode line.

import { describe, expect, test } from 'vitest';
import { MAX_RESOLVER_STATE_ENTRIES, type ResolverCacheEntry, type ResolverState } from '../../../src/shared/dns';
import {
  RESOLVER_MODE_SENTENCE,
  cacheTableLines,
  countFlushed,
  entriesOf,
  entryRecordCells,
  flushLine,
  modeChangeLine,
  resolverReportLines,
  resolverSummaryLines,
  sortedEntries,
} from '../../../src/main/lab/dns/resolver-report';
import { stringWidth } from '../../../src/main/lab/terminal/cell-width';
import { formatCacheHits } from '../../../src/shared/dns';
import { MIN_COLUMN_CELLS } from '../../../src/main/lab/terminal/word-wrap';

function entry(name: string, type: string, records: string[], more: Partial<ResolverCacheEntry> = {}): ResolverCacheEntry {
  return { name, type, ttlLeft: 3599, ttlOriginal: 3600, records, kind: 'positive', source: 'dns.cs.umass.edu', hits: 0, ...more };
}

const GAIA_A = entry('gaia.cs.umass.edu.', 'A', ['A 128.119.245.12'], { hits: 2 });
const EDU_NS = entry('edu.', 'NS', ['NS a.edu-servers.net.'], { ttlLeft: 172_790, ttlOriginal: 172_800, source: 'a.root-servers.net' });
const UMASS_NS = entry('umass.edu.', 'NS', ['NS dns.cs.umass.edu.'], { ttlLeft: 172_790, ttlOriginal: 172_800, source: 'a.edu-servers.net' });
const NOSUCH = entry('nosuch.umass.edu.', '*', ['SOA dns.cs.umass.edu. hostmaster.umass.edu. 2024090101 3600 900 1209600 300'], { kind: 'nxdomain', ttlLeft: 299, ttlOriginal: 300 });
const GAIA_MX = entry('gaia.cs.umass.edu.', 'MX', ['SOA dns.cs.umass.edu. hostmaster.umass.edu. 2024090101 3600 900 1209600 300'], { kind: 'nodata', ttlLeft: 299, ttlOriginal: 300 });
const YAHOO_A = entry('www.yahoo.com.', 'A', ['A 98.137.11.163', 'A 98.137.11.164', 'A 74.6.143.25'], { source: 'ns1.yahoo.com' });

function state(entries: ResolverCacheEntry[], more: Partial<ResolverState> = {}): ResolverState {
  return {
    name: 'dns.poly.edu',
    address: '128.238.29.22',
    port: 10053,
    mode: 'iterative',
    entries,
    truncated: false,
    stats: { queries: 12, cacheHits: 3, upstreamQueries: 20, upstreamFailures: 1 },
    ...more,
  };
}

describe('the summary', () => {
  test('where the server is, its scheme in words, and its statistics', () => {
    expect(resolverSummaryLines(state([]))).toEqual([
      'Local name server: dns.poly.edu (128.238.29.22), lab port 10053 (UDP and TCP)',
      `Mode: iterative (${RESOLVER_MODE_SENTENCE.iterative})`,
      'Client queries: 12; answered from the cache: 3 of 12 (25 %)',
      'Queries upstream: 20; failed (no reply, or a reply not accepted): 1',
    ]);
    expect(resolverSummaryLines(state([], { mode: 'recursive' }))[1]).toBe(`Mode: recursive (${RESOLVER_MODE_SENTENCE.recursive})`);
  });

  test('the cache share before any query is a plain 0, not a division by zero', () => {
    expect(formatCacheHits({ queries: 0, cacheHits: 0 })).toBe('0');
    expect(formatCacheHits({ queries: 3, cacheHits: 1 })).toBe('1 of 3 (33 %)');
  });
});

describe('the cache table', () => {
  test('side by side on a wide terminal, in the hierarchy order, records without their type, absences in words', () => {
    expect(cacheTableLines([NOSUCH, GAIA_A, GAIA_MX, UMASS_NS, EDU_NS], 120)).toEqual([
      'NAME                TYPE  TTL            HITS  SOURCE              RECORDS',
      'edu.                NS    172790/172800  0     a.root-servers.net  a.edu-servers.net.',
      'umass.edu.          NS    172790/172800  0     a.edu-servers.net   dns.cs.umass.edu.',
      'gaia.cs.umass.edu.  A     3599/3600      2     dns.cs.umass.edu    128.119.245.12',
      'gaia.cs.umass.edu.  MX    299/300        0     dns.cs.umass.edu    (no such records)',
      'nosuch.umass.edu.   *     299/300        0     dns.cs.umass.edu    (no such name)',
    ]);
  });

  test('an RRset of several records takes one row per record, under the first', () => {
    const lines = cacheTableLines([YAHOO_A], 100);
    const column = lines[0]!.indexOf('RECORDS');
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^www\.yahoo\.com\. +A +3599\/3600 +0 +ns1\.yahoo\.com +98\.137\.11\.163$/), ' '.repeat(column) + '98.137.11.164', ' '.repeat(column) + '74.6.143.25']);
  });

  test('a long record is word-wrapped inside its column', () => {
    const txt = entry('yahoo.com.', 'TXT', ['TXT "v=spf1 redirect=_spf.mail.yahoo.com" "and a second string long enough to wrap"']);
    const lines = cacheTableLines([txt], 90);
    const column = lines[0]!.indexOf('RECORDS');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(90);
    for (const line of lines.slice(2)) expect(line.slice(0, column).trim()).toBe('');
    expect(lines.slice(1).map((l) => l.slice(column)).join(' ')).toBe('"v=spf1 redirect=_spf.mail.yahoo.com" "and a second string long enough to wrap"');
  });

  test('records go under their entry once the RECORDS column would be narrower than MIN_COLUMN_CELLS', () => {
    const entries = [GAIA_A, YAHOO_A];
    const wide = cacheTableLines(entries, 200);
    const recordsColumn = wide[0]!.indexOf('RECORDS');
    const justWideEnough = cacheTableLines(entries, recordsColumn + MIN_COLUMN_CELLS);
    expect(justWideEnough[0]).toMatch(/RECORDS$/);
    expect(justWideEnough).toEqual(wide);

    const stacked = cacheTableLines(entries, recordsColumn + MIN_COLUMN_CELLS - 1);
    expect(stacked).toEqual([
      'NAME                TYPE  TTL        HITS  SOURCE',
      'www.yahoo.com.      A     3599/3600  0     ns1.yahoo.com',
      '    98.137.11.163',
      '    98.137.11.164',
      '    74.6.143.25',
      'gaia.cs.umass.edu.  A     3599/3600  2     dns.cs.umass.edu',
      '    128.119.245.12',
    ]);
  });

  test('on a terminal narrower than the entry row, rows are wrapped rather than cut by the terminal', () => {
    for (const width of [20, 30, 45]) {
      for (const line of cacheTableLines([GAIA_A, NOSUCH, YAHOO_A], width)) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  test('the hierarchy order compares labels from the root, case-insensitively, then the type', () => {
    const names = sortedEntries([entry('www.ibm.com.', 'A', []), entry('Gaia.CS.umass.edu.', 'MX', []), entry('.', 'NS', []), entry('com.', 'NS', []), entry('gaia.cs.umass.edu.', 'A', []), entry('edu.', 'NS', [])]).map((e) => `${e.name} ${e.type}`);
    expect(names).toEqual(['. NS', 'com. NS', 'www.ibm.com. A', 'edu. NS', 'gaia.cs.umass.edu. A', 'Gaia.CS.umass.edu. MX']);
  });

  test('what the RECORDS column says for each kind of entry', () => {
    expect(entryRecordCells(NOSUCH)).toEqual(['(no such name)']);
    expect(entryRecordCells(GAIA_MX)).toEqual(['(no such records)']);
    expect(entryRecordCells(entry('www.ibm.com.', 'CNAME', ['CNAME servereast.backup2.ibm.com.']))).toEqual(['servereast.backup2.ibm.com.']);
  });
});

describe('resolver show', () => {
  test('the summary, a line on the cache, then the table', () => {
    const lines = resolverReportLines(state([GAIA_A, EDU_NS]), { width: 200 });
    expect(lines.slice(0, 4)).toEqual(resolverSummaryLines(state([])));
    expect(lines[4]).toBe('Cache: 2 entries; TTL is seconds left/stored with');
    expect(lines.slice(5)).toEqual(cacheTableLines([GAIA_A, EDU_NS], 200));
  });

  test('one owner name, typed in any case and without the final dot', () => {
    const s = state([GAIA_A, GAIA_MX, EDU_NS, NOSUCH]);
    expect(entriesOf(s, 'GAIA.cs.umass.edu')).toEqual([GAIA_A, GAIA_MX]);
    const lines = resolverReportLines(s, { width: 200, name: 'gaia.cs.umass.edu.' });
    expect(lines[4]).toBe('Cache: 2 entries for gaia.cs.umass.edu; TTL is seconds left/stored with');
    expect(lines.slice(5)).toEqual(cacheTableLines([GAIA_A, GAIA_MX], 200));
    expect(resolverReportLines(s, { width: 200, name: 'www.ibm.com.' }).slice(4)).toEqual(['The cache holds nothing for www.ibm.com.']);
  });

  test('an empty cache, and one entry', () => {
    expect(resolverReportLines(state([]), { width: 200 }).slice(4)).toEqual(['The cache is empty.']);
    expect(resolverReportLines(state([GAIA_A]), { width: 200 })[4]).toBe('Cache: 1 entry; TTL is seconds left/stored with');
  });

  test('a cache larger than the state lists says so', () => {
    const lines = resolverReportLines(state([GAIA_A], { truncated: true }), { width: 200 });
    expect(lines[4]).toBe(`Cache: 1 entry; TTL is seconds left/stored with (only the first ${MAX_RESOLVER_STATE_ENTRIES} of the cache are listed)`);
  });

  test('every line fits the width, the long summary lines wrapped between words', () => {
    const lines = resolverReportLines(state([GAIA_A, NOSUCH, YAHOO_A, EDU_NS]), { width: 60 });
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    expect(lines.join(' ')).toContain('it asks the root, a TLD server and the authoritative server itself');
  });
});

describe('resolver flush', () => {
  test('counts the entries that went, of one name or of the whole cache', () => {
    const before = state([GAIA_A, GAIA_MX, EDU_NS, NOSUCH]);
    const afterName = state([EDU_NS, NOSUCH]);
    expect(countFlushed(before, afterName, 'gaia.cs.umass.edu.')).toEqual({ count: 2, atLeast: false });
    expect(flushLine(afterName, { count: 2, atLeast: false }, 'gaia.cs.umass.edu.')).toBe("Flushed 2 entries for gaia.cs.umass.edu from dns.poly.edu's cache.");
    expect(countFlushed(before, state([]), null)).toEqual({ count: 4, atLeast: false });
    expect(flushLine(state([]), { count: 4, atLeast: false }, null)).toBe("Flushed 4 entries from dns.poly.edu's cache.");
    expect(flushLine(state([]), { count: 1, atLeast: false }, 'edu.')).toBe("Flushed 1 entry for edu from dns.poly.edu's cache.");
  });

  test('an entry stored again meanwhile under another name is not counted, nor one of another name', () => {
    const before = state([GAIA_A, EDU_NS]);
    const after = state([EDU_NS, UMASS_NS]);
    expect(countFlushed(before, after, null)).toEqual({ count: 1, atLeast: false });
  });

  test('nothing to flush', () => {
    expect(countFlushed(state([]), state([]), null)).toEqual({ count: 0, atLeast: false });
    expect(flushLine(state([]), { count: 0, atLeast: false }, null)).toBe("dns.poly.edu's cache was already empty.");
    expect(flushLine(state([]), { count: 0, atLeast: false }, 'www.ibm.com.')).toBe("dns.poly.edu's cache held nothing for www.ibm.com.");
  });

  test(`past the ${MAX_RESOLVER_STATE_ENTRIES} entries a state lists, the count is a lower bound`, () => {
    const listed = Array.from({ length: MAX_RESOLVER_STATE_ENTRIES }, (_, i) => entry(`host${i}.example.com.`, 'A', [`A 10.0.${i >> 8}.${i & 255}`]));
    const before = state(listed, { truncated: true });
    const flushed = countFlushed(before, state([]), null);
    expect(flushed).toEqual({ count: MAX_RESOLVER_STATE_ENTRIES, atLeast: true });
    expect(flushLine(state([]), flushed, null)).toBe(`Flushed at least ${MAX_RESOLVER_STATE_ENTRIES} entries from dns.poly.edu's cache.`);
    // The name's entries were past the listed ones: how many went is not known.
    const unknown = countFlushed(before, state(listed), 'gaia.cs.umass.edu.');
    expect(unknown).toEqual({ count: 0, atLeast: true });
    expect(flushLine(state(listed), unknown, 'gaia.cs.umass.edu.')).toBe(
      `Flushed the entries for gaia.cs.umass.edu from dns.poly.edu's cache; it lists only its first ${MAX_RESOLVER_STATE_ENTRIES} entries, so how many went is not known.`,
    );
    // One entry fewer than the limit: the state is complete and the count exact.
    const complete = state(listed.slice(1));
    expect(countFlushed(complete, state([]), null)).toEqual({ count: MAX_RESOLVER_STATE_ENTRIES - 1, atLeast: false });
  });
});

describe('resolver mode', () => {
  test('one line on what changes, or that nothing does', () => {
    expect(modeChangeLine(state([]), 'recursive')).toBe(
      `dns.poly.edu now resolves recursively: ${RESOLVER_MODE_SENTENCE.recursive} (names already in its cache are still answered from there until they expire or are flushed).`,
    );
    expect(modeChangeLine(state([], { mode: 'recursive' }), 'iterative')).toMatch(/^dns\.poly\.edu now resolves iteratively: it asks the root, a TLD server/);
    expect(modeChangeLine(state([]), 'iterative')).toBe('dns.poly.edu already resolves iteratively: nothing changes.');
  });
});
