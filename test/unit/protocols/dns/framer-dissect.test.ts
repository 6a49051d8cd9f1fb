// The capture side: framing over UDP and TCP, the packet-list summaries, the breakdown's details
// (bits, labels, pointers, malformed input) and the plain-language explanations.

import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../../src/protocols/core/bytes';
import { type FieldNode, walkFields } from '../../../../src/protocols/core/field';
import type { DissectContext } from '../../../../src/protocols/registry-types';
import {
  DNS_MAX_TTL,
  DNS_SUMMARY_MAX_CHARS,
  DNS_TCP_LENGTH_PREFIX,
  DnsTcpFramer,
  RR_TYPE,
  TIME_MAX_DECIMALS,
  TIME_SIGNIFICANT_DIGITS,
  createDnsFramer,
  dissectDns,
  encodeMessage,
  explainDns,
  explainFlag,
  explainRcode,
  explainRecordType,
  formatMilliseconds,
  makeQuery,
  summarizeDnsMessage,
  summaryHead,
  withLengthPrefix,
} from '../../../../src/protocols/dns';
import { PacketBuilder, ask } from './helpers';

const UDP_RESPONSE: DissectContext = { dir: 's2c', role: 'response', transport: 'udp' };
const UDP_QUERY: DissectContext = { dir: 'c2s', role: 'request', transport: 'udp' };

function nodes(tree: readonly FieldNode[], id: string): FieldNode[] {
  return [...walkFields(tree)].map(([n]) => n).filter((n) => n.id === id);
}

describe('framing', () => {
  it('over UDP: one datagram, one message, its role from the QR bit', () => {
    const framer = createDnsFramer({ transport: 'udp' });
    const query = encodeMessage(makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A));
    const answer = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire;
    // The lab's resolver sends queries from its own socket: QR, not the direction, says which is which.
    const out = [...framer.push('s2c', query, 1), ...framer.push('c2s', answer, 2), ...framer.push('c2s', Uint8Array.from([1, 2, 3]), 3)];
    expect(out.map((m) => [m.role, m.t])).toEqual([
      ['request', 1],
      ['response', 2],
      ['request', 3],
    ]);
    expect(out[0].summary).toBe('Query 0x0001 A gaia.cs.umass.edu.');
    expect(framer.end('c2s')).toEqual([]);
  });

  it('over TCP: the 2-octet length prefix, several messages per connection, split anywhere', () => {
    const a = withLengthPrefix(encodeMessage(makeQuery(1, 'yahoo.com', RR_TYPE.TXT)));
    const b = withLengthPrefix(encodeMessage(makeQuery(2, 'www.yahoo.com', RR_TYPE.A)));
    const stream = concatBytes([a, b]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new DnsTcpFramer();
      const out = [...framer.push('c2s', stream.subarray(0, cut), 10), ...framer.push('c2s', stream.subarray(cut), 20)];
      expect(out.map((m) => Array.from(m.bytes))).toEqual([Array.from(a), Array.from(b)]);
      expect(out[0].t).toBe(cut === 0 ? 20 : 10);
      expect(framer.end('c2s')).toEqual([]);
    }
  });

  it('keeps the two directions apart', () => {
    const framer = createDnsFramer({ transport: 'tcp' });
    const q = withLengthPrefix(encodeMessage(makeQuery(9, 'yahoo.com', RR_TYPE.TXT)));
    const r = withLengthPrefix(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { id: 9, transport: 'tcp' }).wire);
    const out = [...framer.push('c2s', q.subarray(0, 5), 1), ...framer.push('s2c', r.subarray(0, 300), 2), ...framer.push('c2s', q.subarray(5), 3), ...framer.push('s2c', r.subarray(300), 4)];
    expect(out.map((m) => [m.dir, m.role, m.bytes.length, m.t])).toEqual([
      ['c2s', 'request', q.length, 1],
      ['s2c', 'response', r.length, 2],
    ]);
    expect(out[1].summary).toMatch(/^Response 0x0009 TXT yahoo\.com\.: TXT "v=spf1/);
    expect(out[1].summary.length).toBeLessThanOrEqual(DNS_SUMMARY_MAX_CHARS);
  });

  it('a length prefix followed by silence becomes a partial message at the end', () => {
    const framer = createDnsFramer({ transport: 'tcp' });
    expect(framer.push('c2s', Uint8Array.from([0, 40, 0x12]), 5)).toEqual([]);
    const [m] = framer.end('c2s');
    expect(m).toMatchObject({ partial: true, role: 'request', t: 5 });
    expect(m.summary).toBe('DNS over TCP: the length prefix announces 40 octets, 1 arrived before the connection ended');
    const half = createDnsFramer({ transport: 'tcp' });
    half.push('s2c', Uint8Array.from([0]), 1);
    expect(half.end('s2c')[0].summary).toBe('DNS over TCP: 1 octet of a 2-octet length prefix, then the connection ended');
  });

  it('a zero length prefix is a message of its own', () => {
    const framer = createDnsFramer({ transport: 'tcp' });
    const out = framer.push('c2s', Uint8Array.from([0, 0, 0, 0]), 1);
    expect(out.map((m) => m.summary)).toEqual(['DNS over TCP: a length prefix of 0 (an empty message)', 'DNS over TCP: a length prefix of 0 (an empty message)']);
  });
});

describe('summaries for the packet list', () => {
  it('say what was asked and what came back', () => {
    expect(summarizeDnsMessage(encodeMessage(makeQuery(0x1a2b, 'gaia.cs.umass.edu', RR_TYPE.A, { recursionDesired: false })), 'udp')).toBe('Query 0x1a2b A gaia.cs.umass.edu. (no recursion)');
    expect(summarizeDnsMessage(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 2 }).wire, 'udp')).toBe('Response 0x0002 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)');
    expect(summarizeDnsMessage(ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A, { id: 3 }).wire, 'udp')).toBe('Response 0x0003 A gaya.cs.umass.edu.: NXDOMAIN (no such name)');
    expect(summarizeDnsMessage(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.AAAA, { id: 4 }).wire, 'udp')).toBe('Response 0x0004 AAAA gaia.cs.umass.edu.: NODATA (no record of that type)');
    expect(summarizeDnsMessage(ask('ns1.yahoo.com', 'www.yahoo.com.', RR_TYPE.A, { id: 5 }).wire, 'udp')).toBe('Response 0x0005 A www.yahoo.com.: A 98.137.11.163, A 98.137.11.164, A 74.6.143.25 and 1 more');
    expect(summarizeDnsMessage(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { id: 6 }).wire, 'udp')).toBe('Response 0x0006 TXT yahoo.com.: truncated (TC): retry over TCP');
    expect(summarizeDnsMessage(ask('dns.cs.umass.edu', 'www.amazon.com.', RR_TYPE.A, { id: 7 }).wire, 'udp')).toBe('Response 0x0007 A www.amazon.com.: REFUSED');
    expect(summarizeDnsMessage(Uint8Array.from([1, 2, 3]), 'udp')).toBe('DNS, malformed: 3 octets: a DNS message starts with a 12-octet header');
  });

  it('are read back by summaryHead: the ID and the question at the start of the line, nothing from the rest', () => {
    const lines = [
      summarizeDnsMessage(encodeMessage(makeQuery(0x1a2b, 'gaia.cs.umass.edu', RR_TYPE.A, { recursionDesired: false })), 'udp'),
      summarizeDnsMessage(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 2 }).wire, 'udp'),
      summarizeDnsMessage(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { id: 6 }).wire, 'udp'),
      summarizeDnsMessage(encodeMessage(makeQuery(0xffff, '.', RR_TYPE.NS)), 'udp'),
    ];
    expect(lines.map(summaryHead)).toEqual([
      { id: 0x1a2b, question: 'A gaia.cs.umass.edu.' },
      { id: 2, question: 'A gaia.cs.umass.edu.' },
      { id: 6, question: 'TXT yahoo.com.' },
      { id: 0xffff, question: 'NS .' },
    ]);
    expect(summaryHead('Response STATUS 0x0009 A x.: NOERROR')).toEqual({ id: 9, question: 'A x.' });
    expect(summaryHead('Query 0x0001 A x. (+1 more)')).toEqual({ id: 1, question: 'A x.' });
    expect(summaryHead('Query 0x0001 no question')).toBeNull();
    expect(summaryHead('DNS, malformed: 3 octets: a DNS message starts with a 12-octet header')).toBeNull();
    expect(summaryHead('"Query 0x0001 A x." (18 bytes)')).toBeNull();
  });
});

describe('the breakdown', () => {
  it('shows each header flag as its bits', () => {
    const tree = dissectDns(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, UDP_RESPONSE);
    const flags = nodes(tree, 'dns.flags')[0];
    expect(flags.display).toBe('Flags: 0x8400 Standard query response, No error');
    expect(flags.children?.map((c) => c.display.split(' = ')[0])).toEqual([
      '1... .... .... ....',
      '.000 0... .... ....',
      '.... .1.. .... ....',
      '.... ..0. .... ....',
      '.... ...0 .... ....',
      '.... .... 0... ....',
      '.... .... .0.. ....',
      '.... .... ..0. ....',
      '.... .... ...0 ....',
      '.... .... .... 0000',
    ]);
  });

  it('shows a name as labels (length octet, then text) and a compression pointer with its target offset and name', () => {
    const tree = dissectDns(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, UDP_RESPONSE);
    const labels = nodes(nodes(tree, 'dns.qry.name')[0].children ?? [], 'dns.name.label');
    expect(labels.map((l) => [l.offset, l.length, l.value])).toEqual([
      [12, 5, 'gaia'],
      [17, 3, 'cs'],
      [20, 6, 'umass'],
      [26, 4, 'edu'],
    ]);
    const pointers = nodes(tree, 'dns.name.pointer');
    expect(pointers[0]).toMatchObject({ offset: 35, length: 2, value: 12 });
    expect(pointers[0].display).toBe('Compression pointer: 0xc00c → offset 12: gaia.cs.umass.edu.');
    expect(pointers[1].display).toBe('Compression pointer: 0xc011 → offset 17: cs.umass.edu.');
  });

  it('over TCP counts pointer targets from the message, after the length prefix', () => {
    const wire = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A, { transport: 'tcp' }).wire;
    const tree = dissectDns(withLengthPrefix(wire), { dir: 's2c', role: 'response', transport: 'tcp' });
    expect(tree[0]).toMatchObject({ id: 'dns.length', offset: 0, length: DNS_TCP_LENGTH_PREFIX, value: wire.length });
    const p = nodes(tree, 'dns.name.pointer')[0];
    expect(p).toMatchObject({ offset: 37, value: 12 });
    expect(p.display).toContain('→ offset 12 of the message (14 in these bytes)');
  });

  it('decodes RDATA of each type into its fields (SOA with durations and the mailbox as an address)', () => {
    const tree = dissectDns(ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A).wire, UDP_RESPONSE);
    expect(nodes(tree, 'dns.soa.rname')[0].display).toBe('Responsible mailbox: hostmaster.cs.umass.edu. (hostmaster@cs.umass.edu)');
    expect(nodes(tree, 'dns.soa.expire')[0].display).toBe('Expire limit: 1209600 (2 weeks)');
    expect(nodes(tree, 'dns.rr.ttl')[0].display).toBe('Time to live: 300 (5 minutes)');
    const mx = dissectDns(ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX).wire, UDP_RESPONSE);
    expect(nodes(mx, 'dns.mx.preference')[0].value).toBe(10);
    expect(nodes(mx, 'dns.mx.exchange')[0].value).toBe('mail.hamburger.edu.');
    const txt = dissectDns(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { ednsPayload: 1232 }).wire, UDP_RESPONSE);
    expect(nodes(txt, 'dns.txt')[0].display).toBe('Text: "v=spf1 redirect=_spf.mail.yahoo.com"');
    expect(nodes(txt, 'dns.opt.udp_payload_size')[0].value).toBe(1232);
  });

  it(`flags a TTL above ${DNS_MAX_TTL}, which resolvers read as 0 (RFC 2181 §8)`, () => {
    const build = (ttl: number) => new PacketBuilder().header(1, 0x8400, 0, 1, 0, 0).name(['a']).u16(RR_TYPE.A).u16(1).u32(ttl).u16(4).u8(1, 2, 3, 4).build();
    expect(nodes(dissectDns(build(DNS_MAX_TTL), UDP_RESPONSE), 'dns.rr.ttl')[0].expert).toBeUndefined();
    expect(nodes(dissectDns(build(DNS_MAX_TTL + 1), UDP_RESPONSE), 'dns.rr.ttl')[0].expert?.message).toContain('read as 0');
  });

  it('says what a response means and what kind of query a query is', () => {
    expect(nodes(dissectDns(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, UDP_RESPONSE), 'dns.outcome')[0].display).toBe(
      'Outcome: Referral: the server does not know, but edu. is delegated to a.edu-servers.net.; ask there next',
    );
    const q = dissectDns(encodeMessage(makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A)), UDP_QUERY);
    expect(nodes(q, 'dns.query_kind')[0]).toMatchObject({ value: 'recursive', generated: true });
  });

  it('pairs a response with its query and flags a wrong ID', () => {
    const query = encodeMessage(makeQuery(0x1111, 'gaia.cs.umass.edu', RR_TYPE.A, { recursionDesired: false }));
    const answer = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x1111 }).wire;
    const good = dissectDns(answer, { ...UDP_RESPONSE, id: 2, t: 15, pairedWith: { id: 1, t: 12, bytes: query } });
    expect(nodes(good, 'dns.response_to')[0]).toMatchObject({ value: 1, display: 'Response to #1' });
    expect(nodes(good, 'dns.response_to')[0].expert).toBeUndefined();
    expect(nodes(good, 'dns.time')[0].display).toBe('Time: 3 ms since the query');
    const wrong = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x2222 }).wire;
    const bad = dissectDns(wrong, { ...UDP_RESPONSE, pairedWith: { id: 1, t: 0, bytes: query } });
    expect(nodes(bad, 'dns.response_to')[0].expert).toEqual({ severity: 'warn', message: 'the ID 0x2222 does not match the query\'s 0x1111: a resolver drops this response' });
    const q = dissectDns(query, { ...UDP_QUERY, pairedWith: { id: 2, t: 15 } });
    expect(nodes(q, 'dns.response_in')[0].display).toBe('Response in #2');
  });

  it(`prints the time since the query to ${TIME_SIGNIFICANT_DIGITS} significant digits, at most ${TIME_MAX_DECIMALS} decimals`, () => {
    const query = encodeMessage(makeQuery(0x1111, 'gaia.cs.umass.edu', RR_TYPE.A, { recursionDesired: false }));
    const answer = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x1111 }).wire;
    // The capture's clock is a float: 12 + 0.953151 is 12.953151000001526 - 12 back again.
    const time = (t: number, start = 12) => nodes(dissectDns(answer, { ...UDP_RESPONSE, t, pairedWith: { id: 1, t: start, bytes: query } }), 'dns.time')[0];
    expect(time(12.953151000001526)).toMatchObject({ value: 0.953, display: 'Time: 0.953 ms since the query' });
    expect(time(24.3456)).toMatchObject({ value: 12.3, display: 'Time: 12.3 ms since the query' });
    expect(time(1246.6)).toMatchObject({ value: 1235, display: 'Time: 1235 ms since the query' });
    expect(time(11, 12)).toMatchObject({ value: 0, display: 'Time: 0 ms since the query' });
  });

  it('rounds milliseconds: significant digits, a cap on decimals, no trailing zeros', () => {
    expect(formatMilliseconds(0.953151000001526)).toBe('0.953');
    expect(formatMilliseconds(3)).toBe('3');
    expect(formatMilliseconds(9.9996)).toBe('10');
    expect(formatMilliseconds(123.456)).toBe('123');
    // Past TIME_MAX_DECIMALS the significant digits give way: 0.0123 keeps 3 decimals, not 4.
    expect(formatMilliseconds(0.0123)).toBe('0.012');
    expect(formatMilliseconds(0.0004)).toBe('0');
    expect(formatMilliseconds(-2)).toBe('0');
    expect(formatMilliseconds(Number.NaN)).toBe('0');
  });

  it('pins the error of a malformed message on the byte that breaks it', () => {
    const loop = new PacketBuilder().header(1, 0x0100, 1, 0, 0, 0).name(['www'], false).pointer(12).u16(1).u16(1).build();
    const tree = dissectDns(loop, UDP_QUERY);
    expect(tree[0].expert?.severity).toBe('error');
    expect(tree[0].expert?.message).toContain('a server answers FORMERR');
    const pointer = nodes(tree, 'dns.name.pointer')[0];
    expect(pointer).toMatchObject({ offset: 16, value: 12, expert: { severity: 'error' } });
    // Every byte is still covered by the tree.
    expect(tree.reduce((n, x) => n + x.length, 0)).toBe(loop.length);
  });

  it('shows trailing bytes, and the note about a UDP message over 512 octets without EDNS', () => {
    const wire = encodeMessage(makeQuery(1, 'a.example', RR_TYPE.A));
    const tree = dissectDns(Uint8Array.from([...wire, 9, 9]), UDP_QUERY);
    expect(tree.map((n) => [n.id, n.offset, n.length])).toEqual([
      ['dns', 0, wire.length],
      ['dns.trailing', wire.length, 2],
    ]);
    const big = dissectDns(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { transport: 'tcp' }).wire, UDP_RESPONSE);
    expect(big[0].expert?.message).toContain('UDP messages are limited to 512 octets');
  });

  it('never throws and always covers the message, on random bytes and every cut of a real one', () => {
    const real = ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX, { ednsPayload: 1232 }).wire;
    for (const transport of ['udp', 'tcp'] as const) {
      for (let n = 1; n <= real.length; n++) {
        const bytes = real.subarray(0, n);
        const tree = dissectDns(bytes, { dir: 's2c', role: 'response', transport, partial: true });
        expect(tree.reduce((sum, x) => sum + x.length, 0)).toBe(n);
      }
    }
  });
});

describe('explanations', () => {
  const explain = (bytes: Uint8Array, ctx: DissectContext = UDP_RESPONSE) => explainDns(bytes, ctx);

  it('tell a recursive query from an iterative one', () => {
    expect(explain(encodeMessage(makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A)), UDP_QUERY).text).toContain('RD is set: it wants the server to find the final answer');
    const iterative = explain(encodeMessage(makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A, { recursionDesired: false })), UDP_QUERY);
    expect(iterative.title).toBe('DNS query: A gaia.cs.umass.edu.');
    expect(iterative.text).toContain('RD is clear: an iterative query');
    expect(explain(encodeMessage(makeQuery(1, '201.128.123.130.in-addr.arpa', RR_TYPE.PTR)), UDP_QUERY).text).toContain('the host name (PTR) of the address 130.123.128.201 (a reverse lookup)');
  });

  it('explain answers, referrals, negative answers and truncation', () => {
    expect(explain(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire).text).toContain('The answer is authoritative (AA)');
    const referral = explain(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire);
    expect(referral.title).toBe('DNS referral: edu.');
    expect(referral.text).toContain('glue): a.edu-servers.net. 192.5.6.31');
    expect(explain(ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A).wire).text).toContain('cache this "no" for 5 minutes');
    expect(explain(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.AAAA).wire).text).toContain('NODATA');
    expect(explain(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT).wire).text).toContain('over TCP');
    expect(explain(ask('ns1.yahoo.com', 'www.yahoo.com.', RR_TYPE.A).wire).text).toContain('load distribution');
    expect(explain(ask('ns1.ibm.com', 'www.ibm.com.', RR_TYPE.A).wire).text).toContain('www.ibm.com. is an alias: its canonical name is servereast.backup2.ibm.com.');
    expect(explain(ask('dns.cs.umass.edu', 'www.amazon.com.', RR_TYPE.A).wire).title).toBe('DNS response: REFUSED');
  });

  it('say why malformed bytes are rejected', () => {
    const e = explain(new PacketBuilder().header(1, 0x0100, 1, 0, 0, 0).pointer(12).u16(1).u16(1).build(), UDP_QUERY);
    expect(e.title).toBe('Malformed DNS message');
    expect(e.text).toContain('FORMERR');
    expect(explain(Uint8Array.from([0, 1]), UDP_QUERY).text).toContain('drops it');
  });

  it('document each flag, type and response code', () => {
    expect(explainFlag('rd').text).toContain('recursive query');
    expect(explainRecordType(RR_TYPE.MX).title).toBe('MX (type 15)');
    expect(explainRecordType(3).text).toContain('(obsolete)');
    expect(explainRecordType(65280).rfc).toBe('RFC 3597 §5');
    expect(explainRcode(3).title).toBe('NXDOMAIN (3)');
    expect(explainRcode(99).text).toContain('not assigned');
  });
});
