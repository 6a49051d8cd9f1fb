// The stub resolver as other lab code calls it (the terminal now, the mail relay later): finding
// servers, one query, lookupAddress with CNAMEs followed, lookupMailExchangers, against a real lab;
// then the limits (the CNAME chain, the timeout) against small DNS servers of the test's own on
// loopback that answer with chains of any length, or not at all.

import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DNS_MAX_CNAME_CHAIN, type DnsMessage, RR_TYPE, decodeMessage, encodeMessage } from '../../../src/protocols/dns';
import { addDnsHosts } from '../../../src/main/lab/dns/dns-services';
import { dnsWorldHosts, loadDnsWorld } from '../../../src/main/lab/dns/dns-world';
import { type DnsServerRef, STUB_EDNS_PAYLOAD, createStubResolver, type StubResolver } from '../../../src/main/lab/dns/stub-resolver';
import type { Lab } from '../../../src/main/lab/lab';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';
import { startTestLab, type TestLab } from '../../support/test-lab';

let testLab: TestLab;
let lab: Lab;
let offset: number;
let stub: StubResolver;

beforeAll(async () => {
  testLab = await startTestLab();
  ({ lab, offset } = testLab);
  // The same world the lab loaded, read from its data folder as lab.ts reads it.
  const world = parseWorld(fs.readFileSync(lab.data.worldFile, 'utf8'), lab.data.worldFile);
  const dnsWorld = loadDnsWorld(lab.data.worldDir);
  if (!dnsWorld) throw new Error('the shipped world has zones');
  addDnsHosts(world, dnsWorldHosts(dnsWorld.manifest));
  const map = new AddressMap(world, offset);
  stub = createStubResolver({ map: () => map, manifest: () => dnsWorld.manifest });
});

afterAll(() => testLab.stop());

describe('servers', () => {
  test('the local resolver and the root servers, with their lab ports', () => {
    expect(stub.localResolver()).toEqual({ ok: true, server: { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver', labAddress: '127.0.0.1', labPort: offset + 53 } });
    expect(stub.rootServers()).toEqual([{ name: 'a.root-servers.net', address: '198.41.0.4', role: 'root', labAddress: '127.0.0.1', labPort: offset + 5301 }]);
  });

  test('by world name (with or without the final dot), by world address, or by loopback port', () => {
    const cs = { name: 'dns.cs.umass.edu', address: '128.119.240.1', role: 'authoritative', labAddress: '127.0.0.1', labPort: offset + 5308 };
    expect(stub.findServer('dns.cs.umass.edu')).toEqual({ ok: true, server: cs });
    expect(stub.findServer('DNS.cs.umass.edu.')).toEqual({ ok: true, server: cs });
    expect(stub.findServer('128.119.240.1')).toEqual({ ok: true, server: cs });
    expect(stub.findServer('127.0.0.1', offset + 5308)).toEqual({ ok: true, server: cs });
    expect(stub.findServer('localhost', offset + 5302)).toMatchObject({ ok: true, server: { name: 'a.gtld-servers.net', role: 'tld' } });
  });

  test('what is not a name server of the lab is refused with the reason', () => {
    expect(stub.findServer('nowhere.example')).toEqual({ ok: false, error: "'nowhere.example' is not a host of the lab world" });
    expect(stub.findServer('192.0.2.99')).toEqual({ ok: false, error: 'no host of the lab world has the address 192.0.2.99' });
    expect(stub.findServer('gaia.cs.umass.edu')).toEqual({ ok: false, error: 'gaia.cs.umass.edu (128.119.245.12) runs no name server in this lab' });
    expect(stub.findServer('dns.cs.umass.edu', 5353)).toEqual({ ok: false, error: 'dns.cs.umass.edu (128.119.240.1) runs no name server on port 5353 in this lab' });
    expect(stub.findServer('127.0.0.1', offset + 80)).toMatchObject({ ok: false, error: expect.stringContaining(`no lab name server listens on 127.0.0.1 port ${offset + 80}`) });
    expect(stub.findServer('127.0.0.1')).toMatchObject({ ok: false, error: expect.stringContaining('which port of 127.0.0.1?') });
  });
});

describe('query', () => {
  test('one question to the resolver: RD set, an OPT record with the payload dig announces, the reply decoded', async () => {
    const r = await stub.query('gaia.cs.umass.edu', RR_TYPE.A);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.query.flags.rd).toBe(true);
    expect(r.query.additionals).toEqual([expect.objectContaining({ type: RR_TYPE.OPT, class: STUB_EDNS_PAYLOAD })]);
    expect(r.question).toEqual({ name: 'gaia.cs.umass.edu.', type: RR_TYPE.A, class: 1 });
    expect(r.response.answers.map((a) => a.data)).toEqual([{ kind: 'A', address: '128.119.245.12' }]);
    expect(r.transport).toBe('udp');
    expect(r.responseSize).toBe(encodeMessage(r.response).length);
  });

  test('RD clear and TCP to an authoritative server, and no EDNS when asked', async () => {
    const cs = stub.findServer('dns.cs.umass.edu');
    if (!cs.ok) throw new Error(cs.error);
    const r = await stub.query('gaia.cs.umass.edu.', RR_TYPE.A, { server: cs.server, recursionDesired: false, tcp: true, edns: false });
    expect(r).toMatchObject({ ok: true, transport: 'tcp' });
    if (!r.ok) return;
    expect(r.query.flags.rd).toBe(false);
    expect(r.query.additionals).toEqual([]);
    expect(r.response.flags.aa).toBe(true);
  });

  test('a reply over 512 bytes without EDNS comes back truncated and is asked again over TCP', async () => {
    const r = await stub.query('yahoo.com', RR_TYPE.TXT, { edns: false });
    expect(r).toMatchObject({ ok: true, truncatedFirst: true, transport: 'tcp' });
    if (r.ok) expect(r.responseSize).toBeGreaterThan(512);
  });

  test('an invalid name is refused before anything is sent', async () => {
    await expect(stub.query(`${'a'.repeat(64)}.com`, RR_TYPE.A)).rejects.toThrow(/label of 64 octets: at most 63/);
  });
});

describe('lookupAddress and lookupMailExchangers through the resolver', () => {
  test('an A record', async () => {
    expect(await stub.lookupAddress('gaia.cs.umass.edu')).toMatchObject({ ok: true, name: 'gaia.cs.umass.edu.', canonicalName: 'gaia.cs.umass.edu.', aliases: [], addresses: ['128.119.245.12'] });
  });

  test('an alias, followed to its canonical name', async () => {
    expect(await stub.lookupAddress('www.ibm.com')).toMatchObject({ ok: true, canonicalName: 'servereast.backup2.ibm.com.', aliases: ['www.ibm.com.'], addresses: ['129.42.38.10'] });
  });

  test('several addresses, all of them', async () => {
    const r = await stub.lookupAddress('www.yahoo.com');
    expect(r.ok && [...r.addresses].sort()).toEqual(['74.6.143.25', '74.6.143.26', '98.137.11.163', '98.137.11.164']);
  });

  test('no such name, no address record, and a name that is no name', async () => {
    expect(await stub.lookupAddress('nosuch.cs.umass.edu')).toMatchObject({ ok: false, kind: 'nxdomain', rcode: 'NXDOMAIN', reason: 'dns.poly.edu says nosuch.cs.umass.edu. does not exist (NXDOMAIN)' });
    expect(await stub.lookupAddress('cs.umass.edu')).toMatchObject({ ok: false, kind: 'nodata', reason: 'cs.umass.edu. has no address (A) record' });
    expect(await stub.lookupAddress('a..b')).toMatchObject({ ok: false, kind: 'invalid-name' });
  });

  test('the mail exchangers of a domain, lowest preference first', async () => {
    expect(await stub.lookupMailExchangers('hamburger.edu')).toMatchObject({ ok: true, exchangers: [{ preference: 10, exchange: 'mail.hamburger.edu.' }] });
    // No MX but an address: the host itself takes the mail, an implicit MX (RFC 5321 §5.1).
    expect(await stub.lookupMailExchangers('gaia.cs.umass.edu')).toMatchObject({ ok: true, exchangers: [{ preference: 0, exchange: 'gaia.cs.umass.edu.', implicit: true }] });
    // Neither MX nor address (a zone apex with only SOA and NS): no mail server at all.
    expect(await stub.lookupMailExchangers('cs.umass.edu')).toMatchObject({ ok: false, kind: 'nodata', reason: 'cs.umass.edu. has no mail exchanger (MX) record, and no address to stand in for one' });
    expect(await stub.lookupMailExchangers('nosuch.hamburger.edu')).toMatchObject({ ok: false, kind: 'nxdomain' });
  });
});

/**
 * A tiny authoritative server of the test's own on loopback: `nK.maxM.test.` is an alias of
 * `n(K+1).maxM.test.` until K reaches M, whose A record is 192.0.2.7; `loop.test.` is an alias of
 * itself; `silent.test.` gets no answer at all; `nomail.test.` has a null MX (RFC 7505). Each reply
 * holds one record, so a client must ask again for each alias.
 */
async function chainServer(): Promise<{ ref: DnsServerRef; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const decoded = decodeMessage(new Uint8Array(msg), { transport: 'udp' });
    if (!decoded.ok) return;
    const q = decoded.message.questions[0]!;
    if (q.name === 'silent.test.') return;
    const reply: DnsMessage = { ...decoded.message, flags: { ...decoded.message.flags, qr: true, aa: true }, answers: [], authorities: [], additionals: [] };
    const m = /^n(\d+)\.max(\d+)\.test\.$/.exec(q.name);
    if (q.name === 'nomail.test.' && q.type === RR_TYPE.MX) reply.answers.push({ name: q.name, type: RR_TYPE.MX, class: 1, ttl: 60, data: { kind: 'MX', preference: 0, exchange: '.' } });
    else if (q.name === 'loop.test.') reply.answers.push({ name: q.name, type: RR_TYPE.CNAME, class: 1, ttl: 60, data: { kind: 'CNAME', target: 'loop.test.' } });
    else if (m && Number(m[1]) < Number(m[2])) reply.answers.push({ name: q.name, type: RR_TYPE.CNAME, class: 1, ttl: 60, data: { kind: 'CNAME', target: `n${Number(m[1]) + 1}.max${m[2]}.test.` } });
    else if (m) reply.answers.push({ name: q.name, type: RR_TYPE.A, class: 1, ttl: 60, data: { kind: 'A', address: '192.0.2.7' } });
    socket.send(encodeMessage(reply), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    ref: { name: 'chain.test', address: '192.0.2.53', role: 'authoritative', labAddress: '127.0.0.1', labPort: socket.address().port },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

describe('a domain that takes no mail', () => {
  test('a null MX (one MX naming the root) is no mail server, not a server called "."', async () => {
    const server = await chainServer();
    try {
      expect(await stub.lookupMailExchangers('nomail.test', { server: server.ref })).toMatchObject({ ok: false, kind: 'nodata', reason: 'nomail.test. accepts no mail: its MX record names no mail server (a null MX, RFC 7505)' });
    } finally {
      await server.close();
    }
  });
});

describe('limits', () => {
  test(`a chain of ${DNS_MAX_CNAME_CHAIN} aliases is followed, one more is refused (DNS_MAX_CNAME_CHAIN)`, async () => {
    const server = await chainServer();
    try {
      const longest = await stub.lookupAddress(`n0.max${DNS_MAX_CNAME_CHAIN}.test`, { server: server.ref });
      expect(longest).toMatchObject({ ok: true, canonicalName: `n${DNS_MAX_CNAME_CHAIN}.max${DNS_MAX_CNAME_CHAIN}.test.`, addresses: ['192.0.2.7'] });
      expect(longest.ok && longest.aliases).toHaveLength(DNS_MAX_CNAME_CHAIN);
      const tooLong = await stub.lookupAddress(`n0.max${DNS_MAX_CNAME_CHAIN + 1}.test`, { server: server.ref });
      expect(tooLong).toMatchObject({ ok: false, kind: 'cname-loop', reason: `more than ${DNS_MAX_CNAME_CHAIN} aliases in a row from n0.max${DNS_MAX_CNAME_CHAIN + 1}.test.; gave up` });
      expect(await stub.lookupAddress('loop.test', { server: server.ref })).toMatchObject({ ok: false, kind: 'cname-loop', reason: 'the aliases of loop.test. loop back to loop.test.' });
    } finally {
      await server.close();
    }
  });

  test('silence is a timeout (the wait ran out); a refused TCP connection is not, however long the wait', async () => {
    const server = await chainServer();
    try {
      const waitMs = 150;
      const silent = await stub.query('silent.test', RR_TYPE.A, { server: server.ref, timeoutMs: waitMs });
      expect(silent).toMatchObject({ ok: false, timedOut: true, reason: `no reply from chain.test within ${waitMs} ms` });
    } finally {
      await server.close();
    }
    // A loopback TCP port nothing listens on: refused at once, long before the wait is over.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await stub.query('gaia.cs.umass.edu', RR_TYPE.A, { server: { name: 'nothing.test', address: '192.0.2.54', role: 'authoritative', labAddress: '127.0.0.1', labPort: closedPort }, tcp: true, timeoutMs: 5_000 });
    expect(refused).toMatchObject({ ok: false, timedOut: false, reason: 'nothing.test refused the TCP connection (is its server stopped?)' });
  });
});
