import { describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../../src/shared/capture';
import type { DnsLookup, DnsLookupStep, DnsPeer, DnsStepMessage } from '../../../src/shared/dns';
import { MAX_DNS_LOOKUPS } from '../../../src/shared/dns';
import {
  LOOPBACK_TIMING_NOTE,
  formatClock,
  formatLookupDuration,
  formatStepTime,
  glueLessNote,
  glueLessReferrals,
  lookupOutcome,
  mergeLookup,
  mergeLookupList,
  shownLookup,
  stepLinkText,
  stepLinkTitle,
  stepRoute,
  upstreamQueryCount,
} from '../../../src/renderer/lib/dns-lookups';
import { CONNECTION_SEARCH_MAX_MESSAGES, captureTargetOf, findCaptureMessage, findCaptureMessages, findHeldMessage, findHeldMessages, pickMessage } from '../../../src/renderer/lib/dns-capture-link';
import { answerFacts, queryFacts, question, referralFacts } from '../../support/dns-steps';

const client: DnsPeer = { name: 'cis.poly.edu', address: '128.238.2.93', role: 'client' };
const resolver: DnsPeer = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver' };
const root: DnsPeer = { name: 'a.root-servers.net', address: '198.41.0.4', role: 'root' };

function lookup(id: number, extra: Partial<DnsLookup> = {}): DnsLookup {
  return { id, question: 'gaia.cs.umass.edu. A', client, mode: 'iterative', startedAt: 0, durationMs: null, rcode: null, answers: [], fromCache: false, steps: [], ...extra };
}

function step(kind: DnsLookupStep['kind'], from: DnsPeer, to: DnsPeer, summary: string, connectionId?: number, message?: DnsStepMessage): DnsLookupStep {
  return { atMs: 1, kind, from, to, transport: 'udp', summary, ...(connectionId !== undefined ? { connectionId } : {}), ...(message ? { message } : {}) };
}

/** The same steps with their summaries worded otherwise: what the view reads of a step must not change. */
function reworded(steps: readonly DnsLookupStep[]): DnsLookupStep[] {
  return steps.map((s, i) => ({ ...s, summary: `step ${i + 1}, in other words` }));
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
    expect(lookupOutcome({ rcode: 'NOERROR', fromCache: false, durationMs: 1, truncated: true })).toBe('NOERROR, truncated (TC): too long for UDP');
    expect(stepRoute(step('query', resolver, root, 'x'))).toBe('dns.poly.edu → a.root-servers.net (UDP)');
    expect(stepRoute(step('cache-hit', resolver, resolver, 'x'))).toBe('dns.poly.edu (its cache)');
    expect(stepRoute(step('timeout', root, resolver, 'x'))).toBe('dns.poly.edu waited for a.root-servers.net (UDP)');
    expect(upstreamQueryCount({ steps: [step('query', client, resolver, 'q'), step('query', resolver, root, 'q'), step('response', root, resolver, 'r')] })).toBe(1);
  });
});

/** Every page of 500, from the end, of a capture of 2000 messages: [from, count]. */
const EVERY_PAGE_OF_2000 = [
  [1501, 500],
  [1001, 500],
  [501, 500],
  [1, 500],
];

/** A capture of `all` read page by page, with the pages asked for, as [from, count]. */
function pagedCapture(all: readonly MessageSummary[]): { pages: { listMessages(from: number, count: number): Promise<MessageSummary[]> }; asked: Array<[number, number]> } {
  const asked: Array<[number, number]> = [];
  return {
    asked,
    pages: {
      listMessages: async (from, count) => {
        asked.push([from, count]);
        return all.slice(from - 1, from - 1 + count);
      },
    },
  };
}

function msg(id: number, connId: number, dir: 'c2s' | 's2c', summary: string): MessageSummary {
  return { id, connId, protocol: 'dns', transport: 'udp', dir, role: dir === 'c2s' ? 'request' : 'response', t: id, length: 40, summary, source: 'a', destination: 'b' };
}

describe('from an arrow to its message in the capture', () => {
  const gaia = question('A', 'gaia.cs.umass.edu.');

  it('looks for the query going client → server and the reply the other way, by the ID and question the step carries', () => {
    const asked = step('query', resolver, root, 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)', 2, queryFacts(0x6f28, gaia, false));
    const referred = step('response', root, resolver, 'Response 0x6f28 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)', 2, referralFacts(0x6f28, gaia, 'edu.', ['a.edu-servers.net.']));
    const fromClient = step('query', client, resolver, 'A gaia.cs.umass.edu.', 1, queryFacts(0x1a2b, gaia, true));
    const toClient = step('response', resolver, client, 'NOERROR: A 128.119.245.12', 1, answerFacts(0x1a2b, gaia, 'A 128.119.245.12', true));
    expect(captureTargetOf(asked)).toEqual({ connId: 2, dir: 'c2s', dnsId: 0x6f28, question: gaia });
    expect(captureTargetOf(referred)).toEqual({ connId: 2, dir: 's2c', dnsId: 0x6f28, question: gaia });
    expect(captureTargetOf(fromClient)).toEqual({ connId: 1, dir: 'c2s', dnsId: 0x1a2b, question: gaia });
    expect(captureTargetOf(toClient)).toEqual({ connId: 1, dir: 's2c', dnsId: 0x1a2b, question: gaia });
    // The summary's words play no part.
    expect(reworded([asked, referred, fromClient, toClient]).map(captureTargetOf)).toEqual([asked, referred, fromClient, toClient].map(captureTargetOf));
    // A step that carries no message facts is still found by its connection and direction.
    expect(captureTargetOf(step('response', resolver, client, 'NOERROR', 1))).toEqual({ connId: 1, dir: 's2c', dnsId: null, question: null });
    // A cache hit and a step without a connection crossed no socket.
    expect(captureTargetOf(step('cache-hit', resolver, resolver, 'cache: x', 1))).toBeNull();
    expect(captureTargetOf(step('query', resolver, root, 'Query 0x0001 A x.', undefined, queryFacts(1, question('A', 'x.'), false)))).toBeNull();
  });

  it('picks the latest row with the step’s ID and question, none while the capture has none, and without an ID the latest of the connection that way', () => {
    const conn = [
      msg(10, 7, 'c2s', 'Query 0x1111 A a.edu.'),
      msg(11, 7, 's2c', 'Response 0x1111 A a.edu.: A 1.2.3.4'),
      msg(12, 7, 'c2s', 'Query 0x2222 MX b.edu.'),
      msg(13, 8, 'c2s', 'Query 0x3333 A c.edu.'),
      // Same ID and name, other types: an A question is not found in them.
      msg(14, 7, 'c2s', 'Query 0x4444 AAAA d.edu.'),
      msg(15, 7, 'c2s', 'Query 0x4444 CAA d.edu.'),
      // The ID only in a TXT string of the outcome.
      msg(16, 7, 's2c', 'Response 0x5555 TXT e.edu.: TXT "0x6666"'),
    ];
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: 0x1111, question: null })?.id).toBe(10);
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: 0x1111, question: question('A', 'A.EDU.') })?.id).toBe(10);
    // An ID written with fewer than four hex digits is found as the packet list writes it, padded.
    expect(pickMessage([msg(20, 7, 'c2s', 'Query 0x0096 A a.edu.'), msg(21, 7, 'c2s', 'Query 0x0960 A a.edu.')], { connId: 7, dir: 'c2s', dnsId: 0x96, question: null })?.id).toBe(20);
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: 0x4444, question: question('A', 'd.edu.') })).toBeNull();
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: 0x4444, question: question('CAA', 'd.edu.') })?.id).toBe(15);
    expect(pickMessage(conn, { connId: 7, dir: 's2c', dnsId: 0x6666, question: null })).toBeNull();
    // The step's message is not captured yet: no other message of the connection stands in for it.
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: 0x9999, question: question('MX', 'b.edu.') })).toBeNull();
    expect(pickMessage(conn, { connId: 7, dir: 'c2s', dnsId: null, question: null })?.id).toBe(15);
    expect(pickMessage(conn, { connId: 7, dir: 's2c', dnsId: null, question: null })?.id).toBe(16);
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
    const { pages, asked } = pagedCapture(all);
    const held = { totalMessages: total, getById: () => undefined };
    const found = await findCaptureMessage(held, pages, { connId: 42, dir: 'c2s', dnsId: 0x96, question: null }, CONNECTION_SEARCH_MAX_MESSAGES, 500);
    expect(found?.id).toBe(150);
    expect(asked).toEqual(EVERY_PAGE_OF_2000);
    // Past the limit it is not looked for: 1000 messages back reach only #1001.
    asked.length = 0;
    expect(await findCaptureMessage(held, pages, { connId: 42, dir: 'c2s', dnsId: 0x96, question: null }, 1000, 500)).toBeNull();
    expect(asked).toEqual([
      [1501, 500],
      [1001, 500],
    ]);
  });

  it('finds a whole lookup\'s messages in one search: held rows first, then pages read once for all the rest', async () => {
    const total = 2000;
    const summaryOf = (id: number) => `Query 0x${id.toString(16).padStart(4, '0')} A x.`;
    const all = Array.from({ length: total }, (_, i) => msg(i + 1, [150, 1200, 1990].includes(i + 1) ? 42 : 1000 + i, 'c2s', summaryOf(i + 1)));
    const { pages, asked } = pagedCapture(all);
    // The list holds only the newest rows.
    const held = { totalMessages: total, getById: (id: number) => (id > 1900 ? all[id - 1] : undefined) };
    const targets = [
      { connId: 42, dir: 'c2s' as const, dnsId: 1990, question: null },
      { connId: 42, dir: 'c2s' as const, dnsId: 1200, question: null },
      { connId: 42, dir: 'c2s' as const, dnsId: 150, question: null },
      { connId: 77, dir: 'c2s' as const, dnsId: 5, question: null },
    ];
    const found = await findCaptureMessages(held, pages, targets, CONNECTION_SEARCH_MAX_MESSAGES, 500);
    expect(found.map((m) => m?.id ?? null)).toEqual([1990, 1200, 150, null]);
    // #1990 is held; one pass for the other three from below the held rows (#1901 to #2000 were
    // searched already), to the limit since #5's connection is nowhere.
    expect(asked).toEqual([
      [1401, 500],
      [901, 500],
      [401, 500],
      [1, 400],
    ]);
    // Once every ID is found, older pages are not read; a held row needs no page at all.
    asked.length = 0;
    expect((await findCaptureMessages(held, pages, targets.slice(0, 2), CONNECTION_SEARCH_MAX_MESSAGES, 500)).map((m) => m?.id)).toEqual([1990, 1200]);
    expect(asked).toEqual([
      [1401, 500],
      [901, 500],
    ]);
    // A target without an ID takes the latest row of its connection that the list holds.
    asked.length = 0;
    const noId = await findCaptureMessages(held, pages, [{ connId: 42, dir: 'c2s', dnsId: null, question: null }], 1000, 500);
    expect(noId.map((m) => m?.id)).toEqual([1990]);
    expect(asked).toEqual([]);
    expect(findHeldMessages(held, targets).map((m) => m?.id ?? null)).toEqual([1990, null, null, null]);
  });

  it('reads no page when the list holds every row back to the limit: a message not among them is not captured yet', async () => {
    const all = Array.from({ length: 300 }, (_, i) => msg(i + 1, 42, 'c2s', `Query 0x${(i + 1).toString(16).padStart(4, '0')} A x.`));
    const { pages, asked } = pagedCapture(all);
    const held = { totalMessages: all.length, getById: (id: number) => all[id - 1] };
    // A step whose query (#301) has not reached the capture yet: null, so the view asks again later.
    expect(await findCaptureMessages(held, pages, [{ connId: 42, dir: 'c2s', dnsId: 301, question: question('A', 'x.') }])).toEqual([null]);
    expect(asked).toEqual([]);
  });
});

describe('step links', () => {
  it('name the message by its number once found, else the connection, never a bare #n that is not a message', () => {
    expect(stepLinkText(2, 3)).toBe('msg #3');
    expect(stepLinkText(2, null)).toBe('conn 2');
    expect(stepLinkText(2, null)).not.toContain('#');
    expect(stepLinkTitle(2, 'udp', null)).toBe('capture connection 2 (a UDP flow: the datagrams between two ports): click to find its message and select it in the message list');
    expect(stepLinkTitle(5, 'tcp', 9)).toBe('Message #9 of capture connection 5 (TCP): click to select it in the message list');
  });

  it('say under the picture that loopback times show order, not network delay', () => {
    expect(LOOPBACK_TIMING_NOTE).toMatch(/loopback on this machine/);
    expect(LOOPBACK_TIMING_NOTE).toMatch(/not real network delays/);
  });
});

describe('referrals without glue', () => {
  const tldNz: DnsPeer = { name: 'ns1.dns.net.nz', address: '202.46.190.130', role: 'tld' };
  const acNz: DnsPeer = { name: 'ns.ac.nz', address: '202.46.190.140', role: 'tld' };
  const massey: DnsPeer = { name: 'ns1.massey.ac.nz', address: '130.123.1.1', role: 'authoritative' };
  const edu: DnsPeer = { name: 'a.edu-servers.net', address: '192.5.6.31', role: 'tld' };
  const ptr = question('PTR', '201.128.123.130.in-addr.arpa.');
  const nsAddress = question('A', 'ns1.massey.ac.nz.');
  /** The reverse lookup of 130.123.128.201 as the lab logged it. */
  const reverse = [
    step('query', client, resolver, 'PTR 201.128.123.130.in-addr.arpa.', 1, queryFacts(0x0bad, ptr, true)),
    step('query', resolver, root, 'Query 0x5196 PTR 201.128.123.130.in-addr.arpa. (no recursion)', 2, queryFacts(0x5196, ptr, false)),
    step('response', root, resolver, 'Response 0x5196 PTR 201.128.123.130.in-addr.arpa.: referral to 123.130.in-addr.arpa. (ns1.massey.ac.nz.)', 2, referralFacts(0x5196, ptr, '123.130.in-addr.arpa.', ['ns1.massey.ac.nz.'])),
    step('query', resolver, root, 'Query 0x747e A ns1.massey.ac.nz. (no recursion)', 3, queryFacts(0x747e, nsAddress, false)),
    step('response', root, resolver, 'Response 0x747e A ns1.massey.ac.nz.: referral to nz. (ns1.dns.net.nz.)', 3, referralFacts(0x747e, nsAddress, 'nz.', ['ns1.dns.net.nz.'])),
    step('query', resolver, tldNz, 'Query 0xca15 A ns1.massey.ac.nz. (no recursion)', 4, queryFacts(0xca15, nsAddress, false)),
    step('response', tldNz, resolver, 'Response 0xca15 A ns1.massey.ac.nz.: referral to ac.nz. (ns.ac.nz.)', 4, referralFacts(0xca15, nsAddress, 'ac.nz.', ['ns.ac.nz.'])),
    step('query', resolver, acNz, 'Query 0x903b A ns1.massey.ac.nz. (no recursion)', 5, queryFacts(0x903b, nsAddress, false)),
    step('response', acNz, resolver, 'Response 0x903b A ns1.massey.ac.nz.: referral to massey.ac.nz. (ns1.massey.ac.nz.)', 5, referralFacts(0x903b, nsAddress, 'massey.ac.nz.', ['ns1.massey.ac.nz.'])),
    step('query', resolver, massey, 'Query 0xa1b9 A ns1.massey.ac.nz. (no recursion)', 6, queryFacts(0xa1b9, nsAddress, false)),
    step('response', massey, resolver, 'Response 0xa1b9 A ns1.massey.ac.nz.: A 130.123.1.1', 6, answerFacts(0xa1b9, nsAddress, 'A 130.123.1.1')),
    step('query', resolver, massey, 'Query 0x1c2d PTR 201.128.123.130.in-addr.arpa. (no recursion)', 7, queryFacts(0x1c2d, ptr, false)),
    step('response', massey, resolver, 'Response 0x1c2d PTR 201.128.123.130.in-addr.arpa.: PTR proxy.massey.ac.nz.', 7, answerFacts(0x1c2d, ptr, 'PTR proxy.massey.ac.nz.')),
    step('response', resolver, client, 'NOERROR: PTR proxy.massey.ac.nz.', 1, answerFacts(0x0bad, ptr, 'PTR proxy.massey.ac.nz.', true)),
  ];

  it('finds a detour to a server named late in a long referral, whose summary line was cut before it', () => {
    const servers = Array.from({ length: 12 }, (_, i) => `ns${i + 1}.other.ac.nz.`).concat('ns1.massey.ac.nz.');
    const long = referralFacts(0x5196, ptr, '123.130.in-addr.arpa.', servers);
    const cutLine = `Response 0x5196 PTR 201.128.123.130.in-addr.arpa.: referral to 123.130.in-addr.arpa. (${servers.join(', ')})`.slice(0, 119) + '…';
    expect(cutLine).not.toContain('ns1.massey.ac.nz');
    const steps = reverse.map((s, i) => (i === 2 ? { ...s, summary: cutLine, message: long } : s));
    expect(glueLessReferrals(steps)).toEqual([{ referral: 2, nameServer: 'ns1.massey.ac.nz', asker: resolver, first: 3, last: 10 }]);
  });

  it('finds the referral whose server the resolver looks up first, and the steps of that detour', () => {
    const found = glueLessReferrals(reverse);
    expect(found).toEqual([{ referral: 2, nameServer: 'ns1.massey.ac.nz', asker: resolver, first: 3, last: 10 }]);
    expect(glueLessNote(found[0])).toBe('no glue: the resolver first finds the address of ns1.massey.ac.nz (steps 4–11)');
    // Read from the steps' message facts: the summaries' words play no part.
    expect(glueLessReferrals(reworded(reverse))).toEqual(found);
  });

  it('compares names as DNS does: letter case and the final dot make no difference', () => {
    const shouted = reverse.map((s, i) => (i === 3 ? { ...s, message: queryFacts(0x747e, question('A', 'NS1.Massey.AC.NZ'), false) } : s));
    expect(glueLessReferrals(shouted)).toEqual([{ referral: 2, nameServer: 'ns1.massey.ac.nz', asker: resolver, first: 3, last: 10 }]);
  });

  it('ends the detour at the first reply to the server’s address that is not a referral, and says nothing without message facts', () => {
    // Without the authoritative server's answer the detour is still running.
    expect(glueLessReferrals(reverse.slice(0, 10))).toEqual([{ referral: 2, nameServer: 'ns1.massey.ac.nz', asker: resolver, first: 3, last: null }]);
    const bare = reverse.map(({ message: _facts, ...s }) => s);
    expect(glueLessReferrals(bare)).toEqual([]);
  });

  it('says nothing of a referral with glue, or of one followed with the same question', () => {
    const gaia = question('A', 'gaia.cs.umass.edu.');
    const withGlue = [
      step('query', resolver, root, 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)', 2, queryFacts(0x6f28, gaia, false)),
      step('response', root, resolver, 'Response 0x6f28 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)', 2, referralFacts(0x6f28, gaia, 'edu.', ['a.edu-servers.net.'])),
      step('query', resolver, edu, 'Query 0xee4c A gaia.cs.umass.edu. (no recursion)', 3, queryFacts(0xee4c, gaia, false)),
    ];
    expect(glueLessReferrals(withGlue)).toEqual([]);
    // Asking for a.edu-servers.net's address after the referral to edu. is the same question sent on.
    const eduServer = question('A', 'a.edu-servers.net.');
    const selfReferral = [
      step('query', resolver, root, 'Query 0x0001 A a.edu-servers.net. (no recursion)', 2, queryFacts(1, eduServer, false)),
      step('response', root, resolver, 'Response 0x0001 A a.edu-servers.net.: referral to edu. (a.edu-servers.net.)', 2, referralFacts(1, eduServer, 'edu.', ['a.edu-servers.net.'])),
      step('query', resolver, edu, 'Query 0x0002 A a.edu-servers.net. (no recursion)', 3, queryFacts(2, eduServer, false)),
    ];
    expect(glueLessReferrals(selfReferral)).toEqual([]);
  });

  it('names the server that does the detour in the recursive scheme, and a detour still running', () => {
    const reversed = question('PTR', '1.2.3.4.in-addr.arpa.');
    const running = [
      step('response', root, tldNz, 'Response 0x0001 PTR 1.2.3.4.in-addr.arpa.: referral to 3.4.in-addr.arpa. (ns1.massey.ac.nz., ns2.massey.ac.nz.)', 2, referralFacts(1, reversed, '3.4.in-addr.arpa.', ['ns1.massey.ac.nz.', 'ns2.massey.ac.nz.'], true)),
      step('query', tldNz, root, 'Query 0x0002 A ns2.massey.ac.nz.', 3, queryFacts(2, question('A', 'ns2.massey.ac.nz.'), true)),
    ];
    const found = glueLessReferrals(running);
    expect(found).toEqual([{ referral: 0, nameServer: 'ns2.massey.ac.nz', asker: tldNz, first: 1, last: null }]);
    expect(glueLessNote(found[0])).toBe('no glue: ns1.dns.net.nz first finds the address of ns2.massey.ac.nz (from step 2)');
  });
});
