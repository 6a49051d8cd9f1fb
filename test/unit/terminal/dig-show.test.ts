// dig's output, from replies built here: the header, flags and counts, the OPT pseudo-section, each
// section, the footer with the server's world and lab places, the no-reply lines, +short, and the
// way +trace reads each reply of its walk.

import { describe, expect, test } from 'vitest';
import { type DnsMessage, type DnsRecord, RCODE, RR_TYPE, makeOpt, makeQuery } from '../../../src/protocols/dns';
import type { DnsServerRef, StubQueryResult } from '../../../src/main/lab/dns/stub-resolver';
import { digIdText, digMessageLines, digReplyLines, digShortLines, flagsText, noReplyLines, silenceReason, traceReceivedLine, traceShortLine } from '../../../src/main/lab/terminal/commands/dig-show';
import { judgeTraceReply } from '../../../src/main/lab/terminal/commands/dig-trace';

const RESOLVER: DnsServerRef = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver', labAddress: '127.0.0.1', labPort: 10053 };
const ROOT: DnsServerRef = { name: 'a.root-servers.net', address: '198.41.0.4', role: 'root', labAddress: '127.0.0.1', labPort: 15301 };

const a = (name: string, address: string, ttl = 3600): DnsRecord => ({ name, type: RR_TYPE.A, class: 1, ttl, data: { kind: 'A', address } });
const ns = (name: string, host: string, ttl = 172800): DnsRecord => ({ name, type: RR_TYPE.NS, class: 1, ttl, data: { kind: 'NS', host } });
const cname = (name: string, target: string): DnsRecord => ({ name, type: RR_TYPE.CNAME, class: 1, ttl: 3600, data: { kind: 'CNAME', target } });
const soa = (name: string): DnsRecord => ({ name, type: RR_TYPE.SOA, class: 1, ttl: 300, data: { kind: 'SOA', mname: `dns.${name}`, rname: `hostmaster.${name}`, serial: 2024090101, refresh: 3600, retry: 900, expire: 1209600, minimum: 300 } });

/** A reply to `name` `type` with the given sections and header bits. */
function reply(name: string, type: number, parts: Partial<Pick<DnsMessage, 'answers' | 'authorities' | 'additionals'>> & { rcode?: number; aa?: boolean; ra?: boolean; rd?: boolean; tc?: boolean; id?: number } = {}): DnsMessage {
  const m = makeQuery(parts.id ?? 4242, name, type, { recursionDesired: parts.rd ?? true });
  m.flags.qr = true;
  m.flags.aa = parts.aa ?? false;
  m.flags.ra = parts.ra ?? true;
  m.flags.tc = parts.tc ?? false;
  m.flags.rcode = parts.rcode ?? RCODE.NOERROR;
  m.answers = parts.answers ?? [];
  m.authorities = parts.authorities ?? [];
  m.additionals = parts.additionals ?? [];
  return m;
}

function ok(response: DnsMessage, extra: Partial<Extract<StubQueryResult, { ok: true }>> = {}): Extract<StubQueryResult, { ok: true }> {
  const query = makeQuery(response.id, response.questions[0]!.name, response.questions[0]!.type);
  return { ok: true, server: RESOLVER, question: query.questions[0]!, query, querySize: 46, response, responseSize: 62, transport: 'udp', rttMs: 2.4, truncatedFirst: false, ...extra };
}

describe('dig: a reply', () => {
  test('flags in dig order', () => {
    const m = reply('gaia.cs.umass.edu.', RR_TYPE.A, { aa: true, ra: false });
    m.flags.ad = true;
    m.flags.cd = true;
    expect(flagsText(m.flags)).toBe('qr aa rd ad cd');
  });

  test('the ID in decimal as dig prints it, and in hex as the packet list shows it', () => {
    expect(digIdText(29497)).toBe('29497 (0x7339)');
    // Four hex digits always, as in the packet list's `Query 0x002a ...`.
    expect(digIdText(42)).toBe('42 (0x002a)');
    expect(digIdText(0)).toBe('0 (0x0000)');
    expect(digIdText(0xffff)).toBe('65535 (0xffff)');
  });

  test('header, OPT, question and answer, then the query time, the server in the world and in the lab, and the size', () => {
    const m = reply('gaia.cs.umass.edu.', RR_TYPE.A, { id: 51234, answers: [a('gaia.cs.umass.edu.', '128.119.245.12')], additionals: [makeOpt(1232)] });
    expect(digReplyLines(ok(m))).toEqual([
      ';; Got answer:',
      ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 51234 (0xc822)',
      ';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
      '',
      ';; OPT PSEUDOSECTION:',
      '; EDNS: version 0, flags:; udp: 1232',
      ';; QUESTION SECTION:',
      ';gaia.cs.umass.edu.\t\tIN\tA',
      '',
      ';; ANSWER SECTION:',
      'gaia.cs.umass.edu.\t3600\tIN\tA\t128.119.245.12',
      '',
      ';; Query time: 2 msec',
      ';; SERVER: 128.238.29.22#53(dns.poly.edu) (UDP); in the lab: 127.0.0.1#10053',
      ';; MSG SIZE  rcvd: 62',
    ]);
  });

  test("says whether the resolver answered from its cache, and that a truncated reply was asked again over TCP", () => {
    const m = reply('yahoo.com.', RR_TYPE.TXT);
    const cached = digReplyLines(ok(m, { fromResolverCache: true }));
    expect(cached).toContain(';; dns.poly.edu answered from its cache');
    const walked = digReplyLines(ok(m, { fromResolverCache: false, truncatedFirst: true, transport: 'tcp' }));
    expect(walked[0]).toBe(';; Truncated, retrying in TCP mode.');
    expect(walked).toContain(';; dns.poly.edu asked other name servers first (the resolution view shows each step)');
    expect(walked).toContain(';; SERVER: 128.238.29.22#53(dns.poly.edu) (TCP); in the lab: 127.0.0.1#10053');
    expect(digReplyLines(ok(m)).some((l) => l.includes('cache') || l.includes('asked other'))).toBe(false);
  });

  test('a referral: no answer, NS in the authority section, glue in the additional one, and the warning about RD', () => {
    const m = reply('gaia.cs.umass.edu.', RR_TYPE.A, { ra: false, authorities: [ns('edu.', 'a.edu-servers.net.')], additionals: [a('a.edu-servers.net.', '192.5.6.31', 172800), makeOpt(1232)] });
    const lines = digMessageLines(m);
    expect(lines).toContain(';; WARNING: recursion requested but not available');
    expect(lines).toContain(';; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 2');
    expect(lines).not.toContain(';; ANSWER SECTION:');
    expect(lines.slice(lines.indexOf(';; AUTHORITY SECTION:'))).toEqual([';; AUTHORITY SECTION:', 'edu.\t172800\tIN\tNS\ta.edu-servers.net.', '', ';; ADDITIONAL SECTION:', 'a.edu-servers.net.\t172800\tIN\tA\t192.5.6.31', '']);
  });

  test('NXDOMAIN with the SOA for negative caching; no OPT without EDNS', () => {
    const lines = digMessageLines(reply('nosuch.cs.umass.edu.', RR_TYPE.A, { rcode: RCODE.NXDOMAIN, authorities: [soa('cs.umass.edu.')] }));
    expect(lines[0]).toBe(';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4242 (0x1092)');
    expect(lines).not.toContain(';; OPT PSEUDOSECTION:');
    expect(lines).toContain('cs.umass.edu.\t300\tIN\tSOA\tdns.cs.umass.edu. hostmaster.cs.umass.edu. 2024090101 3600 900 1209600 300');
  });

  test('a CNAME and its target', () => {
    const lines = digMessageLines(reply('www.ibm.com.', RR_TYPE.A, { answers: [cname('www.ibm.com.', 'servereast.backup2.ibm.com.'), a('servereast.backup2.ibm.com.', '129.42.38.10')] }));
    expect(lines).toContain('www.ibm.com.\t3600\tIN\tCNAME\tservereast.backup2.ibm.com.');
  });

  test('the status includes the extended RCODE of the OPT record (RFC 6891 §6.1.3)', () => {
    const m = reply('x.', RR_TYPE.A, { additionals: [makeOpt(1232, { extendedRcode: 1 })] });
    expect(digMessageLines(m)[0]).toContain('status: BADVERS');
  });

  test('+short: the data of each answer', () => {
    expect(digShortLines(reply('www.ibm.com.', RR_TYPE.A, { answers: [cname('www.ibm.com.', 'servereast.backup2.ibm.com.'), a('servereast.backup2.ibm.com.', '129.42.38.10')] }))).toEqual(['servereast.backup2.ibm.com.', '129.42.38.10']);
    expect(digShortLines(reply('nosuch.', RR_TYPE.A, { rcode: RCODE.NXDOMAIN }))).toEqual([]);
  });
});

describe('dig: no reply', () => {
  const failure = (timedOut: boolean, serverState?: 'stopped' | 'failed' | 'starting'): Extract<StubQueryResult, { ok: false }> => {
    const query = makeQuery(7, 'gaia.cs.umass.edu', RR_TYPE.A);
    return { ok: false, server: RESOLVER, question: query.questions[0]!, query, querySize: 46, transport: 'udp', reason: timedOut ? 'no reply from dns.poly.edu within 2000 ms' : 'dns.poly.edu refused the TCP connection (is its server stopped?)', timedOut, ...(serverState ? { serverState } : {}) };
  };

  test('a timeout names the server, its world and lab places, and says why in the lab', () => {
    expect(noReplyLines(failure(true, 'stopped'), 2000)).toEqual([
      ';; connection timed out; no servers could be reached',
      ';; (no reply from dns.poly.edu (128.238.29.22, lab port 10053) within 2 s: its DNS service is stopped; start it in the Servers pane)',
    ]);
    expect(noReplyLines(failure(true), 500)[1]).toBe(';; (no reply from dns.poly.edu (128.238.29.22, lab port 10053) within 0.5 s: it is running but did not answer in time)');
  });

  test('a refused TCP connection is a communications error', () => {
    expect(noReplyLines(failure(false, 'stopped'), 2000)).toEqual([
      ';; communications error to 128.238.29.22#53(dns.poly.edu): dns.poly.edu refused the TCP connection (is its server stopped?)',
      ';; (its DNS service is stopped; start it in the Servers pane)',
    ]);
  });

  test('each state of the service has its reason', () => {
    expect(silenceReason('failed')).toContain('could not start');
    expect(silenceReason('starting')).toContain('still starting');
    expect(silenceReason('listening')).toContain('did not answer in time');
  });
});

describe('dig +trace', () => {
  test('the line under each step names the server by world name and address, with its lab port', () => {
    expect(traceReceivedLine(239, ROOT, 0.6, 'udp')).toBe(';; Received 239 bytes from a.root-servers.net(198.41.0.4) in 1 ms (lab port 15301)');
    expect(traceReceivedLine(519, ROOT, 12.2, 'tcp')).toBe(';; Received 519 bytes from a.root-servers.net(198.41.0.4) in 12 ms over TCP (lab port 15301)');
    expect(traceShortLine(ns('edu.', 'a.edu-servers.net.'), ROOT, 1)).toBe('NS a.edu-servers.net. from server a.root-servers.net(198.41.0.4) in 1 ms.');
  });

  test('a referral to a zone closer to the name goes on, with the glue addresses', () => {
    const m = reply('gaia.cs.umass.edu.', RR_TYPE.A, { rd: false, ra: false, authorities: [ns('edu.', 'a.edu-servers.net.'), ns('edu.', 'b.edu-servers.net.')], additionals: [a('a.edu-servers.net.', '192.5.6.31')] });
    expect(judgeTraceReply(m, 'gaia.cs.umass.edu.', '.')).toEqual({ kind: 'referral', zone: 'edu.', servers: [{ name: 'a.edu-servers.net.', address: '192.5.6.31' }, { name: 'b.edu-servers.net.' }] });
  });

  test('the walk ends at an answer, NXDOMAIN or NODATA', () => {
    expect(judgeTraceReply(reply('gaia.cs.umass.edu.', RR_TYPE.A, { aa: true, answers: [a('gaia.cs.umass.edu.', '128.119.245.12')] }), 'gaia.cs.umass.edu.', 'umass.edu.')).toEqual({ kind: 'answer' });
    expect(judgeTraceReply(reply('x.cs.umass.edu.', RR_TYPE.A, { rcode: RCODE.NXDOMAIN, authorities: [soa('cs.umass.edu.')] }), 'x.cs.umass.edu.', 'umass.edu.')).toEqual({ kind: 'nxdomain' });
    expect(judgeTraceReply(reply('gaia.cs.umass.edu.', RR_TYPE.AAAA, { aa: true, authorities: [soa('cs.umass.edu.')] }), 'gaia.cs.umass.edu.', 'umass.edu.')).toEqual({ kind: 'nodata' });
  });

  test('a referral that leads up, sideways or to the same zone stops the walk (no loop is possible)', () => {
    const up = reply('gaia.cs.umass.edu.', RR_TYPE.A, { authorities: [ns('edu.', 'a.edu-servers.net.')] });
    expect(judgeTraceReply(up, 'gaia.cs.umass.edu.', 'umass.edu.')).toMatchObject({ kind: 'stop' });
    expect(judgeTraceReply(up, 'gaia.cs.umass.edu.', 'edu.')).toMatchObject({ kind: 'stop', why: expect.stringContaining('lame or upward referral') });
    const sideways = reply('gaia.cs.umass.edu.', RR_TYPE.A, { authorities: [ns('poly.edu.', 'ns1.poly.edu.')] });
    expect(judgeTraceReply(sideways, 'gaia.cs.umass.edu.', 'edu.')).toMatchObject({ kind: 'stop' });
  });

  test('a server that refuses or fails stops the walk with its status', () => {
    expect(judgeTraceReply(reply('x.', RR_TYPE.A, { rcode: RCODE.REFUSED }), 'x.', '.')).toEqual({ kind: 'stop', why: 'the server answered REFUSED' });
  });
});
