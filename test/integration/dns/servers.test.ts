// The lab's DNS servers on real sockets (a whole Lab, test/support/test-lab.ts): every name server
// of zones.yaml on UDP and TCP at its slot, authoritative (AA) for its zones and REFUSED outside
// them; the local resolver dns.poly.edu walking the hierarchy (iteratively, then in the recursive
// scheme), caching with TTLs counting down; the LabApi commands and events of the resolver, its
// lookups and the zone files; what the capture shows of it all (who sent each query, UDP flows
// ended after each exchange); several queries on one TCP connection; and stopping a server while
// the resolver is in the middle of a question.

import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DNS_TCP_LENGTH_PREFIX,
  type DnsMessage,
  RCODE,
  RR_TYPE,
  type ZoneManifest,
  decodeMessage,
  encodeMessage,
  formatDnsId,
  isAtOrBelow,
  makeQuery,
  withLengthPrefix,
} from '../../../src/protocols/dns';
import { base64ToBytes } from '../../../src/protocols/core/bytes';
import { DNS_QUERY_TIMEOUT_MS } from '../../../src/main/lab/dns/dns-exchange';
import { DnsPeerRegistry, MAX_DNS_PEER_SOCKETS } from '../../../src/main/lab/dns/dns-peers';
import { DnsRuntime, RESOLVER_UPSTREAM_TIMEOUT_MS } from '../../../src/main/lab/dns/dns-runtime';
import { DNS_TCP_MAX_CONNECTIONS, DNS_TCP_MAX_PENDING } from '../../../src/main/lab/dns/dns-service';
import { addDnsHosts } from '../../../src/main/lab/dns/dns-services';
import { dnsWorldHosts, loadDnsWorld } from '../../../src/main/lab/dns/dns-world';
import { DnsLookupLog } from '../../../src/main/lab/dns/lookup-log';
import { RECURSIVE_MAX_RELAYS } from '../../../src/main/lab/dns/resolver-limits';
import { defaultContentDir } from '../../../src/main/lab/lab';
import { LabClientRegistry } from '../../../src/main/lab/services/lab-clients';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';
import type { ConnectionInfo } from '../../../src/shared/capture';
import { type DnsLookup, MAX_DNS_LOOKUPS, MAX_DNS_LOOKUP_STEPS, MAX_RESOLVER_STATE_ENTRIES, MAX_ZONE_FILE_BYTES, type ResolverState, type ZoneFileInfo } from '../../../src/shared/dns';
import { answerFacts, queryFacts, question, referralFacts } from '../../support/dns-steps';
import { type TestLab, startTestLab } from '../../support/test-lab';

/** How long a test waits for one reply over loopback before calling it lost. */
const REPLY_WAIT_MS = 4_000;

const GAIA = 'gaia.cs.umass.edu.';
const RESOLVER = { name: 'dns.poly.edu', address: '128.238.29.22' };
const STUDENT = { name: 'cis.poly.edu', address: '128.238.2.93' };
const T_WALL = 1_700_000_000_000;

let t: TestLab;
let manifest: ZoneManifest;
const events: { resolver: ResolverState[]; dnsLookup: DnsLookup[]; zones: ZoneFileInfo[][] } = { resolver: [], dnsLookup: [], zones: [] };

beforeAll(async () => {
  t = await startTestLab();
  manifest = loadDnsWorld(t.lab.data.worldDir)!.manifest;
  t.lab.api.on('resolver', (s) => events.resolver.push(s));
  t.lab.api.on('dnsLookup', (l) => events.dnsLookup.push(l));
  t.lab.api.on('zones', (z) => events.zones.push(z));
});

afterAll(async () => {
  await t?.stop();
});

const api = () => t.lab.api;

function service(host: string, transport: 'udp' | 'tcp') {
  const s = t.lab.serviceInfos().find((x) => x.hostname === host && x.protocol === 'dns' && x.transport === transport);
  if (!s) throw new Error(`no DNS ${transport} service for ${host}`);
  return s;
}
const portOf = (host: string) => service(host, 'udp').port;

let nextId = 0x100;
function query(name: string, type: number = RR_TYPE.A, rd = true): DnsMessage {
  return makeQuery(nextId++ & 0xffff, name, type, { recursionDesired: rd });
}

function decoded(bytes: Uint8Array, transport: 'udp' | 'tcp'): DnsMessage {
  const d = decodeMessage(bytes, { transport });
  if (!d.ok) throw new Error(`undecodable reply: ${d.error.message}`);
  return d.message;
}

/** One query over UDP from a fresh socket; the reply, or an error when none comes. */
function overUdp(port: number, q: DnsMessage): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP reply on port ${port} to ${q.questions[0].name}`));
    }, REPLY_WAIT_MS);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(decoded(new Uint8Array(msg), 'udp'));
    });
    socket.send(encodeMessage(q), port, '127.0.0.1');
  });
}

/** Several queries on one TCP connection, written at once (pipelined); the replies in the order they came. */
function overTcp(port: number, queries: DnsMessage[], options: { halfClose?: boolean; waitMs?: number } = {}): Promise<DnsMessage[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    const replies: DnsMessage[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${replies.length} of ${queries.length} TCP replies on port ${port}`));
    }, options.waitMs ?? REPLY_WAIT_MS);
    socket.on('connect', () => {
      socket.write(Buffer.concat(queries.map((q) => Buffer.from(withLengthPrefix(encodeMessage(q))))));
      if (options.halfClose) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      if (replies.length < queries.length) reject(new Error(`${replies.length} of ${queries.length} TCP replies on port ${port}: the server closed the connection`));
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= DNS_TCP_LENGTH_PREFIX && buffered.length >= DNS_TCP_LENGTH_PREFIX + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        replies.push(decoded(new Uint8Array(buffered.subarray(DNS_TCP_LENGTH_PREFIX, DNS_TCP_LENGTH_PREFIX + length)), 'tcp'));
        buffered = buffered.subarray(DNS_TCP_LENGTH_PREFIX + length);
      }
      if (replies.length === queries.length) {
        clearTimeout(timer);
        socket.end();
        resolve(replies);
      }
    });
  });
}

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const addresses = (m: DnsMessage) => m.answers.flatMap((r) => (r.data.kind === 'A' ? [r.data.address] : []));

/** The resolver's latest lookup of `question` (`gaia.cs.umass.edu. A`), once finished. */
async function finishedLookup(question: string, after = 0): Promise<DnsLookup> {
  return until(async () => (await api().listDnsLookups()).filter((l) => l.question === question && l.id > after && l.durationMs !== null).at(-1), `the lookup of ${question}`);
}

const lastLookupId = async () => (await api().listDnsLookups()).at(-1)?.id ?? 0;

async function connections(): Promise<Map<number, ConnectionInfo>> {
  return new Map((await api().listConnections()).map((c) => [c.id, c]));
}

describe('the name servers of zones.yaml', () => {
  it('each listens on UDP and TCP at port offset + its portSlot; the resolver on offset + 53', () => {
    for (const s of manifest.servers) {
      for (const transport of ['udp', 'tcp'] as const) {
        const info = service(s.name, transport);
        expect(info, `${s.name} ${transport}`).toMatchObject({ state: 'listening', port: t.offset + s.portSlot!, address: '127.0.0.1', wellKnownPort: 53, virtualAddress: s.address });
      }
    }
    for (const transport of ['udp', 'tcp'] as const) expect(service(RESOLVER.name, transport)).toMatchObject({ state: 'listening', port: t.offset + 53, virtualAddress: RESOLVER.address });
  });

  it('each answers for every one of its zones with AA set, over UDP and over TCP', async () => {
    for (const s of manifest.servers) {
      for (const z of s.zones) {
        const udp = await overUdp(portOf(s.name), query(z.origin, RR_TYPE.SOA, false));
        expect(udp.flags, `${s.name} ${z.origin}`).toMatchObject({ qr: true, aa: true, rcode: RCODE.NOERROR, ra: false });
        expect(udp.answers.map((r) => [r.name, r.type]), `${s.name} ${z.origin}`).toEqual([[z.origin, RR_TYPE.SOA]]);
      }
      const origins = s.zones.map((z) => z.origin);
      const tcp = await overTcp(portOf(s.name), origins.map((o) => query(o, RR_TYPE.NS, false)));
      expect(tcp.map((m) => [m.flags.aa, m.flags.rcode]), s.name).toEqual(origins.map(() => [true, RCODE.NOERROR]));
    }
  });

  it('each answers REFUSED for a name outside its zones (the root holds the whole tree)', async () => {
    const candidates = [GAIA, 'www.ibm.com.', 'www.crepes.fr.', 'proxy.massey.ac.nz.'];
    for (const s of manifest.servers.filter((x) => x.role !== 'root')) {
      const outside = candidates.find((n) => !s.zones.some((z) => isAtOrBelow(n, z.origin)))!;
      const udp = await overUdp(portOf(s.name), query(outside, RR_TYPE.A, false));
      expect(udp.flags, `${s.name} ${outside}`).toMatchObject({ aa: false, rcode: RCODE.REFUSED });
      expect(udp.answers).toEqual([]);
    }
  });
});

describe('the local resolver dns.poly.edu', () => {
  it('finds gaia.cs.umass.edu 128.119.245.12, with RA set, and the second time answers from its cache with a TTL no higher', async () => {
    await api().flushResolverCache(null);
    const before = await lastLookupId();
    const first = await overUdp(portOf(RESOLVER.name), query(GAIA));
    expect(first.flags).toMatchObject({ qr: true, ra: true, rd: true, aa: false, rcode: RCODE.NOERROR });
    expect(addresses(first)).toEqual(['128.119.245.12']);
    const cold = await finishedLookup(`${GAIA} A`, before);
    expect(cold.fromCache).toBe(false);

    await new Promise((r) => setTimeout(r, 1_100));
    const second = await overUdp(portOf(RESOLVER.name), query(GAIA));
    expect(addresses(second)).toEqual(['128.119.245.12']);
    expect(second.answers[0].ttl).toBeLessThan(first.answers[0].ttl);
    const warm = await finishedLookup(`${GAIA} A`, cold.id);
    expect(warm.fromCache).toBe(true);
    expect(warm.steps.map((s) => s.kind)).toEqual(['query', 'cache-hit', 'response']);
  });

  it('says in the answer step that a NOERROR reply without records has none of that type (NODATA)', async () => {
    const before = await lastLookupId();
    const reply = await overUdp(portOf(RESOLVER.name), query(GAIA, RR_TYPE.AAAA));
    expect(reply.flags.rcode).toBe(RCODE.NOERROR);
    expect(reply.answers).toEqual([]);
    const lookup = await finishedLookup(`${GAIA} AAAA`, before);
    expect(lookup.steps.at(-1)?.summary).toBe('NOERROR: no record of that type (NODATA)');
  });

  it('getResolver shows where it listens, its mode, the cache with TTLs and its statistics; flushResolverCache empties it by name or whole', async () => {
    await overUdp(portOf(RESOLVER.name), query(GAIA));
    const state = await api().getResolver();
    expect(state).toMatchObject({ name: RESOLVER.name, address: RESOLVER.address, port: t.offset + 53, mode: 'iterative', truncated: false });
    const gaia = state.entries.find((e) => e.name === GAIA && e.type === 'A');
    expect(gaia).toMatchObject({ kind: 'positive', ttlOriginal: 3600, records: ['A 128.119.245.12'], source: 'dns.cs.umass.edu' });
    expect(gaia!.ttlLeft).toBeLessThanOrEqual(3600);
    expect(gaia!.hits).toBeGreaterThanOrEqual(1);
    expect(state.entries.find((e) => e.name === 'umass.edu.' && e.type === 'NS')).toMatchObject({ records: ['NS dns.cs.umass.edu.'], source: 'a.edu-servers.net' });
    expect(state.stats.queries).toBeGreaterThanOrEqual(3);
    expect(state.stats.cacheHits).toBeGreaterThanOrEqual(2);
    expect(state.stats.upstreamQueries).toBeGreaterThanOrEqual(3);

    const oneGone = await api().flushResolverCache('gaia.cs.umass.edu');
    expect(oneGone.entries.some((e) => e.name === GAIA)).toBe(false);
    expect(oneGone.entries.length).toBeGreaterThan(0);
    const allGone = await api().flushResolverCache(null);
    expect(allGone.entries).toEqual([]);
    await expect(api().flushResolverCache(42 as unknown as string)).rejects.toThrow(/text, or null/);
  });

  it('listDnsLookups: the steps go client -> resolver -> root -> tld -> authoritative and back, in order, each in a capture connection that exists', async () => {
    await api().flushResolverCache(null);
    const askingSideFlows = async () => [...(await connections()).values()].filter((c) => c.transport === 'udp' && c.side === 'client').length;
    const askingSideBefore = await askingSideFlows();
    const before = await lastLookupId();
    await overUdp(portOf(RESOLVER.name), query(GAIA));
    const lookup = await finishedLookup(`${GAIA} A`, before);
    expect(lookup).toMatchObject({ mode: 'iterative', rcode: 'NOERROR', fromCache: false, client: { name: STUDENT.name, address: STUDENT.address, role: 'client' } });
    expect(lookup.answers).toEqual([expect.stringMatching(/^gaia\.cs\.umass\.edu\. 3600 A 128\.119\.245\.12$/)]);
    expect(lookup.steps.map((s) => `${s.kind} ${s.from.role}->${s.to.role}`)).toEqual([
      'query client->resolver',
      'query resolver->root',
      'response root->resolver',
      'query resolver->tld',
      'response tld->resolver',
      'query resolver->authoritative',
      'response authoritative->resolver',
      'response resolver->client',
    ]);
    expect(lookup.steps.filter((s) => s.kind === 'query' && s.from.role === 'resolver').map((s) => s.to.name)).toEqual(['a.root-servers.net', 'a.edu-servers.net', 'dns.cs.umass.edu']);
    const at = lookup.steps.map((s) => s.atMs);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const conns = await until(async () => {
      const c = await connections();
      return lookup.steps.every((s) => s.connectionId !== undefined && c.has(s.connectionId)) && c;
    }, 'every step\'s connection in the capture');
    for (const s of lookup.steps.filter((x) => x.from.role === 'resolver' && x.kind === 'query')) {
      const c = conns.get(s.connectionId!)!;
      expect(c).toMatchObject({ transport: 'udp', protocol: 'dns', side: 'server', server: { virtualAddress: s.to.address, hostname: s.to.name } });
    }
    // Every server was running, so each recorded its query, and the asking side recorded none a second time.
    expect(await askingSideFlows()).toBe(askingSideBefore);
  });

  it('listDnsLookups: each query and reply carries the facts of its message (ID, question, RD, RCODE, referral, outcome), and the capture has that message', async () => {
    await api().flushResolverCache(null);
    const before = await lastLookupId();
    const asked = query(GAIA);
    await overUdp(portOf(RESOLVER.name), asked);
    const lookup = await finishedLookup(`${GAIA} A`, before);
    const [fromClient, toRoot, fromRoot, toTld, fromTld, toAuth, fromAuth, toClient] = lookup.steps;
    const gaia = question('A', GAIA);
    // The student's query and the resolver's answer: the student's ID and RD.
    expect(fromClient.message).toEqual(queryFacts(asked.id, gaia, true));
    expect(toClient.message).toEqual(answerFacts(asked.id, gaia, 'A 128.119.245.12', true));
    // The resolver's own queries go without RD, each with an ID of its own that the reply carries back.
    for (const q of [toRoot, toTld, toAuth]) expect(q.message).toEqual(queryFacts(expect.any(Number), gaia, false));
    expect(new Set([toRoot, toTld, toAuth].map((q) => q.message!.id)).size).toBe(3);
    expect(fromRoot.message).toEqual(referralFacts(toRoot.message!.id, gaia, 'edu.', ['a.edu-servers.net.']));
    expect(fromTld.message).toEqual(referralFacts(toTld.message!.id, gaia, 'umass.edu.', ['dns.cs.umass.edu.']));
    expect(fromAuth.message).toEqual(answerFacts(toAuth.message!.id, gaia, 'A 128.119.245.12'));
    // Each step's message is in its capture connection, going its way, its ID written as the packet list writes it.
    await until(async () => {
      const messages = await api().listMessages(1, 100_000);
      return lookup.steps.every((s) => messages.some((m) => m.connId === s.connectionId && m.dir === (s.kind === 'query' ? 'c2s' : 's2c') && m.summary.includes(formatDnsId(s.message!.id))));
    }, 'every step\'s message in the capture');
  });

  it('the capture shows the resolver\'s queries coming from dns.poly.edu (128.238.29.22), the student\'s from cis.poly.edu; each per-query UDP flow is closed after its exchange', async () => {
    await api().flushResolverCache(null);
    const before = await lastLookupId();
    await overUdp(portOf(RESOLVER.name), query('www.ibm.com.'));
    const lookup = await finishedLookup('www.ibm.com. A', before);
    const upstream = lookup.steps.filter((s) => s.kind === 'query' && s.from.role === 'resolver');
    expect(upstream.map((s) => s.to.name)).toEqual(['a.root-servers.net', 'a.gtld-servers.net', 'ns1.ibm.com']);
    const conns = await until(async () => {
      const c = await connections();
      return upstream.every((s) => c.get(s.connectionId!)?.state === 'closed') && c;
    }, 'the resolver\'s UDP flows to close');
    for (const s of upstream) {
      const c = conns.get(s.connectionId!)!;
      expect(c.client).toMatchObject({ virtualAddress: RESOLVER.address, hostname: RESOLVER.name, address: '127.0.0.1' });
      expect(c.closedBy).toBe('client');
    }
    const fromStudent = conns.get(lookup.steps[0].connectionId!)!;
    expect(fromStudent.client).toMatchObject({ virtualAddress: STUDENT.address, hostname: STUDENT.name });
    expect(fromStudent.server).toMatchObject({ virtualAddress: RESOLVER.address, hostname: RESOLVER.name, virtualPort: 53 });
  });

  it('answers several queries written at once on one TCP connection, each reply matched by its ID', async () => {
    await api().flushResolverCache(null);
    const asked = [query(GAIA), query('www.ibm.com.'), query('nosuch.umass.edu.'), query(GAIA, RR_TYPE.AAAA), query('hamburger.edu.', RR_TYPE.MX)];
    const replies = await overTcp(portOf(RESOLVER.name), asked);
    const byId = new Map(replies.map((r) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual(asked.map((q) => q.id).sort());
    const answerFor = (q: DnsMessage) => byId.get(q.id)!;
    for (const q of asked) expect(answerFor(q).questions[0]).toEqual(q.questions[0]);
    expect(addresses(answerFor(asked[0]))).toEqual(['128.119.245.12']);
    expect(addresses(answerFor(asked[1]))).toEqual(['129.42.38.10']);
    expect(answerFor(asked[2]).flags.rcode).toBe(RCODE.NXDOMAIN);
    expect(answerFor(asked[2]).authorities.map((r) => r.type)).toEqual([RR_TYPE.SOA]);
    expect(answerFor(asked[3])).toMatchObject({ flags: { rcode: RCODE.NOERROR }, answers: [] });
    expect(answerFor(asked[4]).answers.map((r) => r.data)).toEqual([{ kind: 'MX', preference: 10, exchange: 'mail.hamburger.edu.' }]);

    // The connection ends when the client ends it: nothing stays open on the server.
    await until(() => service(RESOLVER.name, 'tcp').connections === 0, 'the resolver\'s TCP connection to close');

    const auth = await overTcp(portOf('dns.cs.umass.edu'), [query(GAIA, RR_TYPE.A, false), query('www.umass.edu.', RR_TYPE.A, false), query('cs.umass.edu.', RR_TYPE.SOA, false)]);
    expect(auth.map((m) => [m.flags.aa, m.answers[0]?.name])).toEqual(expect.arrayContaining([[true, GAIA], [true, 'www.umass.edu.'], [true, 'cs.umass.edu.']]));
  });

  it('answers a query without RD from its cache alone, asking no one', async () => {
    await api().flushResolverCache(null);
    const upstreamBefore = (await api().getResolver()).stats.upstreamQueries;
    const cold = await overUdp(portOf(RESOLVER.name), query(GAIA, RR_TYPE.A, false));
    expect(cold.flags).toMatchObject({ rcode: RCODE.NOERROR, ra: true, rd: false });
    expect(cold.answers).toEqual([]);
    expect((await api().getResolver()).stats.upstreamQueries).toBe(upstreamBefore);

    await overUdp(portOf(RESOLVER.name), query(GAIA));
    const before = await lastLookupId();
    const warm = await overUdp(portOf(RESOLVER.name), query(GAIA, RR_TYPE.A, false));
    expect(addresses(warm)).toEqual(['128.119.245.12']);
    const lookup = await finishedLookup(`${GAIA} A`, before);
    expect(lookup).toMatchObject({ fromCache: true });
    expect(lookup.steps.map((s) => s.kind)).toEqual(['query', 'cache-hit', 'response']);
    // A cache hit carried no message; the query and the answer say RD was clear.
    const [asked, hit, answered] = lookup.steps;
    expect(hit.message).toBeUndefined();
    expect(asked.message).toEqual(queryFacts(expect.any(Number), question('A', GAIA), false));
    expect(answered.message).toEqual(answerFacts(asked.message!.id, question('A', GAIA), 'A 128.119.245.12'));
  });

  it('answers a TCP client that half-closes its side right after its query', async () => {
    await api().flushResolverCache(null);
    const [reply] = await overTcp(portOf(RESOLVER.name), [query('www.umass.edu.')], { halfClose: true });
    expect(addresses(reply)).toEqual(['128.119.8.148']);
  });
});

describe('the recursive scheme', () => {
  it('setResolverMode switches it; each server asks the next, and the root answers the resolver with AA clear and RA set', async () => {
    await api().flushResolverCache(null);
    const state = await api().setResolverMode('recursive');
    expect(state.mode).toBe('recursive');
    await expect(api().setResolverMode('sideways' as never)).rejects.toThrow(/iterative, recursive/);
    try {
      const before = await lastLookupId();
      const upstreamBefore = (await api().getResolver()).stats.upstreamQueries;
      const reply = await overUdp(portOf(RESOLVER.name), query(GAIA));
      expect(addresses(reply)).toEqual(['128.119.245.12']);
      const lookup = await finishedLookup(`${GAIA} A`, before);
      expect(lookup.mode).toBe('recursive');
      // The resolver itself sent one query; the servers' relays are not its statistics.
      expect((await api().getResolver()).stats.upstreamQueries).toBe(upstreamBefore + 1);
      expect(lookup.steps.map((s) => `${s.kind} ${s.from.role}->${s.to.role}`)).toEqual([
        'query client->resolver',
        'query resolver->root',
        'query root->tld',
        'query tld->authoritative',
        'response authoritative->tld',
        'response tld->root',
        'response root->resolver',
        'response resolver->client',
      ]);
      // Each exchange is in the capture, the asking server named as the client of its flow.
      const conns = await until(async () => {
        const c = await connections();
        return lookup.steps.every((x) => x.connectionId !== undefined && c.has(x.connectionId)) && c;
      }, 'every step\'s connection in the capture');
      for (const x of lookup.steps.filter((y) => y.kind === 'query')) {
        expect(conns.get(x.connectionId!), `${x.from.name} -> ${x.to.name}`).toMatchObject({ client: { virtualAddress: x.from.address, hostname: x.from.name }, server: { virtualAddress: x.to.address, hostname: x.to.name } });
      }
      // The root's reply, as the capture holds it.
      const toRoot = lookup.steps[1];
      const flow = toRoot.connectionId!;
      const messages = await until(async () => {
        const m = (await api().listMessages(1, 100_000)).filter((x) => x.connId === flow);
        return m.length === 2 && m;
      }, 'the query to the root and its reply in the capture');
      const replyDetail = (await api().getMessage(messages.find((m) => m.dir === 's2c')!.id))!;
      const rootReply = decoded(base64ToBytes(replyDetail.bytes), 'udp');
      expect(rootReply.flags).toMatchObject({ qr: true, aa: false, ra: true, rd: true, rcode: RCODE.NOERROR });
      expect(addresses(rootReply)).toEqual(['128.119.245.12']);
      const queryDetail = (await api().getMessage(messages.find((m) => m.dir === 'c2s')!.id))!;
      expect(decoded(base64ToBytes(queryDetail.bytes), 'udp').flags.rd).toBe(true);

      // The student's own dig at the root, without the resolver, still gets a plain referral.
      const direct = await overUdp(portOf('a.root-servers.net'), query(GAIA, RR_TYPE.A, true));
      expect(direct.flags).toMatchObject({ aa: false, ra: false });
      expect(direct.answers).toEqual([]);
      expect(direct.authorities.map((r) => r.name)).toEqual(['edu.']);
    } finally {
      await api().setResolverMode('iterative');
    }
  });
});

describe('zone files', () => {
  const FILE = 'umass.edu.zone';

  it('saveZone: a new A record is served at once (by the resolver after a flush); a zone with errors is refused at its lines and the old one serves on', async () => {
    const original = await api().readZone(FILE);
    expect(original).toMatch(/^\$ORIGIN umass\.edu\.$/m);
    expect((await api().listZones()).find((z) => z.file === FILE)).toMatchObject({ origin: 'umass.edu.', server: 'dns.cs.umass.edu', role: 'authoritative' });
    await api().flushResolverCache(null);
    const absent = await overUdp(portOf(RESOLVER.name), query('newhost.umass.edu.'));
    expect(absent.flags.rcode).toBe(RCODE.NXDOMAIN);

    const zonesBefore = events.zones.length;
    const edited = `${original}\nnewhost         IN  A   128.119.9.9\n`;
    const saved = await api().saveZone(FILE, edited);
    expect(saved).toMatchObject({ ok: true, zone: { file: FILE, origin: 'umass.edu.' } });
    expect(saved.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(await api().readZone(FILE)).toBe(edited);
    const direct = await overUdp(portOf('dns.cs.umass.edu'), query('newhost.umass.edu.', RR_TYPE.A, false));
    expect(direct.flags.aa).toBe(true);
    expect(addresses(direct)).toEqual(['128.119.9.9']);
    expect((await overUdp(portOf(RESOLVER.name), query('newhost.umass.edu.'))).flags.rcode).toBe(RCODE.NXDOMAIN); // still remembered as absent
    await api().flushResolverCache('newhost.umass.edu.');
    expect(addresses(await overUdp(portOf(RESOLVER.name), query('newhost.umass.edu.')))).toEqual(['128.119.9.9']);
    const zonesEvent = await until(() => events.zones.length > zonesBefore && events.zones.at(-1), 'the zones event');
    expect(zonesEvent.find((z) => z.file === FILE)!.records).toBe(saved.zone!.records);

    const lines = edited.split('\n');
    const broken = [...lines.slice(0, 3), 'bad1  IN  A  999.1.1.1', ...lines.slice(3), 'bad2  IN  MX  mail-without-preference'].join('\n');
    const refused = await api().saveZone(FILE, broken);
    expect(refused.ok).toBe(false);
    const errorLines = refused.problems.filter((p) => p.severity === 'error').map((p) => p.line);
    expect(errorLines).toContain(4);
    expect(errorLines).toContain(broken.split('\n').length);
    expect(await api().readZone(FILE)).toBe(edited);
    expect(addresses(await overUdp(portOf('dns.cs.umass.edu'), query('newhost.umass.edu.', RR_TYPE.A, false)))).toEqual(['128.119.9.9']);
    expect(events.zones.length).toBe(zonesBefore + 1);

    await expect(api().readZone('nosuch.zone')).rejects.toThrow(/no zone file 'nosuch\.zone'/);
    await expect(api().saveZone('../world.yaml', 'x')).rejects.toThrow(/no zone file/);
  });

  it(`saveZone takes a file of MAX_ZONE_FILE_BYTES (${MAX_ZONE_FILE_BYTES}) and refuses one byte more`, async () => {
    const original = await api().readZone(FILE);
    const padTo = (bytes: number) => `${original}\n;${'x'.repeat(bytes - Buffer.byteLength(original) - 3)}\n`;
    const atLimit = padTo(MAX_ZONE_FILE_BYTES);
    expect(Buffer.byteLength(atLimit)).toBe(MAX_ZONE_FILE_BYTES);
    expect((await api().saveZone(FILE, atLimit)).ok).toBe(true);
    const over = padTo(MAX_ZONE_FILE_BYTES + 1);
    const refused = await api().saveZone(FILE, over);
    expect(refused.ok).toBe(false);
    expect(refused.problems).toEqual([expect.objectContaining({ severity: 'error', line: 1, message: expect.stringContaining(`${MAX_ZONE_FILE_BYTES} bytes`) })]);
    expect(await api().readZone(FILE)).toBe(atLimit);
    expect((await api().saveZone(FILE, original)).ok).toBe(true);
  });

  it('a reply too long for UDP: the truncated one and the question asked again over TCP are steps of their own, each in its capture connection', async () => {
    const original = await api().readZone(FILE);
    // Six TXT strings of 250 octets, some 1,550 bytes: past the EDNS payload the resolver offers (DNS_EDNS_SERVER_PAYLOAD).
    const big = Array.from({ length: 6 }, (_, i) => `big  IN  TXT  "${String(i).repeat(250)}"`).join('\n');
    expect((await api().saveZone(FILE, `${original}\n${big}\n`)).ok).toBe(true);
    try {
      await api().flushResolverCache(null);
      const before = await lastLookupId();
      await overUdp(portOf(RESOLVER.name), query('big.umass.edu.', RR_TYPE.TXT));
      const lookup = await finishedLookup('big.umass.edu. TXT', before);
      const withAuth = lookup.steps.filter((s) => s.to.name === 'dns.cs.umass.edu' || s.from.name === 'dns.cs.umass.edu');
      expect(withAuth.map((s) => `${s.kind} ${s.transport}`)).toEqual(['query udp', 'response udp', 'query tcp', 'response tcp']);
      const [udpQuery, truncated, tcpQuery, answer] = withAuth;
      expect(truncated.summary).toContain('truncated (TC): retry over TCP');
      expect(truncated.message).toMatchObject({ rcode: 'NOERROR', outcome: expect.stringContaining('truncated (TC): retry over TCP') });
      expect(answer.message).toMatchObject({ rcode: 'NOERROR', id: tcpQuery.message!.id });
      expect(answer.summary).not.toContain('truncated');
      // This client asked without EDNS (512 octets at most): its reply carries no records, and the lookup says so.
      expect(lookup.truncated).toBe(true);
      const toClient = lookup.steps.at(-1)!;
      expect(toClient).toMatchObject({ kind: 'response', to: { role: 'client' }, summary: 'NOERROR: truncated (TC), no records: the answer is too long for UDP, ask again over TCP' });
      expect(toClient.message?.outcome).toContain('truncated (TC)');
      expect(tcpQuery.message!.id).toBe(udpQuery.message!.id); // the same query, sent again
      expect(udpQuery.connectionId).toBeDefined();
      expect(tcpQuery.connectionId).toBeDefined();
      expect(tcpQuery.connectionId).not.toBe(udpQuery.connectionId);
      expect(truncated.connectionId).toBe(udpQuery.connectionId);
      expect(answer.connectionId).toBe(tcpQuery.connectionId);
      const conns = await until(async () => {
        const c = await connections();
        return [udpQuery, tcpQuery].every((s) => s.connectionId !== undefined && c.has(s.connectionId)) && c;
      }, 'both steps\' connections in the capture');
      expect(conns.get(udpQuery.connectionId!)).toMatchObject({ transport: 'udp', server: { hostname: 'dns.cs.umass.edu' } });
      expect(conns.get(tcpQuery.connectionId!)).toMatchObject({ transport: 'tcp', server: { hostname: 'dns.cs.umass.edu' } });
    } finally {
      await api().saveZone(FILE, original);
      await api().flushResolverCache(null);
    }
  });
});

describe('events', () => {
  it('resolver and dnsLookup fire as the resolver works', async () => {
    const resolverBefore = events.resolver.length;
    const lookupsBefore = events.dnsLookup.length;
    const before = await lastLookupId();
    await api().flushResolverCache(null);
    await overUdp(portOf(RESOLVER.name), query('www.yahoo.com.'));
    const done = await until(() => events.dnsLookup.slice(lookupsBefore).find((l) => l.id > before && l.question === 'www.yahoo.com. A' && l.rcode !== null), 'a finished dnsLookup event');
    expect(done.steps.length).toBeGreaterThanOrEqual(4);
    expect(done.answers.length).toBeGreaterThan(1);
    const state = await until(() => events.resolver.slice(resolverBefore).find((s) => s.entries.some((e) => e.name === 'www.yahoo.com.')), 'a resolver event with the new entry');
    expect(state.name).toBe(RESOLVER.name);
  });
});

describe('stopping servers in the middle of a question', () => {
  it('the resolver stopped (UDP and TCP) while it waits on a silent server neither throws nor answers, and both come back', async () => {
    await api().flushResolverCache(null);
    const umassUdp = service('dns.cs.umass.edu', 'udp').id;
    const resolverIds = [service(RESOLVER.name, 'udp').id, service(RESOLVER.name, 'tcp').id];
    await api().stopService(umassUdp);
    const before = await lastLookupId();
    const settle = (p: Promise<unknown>) => p.then(
      () => 'answered',
      () => 'no reply',
    );
    // Two different questions: the resolver would merge two identical ones into one lookup.
    const lost = [settle(overUdp(portOf(RESOLVER.name), query(GAIA))), settle(overTcp(portOf(RESOLVER.name), [query('www.umass.edu.')]))];
    await until(async () => (await api().listDnsLookups()).filter((l) => l.id > before && l.steps.some((s) => s.to.name === 'dns.cs.umass.edu')).length === 2, 'both lookups to ask dns.cs.umass.edu');
    for (const id of resolverIds) expect((await api().stopService(id)).state).toBe('stopped');
    const lookups = await until(async () => {
      const ended = (await api().listDnsLookups()).filter((l) => l.id > before && l.durationMs !== null);
      return ended.length === 2 && ended;
    }, 'the lookups to end', 8_000);
    for (const lookup of lookups) {
      expect(lookup.rcode).toBe('SERVFAIL');
      // Each query to the silent server is given up after RESOLVER_UPSTREAM_TIMEOUT_MS.
      expect(lookup.steps.find((s) => s.kind === 'timeout')).toMatchObject({ from: { name: 'dns.cs.umass.edu' }, summary: `no reply from dns.cs.umass.edu within ${RESOLVER_UPSTREAM_TIMEOUT_MS} ms` });
      expect(lookup.durationMs).toBeGreaterThanOrEqual(RESOLVER_UPSTREAM_TIMEOUT_MS - 5);
    }
    expect(await Promise.all(lost)).toEqual(['no reply', 'no reply']);

    expect((await api().startService(umassUdp)).state).toBe('listening');
    for (const id of resolverIds) expect((await api().startService(id)).state).toBe('listening');
    expect(addresses(await overUdp(portOf(RESOLVER.name), query(GAIA)))).toEqual(['128.119.245.12']);
    expect(addresses((await overTcp(portOf(RESOLVER.name), [query('www.umass.edu.')]))[0])).toEqual(['128.119.8.148']);
  });

  it('the recursive scheme gives up on a delegation that leads back up the tree (a zone edit) instead of passing the question round forever', async () => {
    const FILE = 'edu.zone';
    const original = await api().readZone(FILE);
    const looped = original.replace(/^umass\s+IN\s+NS\s+dns\.cs\.umass\.edu\.$/m, 'umass                   IN  NS  a.root-servers.net.');
    expect(looped).not.toBe(original);
    expect((await api().saveZone(FILE, looped)).ok).toBe(true);
    await api().flushResolverCache(null);
    await api().setResolverMode('recursive');
    try {
      const before = await lastLookupId();
      const reply = await overUdp(portOf(RESOLVER.name), query(GAIA));
      expect(reply.flags.rcode).toBe(RCODE.SERVFAIL);
      const lookup = await finishedLookup(`${GAIA} A`, before);
      const relays = lookup.steps.filter((s) => s.kind === 'query' && s.from.role !== 'client' && s.from.role !== 'resolver');
      expect(relays).toHaveLength(RECURSIVE_MAX_RELAYS);
      expect(relays.slice(0, 3).map((s) => `${s.from.name} -> ${s.to.name}`)).toEqual(['a.root-servers.net -> a.edu-servers.net', 'a.edu-servers.net -> a.root-servers.net', 'a.root-servers.net -> a.edu-servers.net']);
      // Nothing goes on passing it round afterwards.
      const settled = (await api().listConnections()).length;
      await new Promise((r) => setTimeout(r, 300));
      expect((await api().listConnections()).length).toBe(settled);
    } finally {
      await api().setResolverMode('iterative');
      expect((await api().saveZone(FILE, original)).ok).toBe(true);
    }
    expect(addresses(await overUdp(portOf(RESOLVER.name), query('www.umass.edu.')))).toEqual(['128.119.8.148']);
  });
});

describe('limits of the servers and their bookkeeping', () => {
  it(`reads at most DNS_TCP_MAX_PENDING (${DNS_TCP_MAX_PENDING}) queries of one TCP connection at once; the next waits for one to finish`, async () => {
    await api().flushResolverCache(null);
    // Learn umass.edu's server first, so every question below goes straight to it.
    await overUdp(portOf(RESOLVER.name), query('www.umass.edu.'));
    const umassUdp = service('dns.cs.umass.edu', 'udp').id;
    await api().stopService(umassUdp);
    const before = await lastLookupId();
    const asked = Array.from({ length: DNS_TCP_MAX_PENDING + 1 }, (_, i) => query(`h${i}.umass.edu.`));
    let restarted = false;
    try {
      const replies = overTcp(portOf(RESOLVER.name), asked, { waitMs: 3 * DNS_QUERY_TIMEOUT_MS });
      const started = await until(async () => {
        const l = (await api().listDnsLookups()).filter((x) => x.id > before);
        return l.length >= DNS_TCP_MAX_PENDING && l;
      }, 'the first queries to be taken up');
      await new Promise((r) => setTimeout(r, 100));
      expect((await api().listDnsLookups()).filter((x) => x.id > before)).toHaveLength(DNS_TCP_MAX_PENDING);
      // The server is back before the first answers (SERVFAIL, after their timeout) free a place.
      await api().startService(umassUdp);
      restarted = true;
      const byName = new Map((await replies).map((m) => [m.questions[0].name, m.flags.rcode]));
      expect(asked.slice(0, DNS_TCP_MAX_PENDING).map((q) => byName.get(q.questions[0].name))).toEqual(Array(DNS_TCP_MAX_PENDING).fill(RCODE.SERVFAIL));
      expect(byName.get(asked[DNS_TCP_MAX_PENDING].questions[0].name)).toBe(RCODE.NXDOMAIN);
      const last = (await api().listDnsLookups()).find((x) => x.question === `${asked[DNS_TCP_MAX_PENDING].questions[0].name} A`)!;
      expect(last.startedAt).toBeGreaterThanOrEqual(started[0].startedAt + RESOLVER_UPSTREAM_TIMEOUT_MS - 50);
    } finally {
      if (!restarted) await api().startService(umassUdp);
    }
  });

  it(`holds DNS_TCP_MAX_CONNECTIONS (${DNS_TCP_MAX_CONNECTIONS}) TCP connections to one server and closes one more at once`, async () => {
    const port = portOf('dns.cs.umass.edu');
    const open = (): Promise<net.Socket> =>
      new Promise((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => {
          s.on('error', () => {}); // the server may reset the one over the limit
          resolve(s);
        });
        s.once('error', reject);
      });
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < DNS_TCP_MAX_CONNECTIONS; i++) held.push(await open());
      await until(() => service('dns.cs.umass.edu', 'tcp').connections === DNS_TCP_MAX_CONNECTIONS, 'the server to hold every connection');
      // One more: the system accepts it, the server closes it at once, unanswered.
      await expect(overTcp(port, [query(GAIA, RR_TYPE.A, false)])).rejects.toThrow(/0 of 1 TCP replies/);
      expect(service('dns.cs.umass.edu', 'tcp').connections).toBe(DNS_TCP_MAX_CONNECTIONS);
      held.pop()!.destroy();
      await until(() => service('dns.cs.umass.edu', 'tcp').connections < DNS_TCP_MAX_CONNECTIONS, 'a place to free up');
      const [answered] = await overTcp(port, [query(GAIA, RR_TYPE.A, false)]);
      expect(addresses(answered)).toEqual(['128.119.245.12']);
    } finally {
      for (const s of held) s.destroy();
    }
    await until(() => service('dns.cs.umass.edu', 'tcp').connections === 0, 'every connection to close');
  });

  it(`the resolver's state lists at most MAX_RESOLVER_STATE_ENTRIES (${MAX_RESOLVER_STATE_ENTRIES}) cache entries and says when it left some out`, () => {
    const contentDir = defaultContentDir();
    const world = parseWorld(fs.readFileSync(path.join(contentDir, 'world.yaml'), 'utf8'), 'world.yaml');
    const dnsWorld = loadDnsWorld(contentDir)!;
    addDnsHosts(world, dnsWorldHosts(dnsWorld.manifest));
    const runtime = new DnsRuntime({ world: dnsWorld, worldDir: contentDir, map: new AddressMap(world, t.offset), labClients: new LabClientRegistry(), now: Date.now });
    const store = (i: number) => runtime.cache.storeRRset([{ name: `h${i}.example.`, type: RR_TYPE.A, class: 1, ttl: 3600, data: { kind: 'A', address: '192.0.2.1' } }], 'test', Date.now());
    for (let i = 0; i < MAX_RESOLVER_STATE_ENTRIES; i++) store(i);
    expect(runtime.resolverState()).toMatchObject({ truncated: false, entries: { length: MAX_RESOLVER_STATE_ENTRIES } });
    store(MAX_RESOLVER_STATE_ENTRIES);
    expect(runtime.resolverState()).toMatchObject({ truncated: true, entries: { length: MAX_RESOLVER_STATE_ENTRIES } });
    expect(runtime.cache.size).toBe(MAX_RESOLVER_STATE_ENTRIES + 1);
  });

  it(`DnsPeerRegistry forgets the oldest socket past MAX_DNS_PEER_SOCKETS (${MAX_DNS_PEER_SOCKETS}); a release tells the servers once`, () => {
    const peers = new DnsPeerRegistry();
    const released: string[] = [];
    const off = peers.onRelease((transport, port) => released.push(`${transport}/${port}`));
    const entry = (port: number) => ({ who: { ...RESOLVER, role: 'resolver' as const }, lookupId: port });
    const tickets = Array.from({ length: MAX_DNS_PEER_SOCKETS }, (_, i) => peers.register('udp', 20_000 + i, entry(i)));
    expect(peers.lookup('udp', 20_000)?.lookupId).toBe(0);
    expect(peers.lookup('tcp', 20_000)).toBeUndefined();
    peers.register('udp', 20_000 + MAX_DNS_PEER_SOCKETS, entry(MAX_DNS_PEER_SOCKETS));
    expect(peers.lookup('udp', 20_000)).toBeUndefined();
    expect(peers.lookup('udp', 20_001)?.lookupId).toBe(1);
    expect(peers.lookup('udp', 20_000 + MAX_DNS_PEER_SOCKETS)?.lookupId).toBe(MAX_DNS_PEER_SOCKETS);

    // A port used again by a newer socket: the old ticket's release leaves the new entry alone.
    const reused = peers.register('udp', 20_001, entry(99_999));
    tickets[1].release();
    tickets[1].release();
    expect(peers.lookup('udp', 20_001)?.lookupId).toBe(99_999);
    expect(released).toEqual(['udp/20001']);
    reused.release();
    expect(peers.lookup('udp', 20_001)).toBeUndefined();
    off();
    tickets[2].release();
    expect(released).toEqual(['udp/20001', 'udp/20001']);
  });

  it(`DnsLookupLog keeps MAX_DNS_LOOKUPS (${MAX_DNS_LOOKUPS}) lookups and MAX_DNS_LOOKUP_STEPS (${MAX_DNS_LOOKUP_STEPS}) steps of one`, async () => {
    const changed: number[] = [];
    const log = new DnsLookupLog(() => T_WALL, (l) => changed.push(l.id));
    const client = { ...STUDENT, role: 'client' as const };
    const resolver = { ...RESOLVER, role: 'resolver' as const };
    const ids = Array.from({ length: MAX_DNS_LOOKUPS }, (_, i) => log.start(`h${i}.example. A`, client, 'iterative'));
    expect(log.list()).toHaveLength(MAX_DNS_LOOKUPS);
    const newest = log.start('one-more.example. A', client, 'iterative');
    expect(log.list()).toHaveLength(MAX_DNS_LOOKUPS);
    expect(log.list().map((l) => l.id)).not.toContain(ids[0]);
    expect(log.list()[0].id).toBe(ids[1]);
    expect(log.step(ids[0], { kind: 'query', from: client, to: resolver, transport: 'udp', summary: 'gone' })).toBeUndefined();

    for (let i = 0; i < MAX_DNS_LOOKUP_STEPS; i++) expect(log.step(newest, { kind: 'query', from: resolver, to: resolver, transport: 'udp', summary: `step ${i}` })).toBeDefined();
    expect(log.step(newest, { kind: 'query', from: resolver, to: resolver, transport: 'udp', summary: 'one step too many' })).toBeUndefined();
    log.finish(newest, { rcode: 'SERVFAIL', answers: [], fromCache: false });
    const kept = log.list().find((l) => l.id === newest)!;
    expect(kept.steps).toHaveLength(MAX_DNS_LOOKUP_STEPS);
    expect(kept).toMatchObject({ rcode: 'SERVFAIL', startedAt: T_WALL });
    expect(kept.durationMs).toBeGreaterThanOrEqual(0);
    // Changes are told once per lookup per turn of the event loop.
    await new Promise((r) => setImmediate(r));
    expect(changed.filter((id) => id === newest)).toHaveLength(1);
  });
});

describe('TCP connections that go quiet', () => {
  const IDLE_MS = 150;
  let quiet: TestLab;

  beforeAll(async () => {
    quiet = await startTestLab({ dnsTcpIdleTimeoutMs: IDLE_MS });
  });

  afterAll(async () => {
    await quiet?.stop();
  });

  const quietService = () => quiet.lab.serviceInfos().find((x) => x.hostname === 'dns.cs.umass.edu' && x.protocol === 'dns' && x.transport === 'tcp')!;

  it('the server closes its side after the idle timeout, and drops a client that does not close its own within another', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: quietService().port, allowHalfOpen: true });
    socket.on('error', () => {});
    const started = Date.now();
    let serverEndedAt = 0;
    socket.on('end', () => {
      serverEndedAt = Date.now();
    });
    socket.resume();
    await until(() => quietService().connections === 1, 'the connection to be accepted');
    await until(() => serverEndedAt > 0, 'the server\'s FIN', 3_000);
    expect(serverEndedAt - started).toBeGreaterThanOrEqual(IDLE_MS - 20);
    // The client keeps its side open and even sends: the server drops the connection regardless.
    socket.write(withLengthPrefix(encodeMessage(query(GAIA, RR_TYPE.A, false))));
    await until(() => quietService().connections === 0, 'the server to drop the connection', 3_000);
    expect(Date.now() - serverEndedAt).toBeGreaterThanOrEqual(IDLE_MS - 20);
    socket.destroy();
  });

  it('a client that answers the server\'s FIN with its own ends in order, closed by the server', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: quietService().port });
    socket.on('error', () => {});
    const localPort = await new Promise<number>((r) => socket.on('connect', () => r(socket.localPort!)));
    socket.resume();
    await new Promise((r) => socket.on('close', r));
    const conn = await until(async () => (await quiet.lab.api.listConnections()).find((c) => c.transport === 'tcp' && c.client.port === localPort && c.state !== 'open'), 'the connection to end in the capture');
    expect(conn).toMatchObject({ state: 'closed', closedBy: 'server', protocol: 'dns' });
  });
});
