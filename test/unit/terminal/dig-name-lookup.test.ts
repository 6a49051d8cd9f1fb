// The line `open` and `http` show before they connect to a name: what the lab resolver answered,
// from its cache or not, through CNAMEs, and when the lab's host list had to answer instead.

import { describe, expect, test } from 'vitest';
import { describeNameLookup, nameLookupOf } from '../../../src/main/lab/terminal/commands/name-lookup';
import type { NameLookup } from '../../../src/main/lab/terminal/types';

const base: NameLookup = { name: 'gaia.cs.umass.edu', server: 'dns.poly.edu', aliases: [], address: '128.119.245.12', addressCount: 1, source: 'dns', rttMs: 2.04 };

describe('the name lookup line', () => {
  test('asked the resolver', () => {
    expect(describeNameLookup(base)).toBe(';; gaia.cs.umass.edu -> 128.119.245.12 (asked dns.poly.edu, 2.0 ms)');
    expect(describeNameLookup({ ...base, rttMs: 12.6 })).toBe(';; gaia.cs.umass.edu -> 128.119.245.12 (asked dns.poly.edu, 13 ms)');
  });

  test("from the resolver's cache", () => {
    expect(describeNameLookup({ ...base, source: 'cache' })).toBe(";; gaia.cs.umass.edu -> 128.119.245.12 (from dns.poly.edu's cache)");
  });

  test('through aliases, and one of several addresses', () => {
    expect(describeNameLookup({ ...base, name: 'www.ibm.com', aliases: ['servereast.backup2.ibm.com'], address: '129.42.38.10', rttMs: 3 })).toBe(';; www.ibm.com -> servereast.backup2.ibm.com -> 129.42.38.10 (asked dns.poly.edu, 3.0 ms)');
    expect(describeNameLookup({ ...base, name: 'www.yahoo.com', address: '98.137.11.163', addressCount: 4, source: 'cache' })).toBe(";; www.yahoo.com -> 98.137.11.163 (1 of 4 addresses; from dns.poly.edu's cache)");
  });

  test("from the lab's host list when DNS gave no address", () => {
    expect(describeNameLookup({ name: 'gaia.cs.umass.edu', server: 'dns.poly.edu', aliases: [], address: '128.119.245.12', source: 'world', problem: 'dns.poly.edu is stopped' })).toBe(
      ";; gaia.cs.umass.edu -> 128.119.245.12 (from the lab's host list: dns.poly.edu is stopped)",
    );
  });

  test('no address anywhere', () => {
    expect(describeNameLookup({ name: 'nosuch.example', server: 'dns.poly.edu', aliases: [], source: 'world', problem: 'dns.poly.edu knows no such name (NXDOMAIN)', rttMs: 1.2 })).toBe(
      ';; nosuch.example: no address (dns.poly.edu knows no such name (NXDOMAIN), 1.2 ms)',
    );
  });

  test('is found on a resolved target or a failed resolve', () => {
    expect(nameLookupOf({ host: 'x', virtualAddress: '1.2.3.4', virtualPort: 80, address: '127.0.0.1', port: 10080, lookup: base })).toBe(base);
    expect(nameLookupOf(Object.assign(new Error('unknown host'), { lookup: base }))).toBe(base);
    expect(nameLookupOf(new Error('unknown host'))).toBeUndefined();
    expect(nameLookupOf(null)).toBeUndefined();
  });
});
