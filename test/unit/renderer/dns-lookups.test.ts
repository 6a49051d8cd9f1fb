import { describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../../src/shared/capture';
import type { DnsLookup, DnsLookupStep, DnsPeer } from '../../../src/shared/dns';
import { MAX_DNS_LOOKUPS } from '../../../src/shared/dns';
import {
  formatClock,
  formatLookupDuration,
  formatStepTime,
  lookupOutcome,
  mergeLookup,
  mergeLookupList,
  shownLookup,
  stepRoute,
  upstreamQueryCount,
} from '../../../src/renderer/lib/dns-lookups';
import { CONNECTION_SEARCH_MAX_MESSAGES, captureTargetOf, findCaptureMessage, findHeldMessage, pickMessage } from '../../../src/renderer/lib/dns-capture-link';

const client: DnsPeer = { name: 'cis.poly.edu', address: '128.238.2.93', role: 'client' };
const resolver: DnsPeer = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver' };
const root: DnsPeer = { name: 'a.root-servers.net', address: '198.41.0.4', role: 'root' };

function lookup(id: number, extra: Partial<DnsLookup> = {}): DnsLookup {
  return { id, question: 'gaia.cs.umass.edu. A', client, mode: 'iterative', startedAt: 0, durationMs: null, rcode: null, answers: [], fromCache: false, steps: [], ...extra };
}

function step(kind: DnsLookupStep['kind'], from: DnsPeer, to: DnsPeer, summary: string, connectionId?: number): DnsLookupStep {
  return { atMs: 1, kind, from, to, transport: 'udp', summary, ...(connectionId !== undefined ? { connectionId } : {}) };
}

describe('the lookup list', () => {
  it('adds new lookups in id order and replaces one that changed', () => {
    let list = mergeLookup([], lookup(1));
    list = mergeLookup(list, lookup(2));
    list = mergeLookup(list, lookup(1, { rcode: 'NOERROR', durationMs: 3 }));
    expect(list.map((l) => [l.id, l.rcode])).toEqual([
      [1, 'NOERROR'],
      [2, null],
    ]);
    // An event for an older lookup arriving late goes in its place.
    expect(mergeLookup([lookup(1), lookup(3)], lookup(2)).map((l) => l.id)).toEqual([1, 2, 3]);
  });

  it('keeps the newest MAX_DNS_LOOKUPS, as the core does', () => {
    let list: DnsLookup[] = [];
    for (let i = 1; i <= MAX_DNS_LOOKUPS; i++) list = mergeLookup(list, lookup(i));
    expect(list).toHaveLength(MAX_DNS_LOOKUPS);
    list = mergeLookup(list, lookup(MAX_DNS_LOOKUPS + 1));
    expect(list).toHaveLength(MAX_DNS_LOOKUPS);
    expect(list[0].id).toBe(2);
    expect(list[list.length - 1].id).toBe(MAX_DNS_LOOKUPS + 1);
  });

  it('merges a loaded list with what events brought meanwhile, keeping the further along of two copies', () => {
    const fromEvent = lookup(2, { rcode: 'NOERROR', durationMs: 4, steps: [step('query', client, resolver, 'A x.')] });
    const merged = mergeLookupList([fromEvent, lookup(3)], [lookup(1), lookup(2)]);
    expect(merged.map((l) => l.id)).toEqual([1, 2, 3]);
    expect(merged[1].rcode).toBe('NOERROR');
    // A finished copy from the list is not replaced by an older running one.
    const finished = lookup(5, { rcode: 'NXDOMAIN', durationMs: 2 });
    expect(mergeLookupList([lookup(5)], [finished])[0].rcode).toBe('NXDOMAIN');
  });

  it('shows the chosen lookup, or follows the newest', () => {
    const list = [lookup(1), lookup(2)];
    expect(shownLookup(list, null)?.id).toBe(2);
    expect(shownLookup(list, 1)?.id).toBe(1);
    expect(shownLookup(list, 9)).toBeNull();
    expect(shownLookup([], null)).toBeNull();
  });
});

describe('lookup words', () => {
  it('formats durations from fractions of a millisecond to seconds', () => {
    expect(formatLookupDuration(null)).toBe('running…');
    expect(formatLookupDuration(0.385)).toBe('0.39 ms');
    expect(formatLookupDuration(11.499)).toBe('11.5 ms');
    expect(formatLookupDuration(412.4)).toBe('412 ms');
    expect(formatLookupDuration(2012)).toBe('2.01 s');
    expect(formatLookupDuration(-1)).toBe('—');
    expect(formatStepTime(1.19)).toBe('+1.19 ms');
  });

  it('prints the time of day with two digits each', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(formatClock(t)).toBe('03:04:05');
  });

  it('says the outcome and the way each step went', () => {
    expect(lookupOutcome({ rcode: null, fromCache: false, durationMs: null })).toBe('running…');
    expect(lookupOutcome({ rcode: 'NOERROR', fromCache: true, durationMs: 1 })).toBe('NOERROR, from the cache');
    expect(lookupOutcome({ rcode: 'NXDOMAIN', fromCache: false, durationMs: 1 })).toBe('NXDOMAIN');
    expect(stepRoute(step('query', resolver, root, 'x'))).toBe('dns.poly.edu → a.root-servers.net (UDP)');
    expect(stepRoute(step('cache-hit', resolver, resolver, 'x'))).toBe('dns.poly.edu (its cache)');
    expect(stepRoute(step('timeout', root, resolver, 'x'))).toBe('dns.poly.edu waited for a.root-servers.net (UDP)');
    expect(upstreamQueryCount({ steps: [step('query', client, resolver, 'q'), step('query', resolver, root, 'q'), step('response', root, resolver, 'r')] })).toBe(1);
  });
});

function msg(id: number, connId: number, dir: 'c2s' | 's2c', summary: string): MessageSummary {
  return { id, connId, protocol: 'dns', transport: 'udp', dir, role: dir === 'c2s' ? 'request' : 'response', t: id, length: 40, summary, source: 'a', destination: 'b' };
}

describe('from an arrow to its message in the capture', () => {
  it('looks for the query going client → server and the reply the other way, by ID or question', () => {
    expect(captureTargetOf(step('query', resolver, root, 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)', 2))).toEqual({ connId: 2, dir: 'c2s', dnsId: '0x6f28', question: 'A gaia.cs.umass.edu.' });
    expect(captureTargetOf(step('response', root, resolver, 'Response 0x6f28 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)', 2))).toMatchObject({ dir: 's2c', dnsId: '0x6f28', question: 'A gaia.cs.umass.edu.' });
    expect(captureTargetOf(step('query', client, resolver, 'A gaia.cs.umass.edu.', 1))).toEqual({ connId: 1, dir: 'c2s', dnsId: null, question: 'A gaia.cs.umass.edu.' });
    expect(captureTargetOf(step('response', resolver, client, 'NOERROR: A 128.119.245.12', 1))).toEqual({ connId: 1, dir: 's2c', dnsId: null, question: null });
    // A cache hit and a step without a connection crossed no socket.
    expect(captureTargetOf(step('cache-hit', resolver, resolver, 'cache: x', 1))).toBeNull();
    expect(captureTargetOf(step('query', resolver, root, 'Query 0x0001 A x.'))).toBeNull();
  });

  it('picks the message with the step’s ID, else its question, else the latest of the connection that way', () => {
    const conn = [msg(10, 7, 'c2s', 'Query 0x1111 A a.edu.'), msg(11, 7, 's2c', 'Response 0x1111 A a.edu.: A 1.2.3.4'), msg(12, 7, 'c2s', 'Query 0x2222 MX b.edu.'), msg(13, 8, 'c2s', 'Query 0x3333 A c.edu.')];
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: '0x1111', question: null })?.id).toBe(10);
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: null, question: 'MX b.edu.' })?.id).toBe(12);
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: null, question: null })?.id).toBe(12);
    expect(pickMessage(conn, { connId: 7, dir: 's2c', dnsId: null, question: null })?.id).toBe(11);
    expect(pickMessage(conn, { connId: 9, dir: 'c2s', dnsId: null, question: null })).toBeNull();
  });

  it('finds it among the rows the list holds without asking the core', async () => {
    const rows = new Map([10, 11, 12].map((id) => [id, msg(id, id === 12 ? 3 : 2, id === 10 ? 'c2s' : 's2c', `Response 0x00${id} A x.`)]));
    const held = { totalMessages: 12, getById: (id: number) => rows.get(id) };
    expect(findHeldMessage(held, { connId: 2, dir: 's2c', dnsId: null, question: null })?.id).toBe(11);
    const pages = { listMessages: () => Promise.reject(new Error('not expected')) };
    expect((await findCaptureMessage(held, pages, { connId: 2, dir: 'c2s', dnsId: null, question: null }))?.id).toBe(10);
  });

  it('reads pages back from the end of the capture when the list no longer holds it, and stops at the limit', async () => {
    const total = 2000;
    const all = Array.from({ length: total }, (_, i) => msg(i + 1, i + 1 === 150 ? 42 : 1000 + i, 'c2s', `Query 0x${(i + 1).toString(16).padStart(4, '0')} A x.`));
    const asked: Array<[number, number]> = [];
    const pages = {
      listMessages: async (from: number, count: number) => {
        asked.push([from, count]);
        return all.slice(from - 1, from - 1 + count);
      },
    };
    const held = { totalMessages: total, getById: () => undefined };
    const found = await findCaptureMessage(held, pages, { connId: 42, dir: 'c2s', dnsId: '0x0096', question: null }, CONNECTION_SEARCH_MAX_MESSAGES, 500);
    expect(found?.id).toBe(150);
    expect(asked).toEqual([
      [1501, 500],
      [1001, 500],
      [501, 500],
      [1, 500],
    ]);
    // Past the limit it is not looked for: 1000 messages back reach only #1001.
    asked.length = 0;
    expect(await findCaptureMessage(held, pages, { connId: 42, dir: 'c2s', dnsId: '0x0096', question: null }, 1000, 500)).toBeNull();
    expect(asked).toEqual([
      [1501, 500],
      [1001, 500],
    ]);
  });
});
