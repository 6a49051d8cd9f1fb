// The breakdown checked point by point against issue 4's "Breakdown" list: the header bit by bit,
// names as labels with their lengths, compression pointers with their target offsets, type, class,
// TTL, RDLENGTH and decoded RDATA, what each flag and type means; and the two points that need the
// capture's connection: which host of the hierarchy sent the message (and to whom), and for a
// response from the local name server, each TTL as the time left in its cache.

import { describe, expect, it } from 'vitest';
import { type FieldNode, walkFields } from '../../../../src/protocols/core/field';
import { bytesToBase64 } from '../../../../src/protocols/core/bytes';
import {
  DNS_FIELDS,
  type DnsMessage,
  type DnsRecord,
  RR_TYPE,
  decodeMessage,
  dissectDns,
  emptyFlags,
  encodeMessage,
  explainDns,
  makeOpt,
  makeQuery,
  withLengthPrefix,
} from '../../../../src/protocols/dns';
import { describePeer } from '../../../../src/protocols/dns/explain';
import { getProtocol } from '../../../../src/protocols/registry';
import type { DissectContext, MessagePeer } from '../../../../src/protocols/registry-types';
import { dissectMessage, dissectionContext, hostsSignature, messagePeer } from '../../../../src/renderer/lib/dissection';
import type { ConnectionInfo, Endpoint, MessageDetail } from '../../../../src/shared/capture';
import type { WorldHostInfo } from '../../../../src/shared/lab-api';
import { renderSpans } from '../golden';
import { PacketBuilder, ask } from './helpers';

const STUDENT: MessagePeer = { name: 'cis.poly.edu', address: '128.238.2.93', role: 'client', studentMachine: true };
const RESOLVER: MessagePeer = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver' };
const ROOT: MessagePeer = { name: 'a.root-servers.net', address: '198.41.0.4', role: 'root' };
const EDU: MessagePeer = { name: 'a.edu-servers.net', address: '192.5.6.31', role: 'tld' };
const UMASS: MessagePeer = { name: 'dns.cs.umass.edu', address: '128.119.240.1', role: 'authoritative' };

const fromResolver = (transport: 'udp' | 'tcp' = 'udp'): DissectContext => ({ dir: 's2c', role: 'response', transport, sender: RESOLVER, receiver: STUDENT });

function nodes(tree: readonly FieldNode[], id: string): FieldNode[] {
  return [...walkFields(tree)].map(([n]) => n).filter((n) => n.id === id);
}

const A_GAIA = (ttl: number): DnsRecord => ({ name: 'gaia.cs.umass.edu.', type: RR_TYPE.A, class: 1, ttl, data: { kind: 'A', address: '128.119.245.12' } });

/** What the local name server answers from its cache: AA clear, RD and RA set, the TTL counted down from the zone's 3600. */
function resolverAnswer(answers: DnsRecord[] = [A_GAIA(3542)], question = 'gaia.cs.umass.edu.'): DnsMessage {
  return {
    id: 0x3c4d,
    flags: { ...emptyFlags(), qr: true, rd: true, ra: true },
    questions: [{ name: question, type: RR_TYPE.A, class: 1 }],
    answers,
    authorities: [],
    additionals: [makeOpt(1232)],
  };
}

/** The resolver's cached "no such name": the zone's SOA with its TTL counted down (RFC 2308 §6). */
function resolverNxdomain(soaTtl: number): DnsMessage {
  return {
    ...resolverAnswer([], 'gaya.cs.umass.edu.'),
    flags: { ...emptyFlags(), qr: true, rd: true, ra: true, rcode: 3 },
    authorities: [
      {
        name: 'cs.umass.edu.',
        type: RR_TYPE.SOA,
        class: 1,
        ttl: soaTtl,
        data: { kind: 'SOA', mname: 'dns.cs.umass.edu.', rname: 'hostmaster.cs.umass.edu.', serial: 2024010101, refresh: 3600, retry: 900, expire: 1209600, minimum: 300 },
      },
    ],
  };
}

describe('the Breakdown list of issue 4, point by point', () => {
  const wire = ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x5e6f }).wire;
  const tree = dissectDns(wire, { dir: 's2c', role: 'response', transport: 'udp' });

  it('the 12-byte header bit by bit: ID, QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE, the four counts', () => {
    const top = tree[0].children ?? [];
    const header = top.filter((n) => n.offset < 12 && !n.generated);
    expect(header.map((n) => [n.id, n.offset, n.length])).toEqual([
      ['dns.id', 0, 2],
      ['dns.flags', 2, 2],
      ['dns.count.queries', 4, 2],
      ['dns.count.answers', 6, 2],
      ['dns.count.auth_rr', 8, 2],
      ['dns.count.add_rr', 10, 2],
    ]);
    const bits = nodes(tree, 'dns.flags')[0].children ?? [];
    expect(bits.map((b) => b.id)).toEqual([
      'dns.flags.response',
      'dns.flags.opcode',
      'dns.flags.authoritative',
      'dns.flags.truncated',
      'dns.flags.recdesired',
      'dns.flags.recavail',
      'dns.flags.z',
      'dns.flags.authenticated',
      'dns.flags.checkdisable',
      'dns.flags.rcode',
    ]);
    // Each one says what it means in this message, after its bits.
    for (const b of bits) expect(b.display).toMatch(/^[01. ]{19} = .+: .+/);
  });

  it('each name as labels with their length octets, ending in the root label or a pointer to its target offset', () => {
    const qname = nodes(tree, 'dns.qry.name')[0];
    expect(qname.children?.map((c) => [c.id, c.offset, c.length, c.value])).toEqual([
      ['dns.name.label', 12, 5, 'gaia'],
      ['dns.name.label', 17, 3, 'cs'],
      ['dns.name.label', 20, 6, 'umass'],
      ['dns.name.label', 26, 4, 'edu'],
      ['dns.name.root', 30, 1, 0],
    ]);
    expect(qname.children?.[0].children?.map((c) => [c.id, c.offset, c.length, c.value])).toEqual([
      ['dns.name.label.length', 12, 1, 4],
      ['dns.name.label.text', 13, 4, 'gaia'],
    ]);
    // The referral's NS record names edu. by pointing at the question's "edu" label.
    const owner = nodes(tree, 'dns.rr.name')[0];
    expect(owner.children?.map((c) => [c.id, c.length, c.value, c.display])).toEqual([['dns.name.pointer', 2, 26, 'Compression pointer: 0xc01a → offset 26: edu.']]);
  });

  it('each RR: type, class, TTL, RDLENGTH and RDATA decoded, and what the type means', () => {
    const rr = nodes(tree, 'dns.rr')[0];
    expect(rr.children?.map((c) => c.id)).toEqual(['dns.rr.name', 'dns.rr.type', 'dns.rr.class', 'dns.rr.ttl', 'dns.rr.rdlength', 'dns.rr.rdata']);
    const [, type, , ttl, rdlength, rdata] = rr.children ?? [];
    expect(type.display).toMatch(/^Type: NS \(2\) — .{20,}/);
    expect(ttl.display).toBe('Time to live: 172800 (2 days)');
    expect(rdlength).toMatchObject({ length: 2, value: rdata.length });
    expect(rdata.children?.map((c) => [c.id, c.value])).toEqual([['dns.ns', 'a.edu-servers.net.']]);
    expect(nodes(tree, 'dns.a').map((n) => n.value)).toEqual(['192.5.6.31']);
    for (const n of nodes(tree, 'dns.qry.type')) expect(n.display).toContain(' — ');
  });

  it('without the connection, the tree names no sender and says nothing about caches', () => {
    expect(nodes(tree, 'dns.sender')).toEqual([]);
    expect(nodes(tree, 'dns.receiver')).toEqual([]);
    expect(nodes(tree, 'dns.rr.ttl.remaining')).toEqual([]);
  });
});

describe('which host of the hierarchy sent the message, and to whom', () => {
  it('names each end and its place in the course\'s picture', () => {
    expect(describePeer(ROOT)).toBe('a.root-servers.net (198.41.0.4), a root server');
    expect(describePeer(EDU)).toBe('a.edu-servers.net (192.5.6.31), a top-level domain (TLD) server');
    expect(describePeer(UMASS)).toBe('dns.cs.umass.edu (128.119.240.1), an authoritative server');
    expect(describePeer(RESOLVER)).toBe('dns.poly.edu (128.238.29.22), the local name server');
    expect(describePeer(STUDENT)).toBe("cis.poly.edu (128.238.2.93), the student's machine");
    expect(describePeer({ name: 'cache.poly.edu', address: '128.238.5.5', role: 'client' })).toBe('cache.poly.edu (128.238.5.5), a DNS client');
    expect(describePeer({ address: '192.168.1.20' })).toBe('192.168.1.20');
  });

  it('as generated fields at the top of the DNS tree: a root server\'s referral to the local name server', () => {
    const tree = dissectDns(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, { dir: 's2c', role: 'response', transport: 'udp', sender: ROOT, receiver: RESOLVER });
    const [sender, receiver] = tree[0].children ?? [];
    expect(sender).toEqual({ id: 'dns.sender', offset: 0, length: 0, value: 'a.root-servers.net', display: 'Sent by: a.root-servers.net (198.41.0.4), a root server', generated: true });
    expect(receiver).toEqual({ id: 'dns.receiver', offset: 0, length: 0, value: 'dns.poly.edu', display: 'Sent to: dns.poly.edu (128.238.29.22), the local name server', generated: true });
    expect(DNS_FIELDS['dns.sender'].blurb).toContain('does not name its sender');
  });

  it('the student\'s recursive query to the local name server, over TCP after the length prefix', () => {
    const query = withLengthPrefix(encodeMessage(makeQuery(7, 'gaia.cs.umass.edu', RR_TYPE.A)));
    const tree = dissectDns(query, { dir: 'c2s', role: 'request', transport: 'tcp', sender: STUDENT, receiver: RESOLVER });
    expect(tree[0].id).toBe('dns.length');
    expect(nodes(tree, 'dns.sender')[0]).toMatchObject({ offset: 2, display: "Sent by: cis.poly.edu (128.238.2.93), the student's machine" });
    expect(nodes(tree, 'dns.receiver')[0].display).toBe('Sent to: dns.poly.edu (128.238.29.22), the local name server');
  });

  it('a host the world does not know is shown by its address alone, value and all', () => {
    const tree = dissectDns(encodeMessage(makeQuery(7, 'gaia.cs.umass.edu', RR_TYPE.A)), { dir: 'c2s', role: 'request', transport: 'udp', sender: { address: '192.168.1.20' }, receiver: RESOLVER });
    expect(nodes(tree, 'dns.sender')[0]).toMatchObject({ value: '192.168.1.20', display: 'Sent by: 192.168.1.20' });
  });

  it('malformed messages still say who sent them', () => {
    const ctx: DissectContext = { dir: 'c2s', role: 'request', transport: 'udp', sender: STUDENT, receiver: UMASS };
    const cut = dissectDns(Uint8Array.from([0x12, 0x34, 0x01]), ctx);
    expect(cut[0].expert?.severity).toBe('error');
    expect(nodes(cut, 'dns.sender')[0].value).toBe('cis.poly.edu');
    const loop = dissectDns(new PacketBuilder().header(1, 0x0100, 1, 0, 0, 0).pointer(12).u16(1).u16(1).build(), ctx);
    expect(nodes(loop, 'dns.receiver')[0].display).toBe('Sent to: dns.cs.umass.edu (128.119.240.1), an authoritative server');
    // Generated nodes cover no bytes: the error is still pinned on the pointer.
    expect(nodes(loop, 'dns.name.pointer')[0].expert?.severity).toBe('error');
  });

  it('the explanation starts with the route', () => {
    const e = explainDns(ask('a.edu-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, { dir: 's2c', role: 'response', transport: 'udp', sender: EDU, receiver: RESOLVER });
    expect(e.text).toMatch(/^From a\.edu-servers\.net \(192\.5\.6\.31\), a top-level domain \(TLD\) server, to dns\.poly\.edu \(128\.238\.29\.22\), the local name server\. The server does not have the answer/);
    const plain = explainDns(ask('a.edu-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, { dir: 's2c', role: 'response', transport: 'udp' });
    expect(plain.text).toMatch(/^The server does not have the answer/);
  });
});

describe('the remaining TTL in what the local name server answers from its cache', () => {
  it('golden span log: a cached A record, its TTL with the time left as a generated child, the OPT record without one', () => {
    const tree = dissectDns(encodeMessage(resolverAnswer()), fromResolver());
    expect(renderSpans(tree)).toEqual([
      'off=0 len=62 dns (Domain Name System (response))',
      '  off=0 len=0 dns.sender="dns.poly.edu" generated',
      '  off=0 len=0 dns.receiver="cis.poly.edu" generated',
      '  off=0 len=2 dns.id=15437',
      '  off=2 len=2 dns.flags=33152',
      '    off=2 len=2 dns.flags.response=true',
      '    off=2 len=2 dns.flags.opcode=0',
      '    off=2 len=2 dns.flags.authoritative=false',
      '    off=2 len=2 dns.flags.truncated=false',
      '    off=2 len=2 dns.flags.recdesired=true',
      '    off=2 len=2 dns.flags.recavail=true',
      '    off=2 len=2 dns.flags.z=false',
      '    off=2 len=2 dns.flags.authenticated=false',
      '    off=2 len=2 dns.flags.checkdisable=false',
      '    off=2 len=2 dns.flags.rcode=0',
      '  off=4 len=2 dns.count.queries=1',
      '  off=6 len=2 dns.count.answers=1',
      '  off=8 len=2 dns.count.auth_rr=0',
      '  off=10 len=2 dns.count.add_rr=1',
      '  off=12 len=23 dns.queries (Queries)',
      '    off=12 len=23 dns.query (gaia.cs.umass.edu.: type A, class IN)',
      '      off=12 len=19 dns.qry.name="gaia.cs.umass.edu."',
      '        off=12 len=5 dns.name.label="gaia"',
      '          off=12 len=1 dns.name.label.length=4',
      '          off=13 len=4 dns.name.label.text="gaia"',
      '        off=17 len=3 dns.name.label="cs"',
      '          off=17 len=1 dns.name.label.length=2',
      '          off=18 len=2 dns.name.label.text="cs"',
      '        off=20 len=6 dns.name.label="umass"',
      '          off=20 len=1 dns.name.label.length=5',
      '          off=21 len=5 dns.name.label.text="umass"',
      '        off=26 len=4 dns.name.label="edu"',
      '          off=26 len=1 dns.name.label.length=3',
      '          off=27 len=3 dns.name.label.text="edu"',
      '        off=30 len=1 dns.name.root=0',
      '      off=31 len=2 dns.qry.type="A"',
      '      off=33 len=2 dns.qry.class="IN"',
      '  off=35 len=16 dns.answers (Answers)',
      '    off=35 len=16 dns.rr (gaia.cs.umass.edu.: type A, class IN, TTL 3542, addr 128.119.245.12)',
      '      off=35 len=2 dns.rr.name="gaia.cs.umass.edu."',
      '        off=35 len=2 dns.name.pointer=12',
      '      off=37 len=2 dns.rr.type="A"',
      '      off=39 len=2 dns.rr.class="IN"',
      '      off=41 len=4 dns.rr.ttl=3542',
      '        off=41 len=4 dns.rr.ttl.remaining=3542 generated',
      '      off=45 len=2 dns.rr.rdlength=4',
      '      off=47 len=4 dns.rr.rdata (Data: addr 128.119.245.12)',
      '        off=47 len=4 dns.a="128.119.245.12"',
      '  off=51 len=11 dns.additional (Additional records)',
      '    off=51 len=11 dns.opt (<Root>: type OPT, UDP payload 1232)',
      '      off=51 len=1 dns.rr.name="."',
      '        off=51 len=1 dns.name.root=0',
      '      off=52 len=2 dns.rr.type="OPT"',
      '      off=54 len=2 dns.opt.udp_payload_size=1232',
      '      off=56 len=1 dns.opt.ext_rcode=0',
      '      off=57 len=1 dns.opt.version=0',
      '      off=58 len=2 dns.opt.flags=0',
      '        off=58 len=2 dns.opt.do=false',
      '      off=60 len=2 dns.rr.rdlength=0',
      '  off=0 len=0 dns.outcome="answer" generated',
    ]);
  });

  it('says what the number is, and does not invent the zone\'s TTL it started from', () => {
    const tree = dissectDns(encodeMessage(resolverAnswer()), fromResolver());
    const ttl = nodes(tree, 'dns.rr.ttl')[0];
    expect(ttl.display).toBe('Time to live: 3542 (59 minutes 2 seconds), how long dns.poly.edu may still keep it');
    expect(ttl.children?.[0].display).toBe(
      'Remaining TTL: dns.poly.edu may keep this record for another 59 minutes 2 seconds: the full TTL when it has just fetched the record, less when it answers from its cache, which passes on the time left (RFC 1035 §4.1.3, RFC 2181 §8)',
    );
    // 3600, the TTL in umass.edu's zone file, appears nowhere: the message does not carry it.
    expect(JSON.stringify(tree)).not.toContain('3600');
    expect(JSON.stringify(tree)).not.toContain('1 hour');
    expect(nodes(tree, 'dns.outcome')[0].display).toBe(
      'Outcome: Answer from the local name server (not the authority): records it got from the hierarchy; each TTL is how long dns.poly.edu may still keep them (the full TTL when it has just fetched them, less when it answers from its cache)',
    );
  });

  it('on every record of a CNAME chain, each with its own time left', () => {
    const chain: DnsRecord[] = [
      { name: 'www.ibm.com.', type: RR_TYPE.CNAME, class: 1, ttl: 1790, data: { kind: 'CNAME', target: 'servereast.backup2.ibm.com.' } },
      { name: 'servereast.backup2.ibm.com.', type: RR_TYPE.A, class: 1, ttl: 50, data: { kind: 'A', address: '129.42.38.10' } },
    ];
    const tree = dissectDns(encodeMessage(resolverAnswer(chain, 'www.ibm.com.')), fromResolver());
    expect(nodes(tree, 'dns.rr.ttl.remaining').map((n) => [n.value, n.display.split(':').slice(0, 2).join(':')])).toEqual([
      [1790, 'Remaining TTL: dns.poly.edu may keep this record for another 29 minutes 50 seconds'],
      [50, 'Remaining TTL: dns.poly.edu may keep this record for another 50 seconds'],
    ]);
  });

  it('on the SOA of a cached negative answer, as the time the "no" is still remembered (RFC 2308 §6)', () => {
    const tree = dissectDns(encodeMessage(resolverNxdomain(290)), fromResolver());
    const [remaining] = nodes(tree, 'dns.rr.ttl.remaining');
    expect(remaining.value).toBe(290);
    expect(remaining.display).toBe(
      "Remaining TTL: dns.poly.edu may remember for another 4 minutes 50 seconds that there is no such data: the SOA's TTL in full when it has just been told, counted down when it answers from its cache (RFC 2308 §6)",
    );
    const e = explainDns(encodeMessage(resolverNxdomain(290)), fromResolver());
    expect(e.text).toContain('says dns.poly.edu may remember this "no" for another 4 minutes 50 seconds (negative caching)');
  });

  it('over TCP, on the TTL\'s bytes after the length prefix', () => {
    const tree = dissectDns(withLengthPrefix(encodeMessage(resolverAnswer())), fromResolver('tcp'));
    expect(nodes(tree, 'dns.rr.ttl.remaining')[0]).toMatchObject({ offset: 43, length: 4, value: 3542 });
  });

  it('only in responses the local name server sends: not from an authoritative server, not in what is sent to the resolver', () => {
    const authoritative = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire;
    const fromUmass = dissectDns(authoritative, { dir: 's2c', role: 'response', transport: 'udp', sender: UMASS, receiver: RESOLVER });
    expect(nodes(fromUmass, 'dns.rr.ttl.remaining')).toEqual([]);
    expect(nodes(fromUmass, 'dns.rr.ttl')[0].display).toBe('Time to live: 3600 (1 hour)');
    // A "response" the resolver sends as a query (QR clear) holds no cache data.
    const query = new PacketBuilder().header(9, 0x0100, 1, 1, 0, 0).name(['a']).u16(1).u16(1).pointer(12).u16(1).u16(1).u32(60).u16(4).u8(1, 2, 3, 4).build();
    expect(decodeMessage(query).ok).toBe(true);
    expect(nodes(dissectDns(query, { dir: 'c2s', role: 'request', transport: 'udp', sender: RESOLVER, receiver: ROOT }), 'dns.rr.ttl.remaining')).toEqual([]);
  });

  it('the explanation gives each record\'s time the local name server may still keep it', () => {
    const e = explainDns(encodeMessage(resolverAnswer()), fromResolver());
    expect(e.text).toMatch(/^From dns\.poly\.edu \(128\.238\.29\.22\), the local name server, to cis\.poly\.edu \(128\.238\.2\.93\), the student's machine\./);
    expect(e.text).toContain('Each TTL is how long it may still keep the record: the full TTL the zone set when it has just fetched it, less when it answers from its cache');
    expect(e.text).toContain('gaia.cs.umass.edu. has the address 128.119.245.12 (dns.poly.edu may keep it 59 minutes 2 seconds more)');
  });
});

describe('the renderer gives the dissector both ends from the connection and the world\'s hosts', () => {
  const HOSTS: WorldHostInfo[] = [
    { name: 'gaia.cs.umass.edu', address: '128.119.245.12', aliases: [] },
    { name: 'cache.poly.edu', address: '128.238.5.5', aliases: [] },
    { name: 'dns.poly.edu', address: '128.238.29.22', aliases: [], dnsRole: 'resolver' },
    { name: 'a.root-servers.net', address: '198.41.0.4', aliases: [], dnsRole: 'root' },
  ];
  const endpoint = (hostname: string | undefined, virtualAddress: string, port: number): Endpoint => ({ address: '127.0.0.1', port, virtualAddress, virtualPort: port, ...(hostname ? { hostname } : {}) });
  // How the root's DNS service records a query from the resolver: the resolver is the flow's client.
  const conn: ConnectionInfo = {
    id: 4,
    transport: 'udp',
    protocol: 'dns',
    serviceId: 'a.root-servers.net/dns/udp',
    side: 'server',
    client: endpoint('dns.poly.edu', '128.238.29.22', 40001),
    server: { address: '127.0.0.1', port: 15301, virtualAddress: '198.41.0.4', virtualPort: 53, hostname: 'a.root-servers.net' },
    openedAt: 0,
    state: 'open',
  };
  const referral = ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x5e6f }).wire;
  const detail: MessageDetail = {
    id: 9,
    connId: 4,
    protocol: 'dns',
    transport: 'udp',
    dir: 's2c',
    role: 'response',
    t: 10,
    length: referral.length,
    summary: 'referral',
    source: 'a.root-servers.net:53',
    destination: 'dns.poly.edu:40001',
    bytes: bytesToBase64(referral),
    conn,
  };

  it('a world host gets its DNS role, any other world host is a client, a named end outside the hosts is the student\'s machine', () => {
    expect(messagePeer(conn.server, HOSTS)).toEqual({ name: 'a.root-servers.net', address: '198.41.0.4', role: 'root' });
    expect(messagePeer(endpoint('Cache.Poly.Edu.', '128.238.5.5', 1), HOSTS)).toEqual({ name: 'Cache.Poly.Edu.', address: '128.238.5.5', role: 'client' });
    expect(messagePeer(endpoint('cis.poly.edu', '128.238.2.93', 1), HOSTS)).toEqual({ name: 'cis.poly.edu', address: '128.238.2.93', role: 'client', studentMachine: true });
    expect(messagePeer(endpoint(undefined, '192.168.1.20', 1), HOSTS)).toEqual({ address: '192.168.1.20' });
    // Before the snapshot arrives nothing is guessed.
    expect(messagePeer(endpoint('cis.poly.edu', '128.238.2.93', 1))).toEqual({ name: 'cis.poly.edu', address: '128.238.2.93' });
  });

  it('the direction says which end sent it', () => {
    expect(dissectionContext(detail, null, HOSTS)).toMatchObject({ sender: { name: 'a.root-servers.net', role: 'root' }, receiver: { name: 'dns.poly.edu', role: 'resolver' } });
    expect(dissectionContext({ ...detail, dir: 'c2s' }, null, HOSTS)).toMatchObject({ sender: { name: 'dns.poly.edu' }, receiver: { name: 'a.root-servers.net' } });
    const { conn: _gone, ...evicted } = detail;
    expect(dissectionContext(evicted, null, HOSTS).sender).toBeUndefined();
  });

  it('end to end: the captured referral says a root server sent it to the local name server', () => {
    const d = dissectMessage(detail, getProtocol, null, HOSTS);
    expect(d.error).toBeUndefined();
    expect(nodes(d.nodes, 'dns.sender')[0].display).toBe('Sent by: a.root-servers.net (198.41.0.4), a root server');
    expect(nodes(d.nodes, 'dns.receiver')[0].display).toBe('Sent to: dns.poly.edu (128.238.29.22), the local name server');
    expect(d.explanation?.text).toMatch(/^From a\.root-servers\.net/);
  });

  it('the hosts signature changes with a DNS role, not with a new array of the same hosts', () => {
    expect(hostsSignature(HOSTS.map((h) => ({ ...h })))).toBe(hostsSignature(HOSTS));
    expect(hostsSignature(HOSTS.map((h) => (h.name === 'dns.poly.edu' ? { ...h, dnsRole: undefined } : h)))).not.toBe(hostsSignature(HOSTS));
    expect(hostsSignature(undefined)).toBe('');
  });
});

describe('each record explained from its own name and section, not from a fixed example', () => {
  const typeLine = (tree: readonly FieldNode[], owner: string) => nodes(tree, 'dns.rr').find((rr) => rr.children?.[0].value === owner)?.children?.[1].display;
  const UDP_RESPONSE: DissectContext = { dir: 's2c', role: 'response', transport: 'udp' };

  it('an answer record answers the question asked, with the question\'s name', () => {
    const lab: DnsRecord = { name: 'lab.umass.edu.', type: RR_TYPE.A, class: 1, ttl: 600, data: { kind: 'A', address: '128.119.8.150' } };
    const tree = dissectDns(encodeMessage(resolverAnswer([lab], 'lab.umass.edu.')), fromResolver());
    expect(typeLine(tree, 'lab.umass.edu.')).toBe('Type: A (1) — the answer to the question: an IPv4 address of lab.umass.edu.');
    expect(nodes(tree, 'dns.qry.type')[0].display).toBe('Type: A (1) — the question asks for the IPv4 address (A) of lab.umass.edu.');
    expect(JSON.stringify(tree)).not.toContain('gaia');
  });

  it('the A record at the end of a CNAME chain answers the question too, and each CNAME says where the lookup goes on', () => {
    const tree = dissectDns(ask('ns1.ibm.com', 'www.ibm.com.', RR_TYPE.A).wire, UDP_RESPONSE);
    expect(typeLine(tree, 'www.ibm.com.')).toBe('Type: CNAME (5) — www.ibm.com. is an alias: the answer to the question goes on at its canonical name');
    expect(typeLine(tree, 'servereast.backup2.ibm.com.')).toBe('Type: A (1) — the answer to the question: an IPv4 address of servereast.backup2.ibm.com., the canonical name www.ibm.com. leads to');
  });

  it('in a referral, the NS record is the server to ask next and the additional A record is its glue address', () => {
    const tree = dissectDns(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire, { ...UDP_RESPONSE, sender: ROOT, receiver: RESOLVER });
    expect(typeLine(tree, 'edu.')).toBe('Type: NS (2) — a name server for edu.: the zone of gaia.cs.umass.edu. is delegated to it, so the resolver asks it next (a referral)');
    expect(typeLine(tree, 'a.edu-servers.net.')).toBe(
      'Type: A (1) — the address of the name server a.edu-servers.net. named in the authority section, so the resolver can ask it next without looking it up (glue)',
    );
    expect(JSON.stringify(nodes(tree, 'dns.additional'))).not.toContain('answer to');
  });

  it('in an answer, the additional A of the MX exchange is the mail server\'s address, the one of the NS the name server\'s', () => {
    const tree = dissectDns(ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX).wire, UDP_RESPONSE);
    expect(typeLine(tree, 'hamburger.edu.')).toBe('Type: MX (15) — the answer to the question: a mail server for hamburger.edu.; senders try the lowest preference first');
    expect(typeLine(tree, 'mail.hamburger.edu.')).toBe(
      'Type: A (1) — the address of the mail server mail.hamburger.edu. named in the MX record of hamburger.edu., so a sender can reach it without looking it up',
    );
    expect(typeLine(tree, 'ns.hamburger.edu.')).toBe('Type: A (1) — the address of the name server ns.hamburger.edu. named in the authority section, so a resolver can reach it without looking it up');
    // The NS record of an answer is no referral.
    expect(nodes(tree, 'dns.rr').find((rr) => rr.display.includes('type NS'))?.children?.[1].display).toBe('Type: NS (2) — a name server for hamburger.edu., the zone the answer comes from');
  });

  it('the SOA of a negative answer says what it is there for', () => {
    const tree = dissectDns(ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A).wire, UDP_RESPONSE);
    expect(typeLine(tree, 'cs.umass.edu.')).toMatch(/^Type: SOA \(6\) — the start of authority of the zone cs\.umass\.edu\.: it comes with the negative answer/);
  });
});

describe('the RCODE line says NODATA only for an empty answer with an SOA', () => {
  const UDP_RESPONSE: DissectContext = { dir: 's2c', role: 'response', transport: 'udp' };
  const rcodeLine = (wire: Uint8Array) => nodes(dissectDns(wire, UDP_RESPONSE), 'dns.flags.rcode')[0].display;

  it('a referral (NS in the authority section, AA clear) is called a referral', () => {
    const line = rcodeLine(ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).wire);
    expect(line).toBe('.... .... .... 0000 = Response code: NOERROR (0) — No error, and no answer: a referral. The authority section names the servers of edu. (NS records, AA clear), which the resolver asks next.');
    expect(line).not.toContain('NODATA');
    expect(line).not.toContain('SOA');
  });

  it('an empty answer with the SOA is NODATA; an answer is an answer', () => {
    const nodata = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.AAAA);
    expect(nodata.outcome).toBe('nodata');
    expect(rcodeLine(nodata.wire)).toContain('the authority section holds the SOA of cs.umass.edu.: the name exists but has no data of that type (NODATA)');
    expect(rcodeLine(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire)).toContain('No error: the answer section answers the question.');
  });

  it('an empty answer without an SOA is not called NODATA, on the RCODE line, the outcome or in the explanation', () => {
    const empty: DnsMessage = { ...resolverAnswer([]), additionals: [] };
    const wire = encodeMessage(empty);
    expect(rcodeLine(wire)).toContain('No error, but the answer section is empty.');
    const tree = dissectDns(wire, UDP_RESPONSE);
    expect(nodes(tree, 'dns.outcome')[0].display).not.toContain('NODATA');
    expect(explainDns(wire, UDP_RESPONSE).text).not.toContain('NODATA');
  });

  it('the other codes keep their meaning; a query has none', () => {
    expect(rcodeLine(ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A).wire)).toContain('NXDOMAIN (3) — Name error');
    const query = dissectDns(encodeMessage(makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A)), { dir: 'c2s', role: 'request', transport: 'udp' });
    expect(nodes(query, 'dns.flags.rcode')[0].display).toBe('.... .... .... 0000 = Response code: NOERROR (0)');
  });
});

describe('an answer from the local name server does not claim it came from the cache', () => {
  it('the outcome and the explanation say how long it may keep the records, a fresh fetch or a cache hit alike', () => {
    // A fresh answer: the zone's full TTL, just fetched. The bytes look the same as a cache hit's.
    const fresh = encodeMessage(resolverAnswer([A_GAIA(3600)]));
    const outcome = nodes(dissectDns(fresh, fromResolver()), 'dns.outcome')[0].display;
    expect(outcome).not.toMatch(/served from|from dns\.poly\.edu's cache|in its cache/);
    expect(outcome).toContain('each TTL is how long dns.poly.edu may still keep them (the full TTL when it has just fetched them, less when it answers from its cache)');
    const text = explainDns(fresh, fromResolver()).text;
    expect(text).not.toMatch(/holds it in its cache|left in dns\.poly\.edu's cache/);
    expect(text).toContain('(dns.poly.edu may keep it 1 hour more)');
    expect(DNS_FIELDS['dns.rr.ttl.remaining'].blurb).toContain('The message does not say which of the two it is');
  });
});
