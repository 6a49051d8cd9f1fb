// The local resolver's logic (src/protocols/dns/resolver/resolve.ts) against scripted name
// servers: the lab's own zone files (content/zones) loaded with loadZone and answered with
// answerQuery, one ZoneSet per server address as zones.yaml says, every reply passed through the
// wire encoder and decoder as a socket would. Some cases change a zone or replace a server's
// answers with a script (a server that times out, refuses, refers upward or lies).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AskOptions,
  type AskOutcome,
  DNS_EDNS_SERVER_PAYLOAD,
  DNS_MAX_CNAME_CHAIN,
  type DnsMessage,
  type DnsQuestion,
  type DnsRecord,
  type NameServerAddress,
  RCODE,
  RESOLVER_DEADLINE_MS,
  RESOLVER_MAX_GLUE_DEPTH,
  RESOLVER_MAX_QUERIES,
  RESOLVER_MAX_REFERRALS,
  RESOLVER_MAX_TTL,
  RR_TYPE,
  type ResolveNote,
  Resolver,
  ResolverCache,
  ZoneSet,
  answerQuery,
  decodeMessage,
  encodeMessage,
  formatZoneProblem,
  joinLabels,
  labelCount,
  loadZone,
  makeQuery,
  nameKey,
  sameName,
  splitName,
  typeName,
} from '../../../../src/protocols/dns';
import { ZONES_DIR, loadManifest, walk } from './helpers';

const T0 = 1_700_000_000_000;
const GAIA = 'gaia.cs.umass.edu.';
const ROOT = { name: 'a.root-servers.net', address: '198.41.0.4' };
const EDU = { name: 'a.edu-servers.net', address: '192.5.6.31' };
const UMASS = { name: 'dns.cs.umass.edu', address: '128.119.240.1' };
const HAMBURGER = { name: 'ns.hamburger.edu', address: '203.0.113.2' };

interface ZoneSource {
  origin: string;
  text: string;
  file?: string;
}

function zoneOf(source: ZoneSource) {
  const loaded = loadZone(source.text, { origin: source.origin, file: source.file ?? `test/${source.origin}zone` });
  if (!loaded.ok) throw new Error(loaded.errors.map(formatZoneProblem).join('\n'));
  return loaded.zone;
}

/** A scripted server: the reply to one query, or 'timeout' for none. */
type Script = (query: DnsMessage, server: NameServerAddress) => DnsMessage | 'timeout';

interface Asked {
  server: string;
  name: string;
  type: string;
  rd: boolean;
  zone: string;
}

/**
 * The lab's name servers by address (zones.yaml), each answering from its zone files; `append`
 * adds lines to a shipped file, `extra` gives a server more zones.
 */
function labServers(edits: { append?: Record<string, string>; extra?: Record<string, ZoneSource[]> } = {}): Map<string, ZoneSet> {
  const servers = new Map<string, ZoneSet>();
  for (const s of loadManifest().servers) {
    const zones = s.zones.map((z) => zoneOf({ origin: z.origin, file: `zones/${z.file}`, text: readFileSync(path.join(ZONES_DIR, z.file), 'utf8') + (edits.append?.[z.file] ?? '') }));
    for (const extra of edits.extra?.[s.name] ?? []) zones.push(zoneOf(extra));
    servers.set(s.address, new ZoneSet(zones));
  }
  return servers;
}

/** Every reply crosses the wire format, as on a socket. */
function overTheWire(message: DnsMessage): DnsMessage {
  const decoded = decodeMessage(encodeMessage(message), { transport: 'udp' });
  if (!decoded.ok) throw new Error(`a scripted reply does not decode: ${decoded.error.message}`);
  return decoded.message;
}

class Network {
  readonly asks: Asked[] = [];
  readonly scripts = new Map<string, Script>();
  private nextId = 1;

  constructor(readonly zones: Map<string, ZoneSet> = labServers()) {}

  /** The reply the server's zones give (what answerQuery puts on the wire). */
  authoritative(query: DnsMessage, address: string): DnsMessage {
    const zones = this.zones.get(address);
    if (!zones) throw new Error(`no zones at ${address}`);
    const result = answerQuery(query, zones, { transport: 'udp' });
    if (!result) throw new Error('no answer');
    const decoded = decodeMessage(result.wire, { transport: 'udp' });
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.message;
  }

  readonly ask = async (server: NameServerAddress, question: DnsQuestion, options: AskOptions): Promise<AskOutcome> => {
    this.asks.push({ server: server.name, name: question.name, type: typeName(question.type), rd: options.recursionDesired, zone: options.zone });
    const query = makeQuery(this.nextId++, question.name, question.type, { recursionDesired: options.recursionDesired, ednsPayload: DNS_EDNS_SERVER_PAYLOAD });
    const script = this.scripts.get(server.address);
    const reply = script ? script(query, server) : this.zones.has(server.address) ? this.authoritative(query, server.address) : 'timeout';
    if (reply === 'timeout') return { ok: false, reason: `no reply from ${server.name} within 2000 ms` };
    return { ok: true, response: overTheWire(reply) };
  };

  /** The asks as `server name type` lines, for order checks. */
  trail(): string[] {
    return this.asks.map((a) => `${a.server} ${a.name} ${a.type}`);
  }
}

function setup(options: { net?: Network; mode?: 'iterative' | 'recursive'; rootServers?: NameServerAddress[]; cache?: ResolverCache } = {}) {
  const net = options.net ?? new Network();
  const clock = { t: T0 };
  const notes: ResolveNote[] = [];
  const cache = options.cache ?? new ResolverCache();
  const resolver = new Resolver({ cache, rootServers: options.rootServers ?? [ROOT], now: () => clock.t, ask: net.ask, mode: options.mode ?? 'iterative', note: (n) => notes.push(n) });
  return { net, clock, notes, cache, resolver, resolve: (name: string, type: number = RR_TYPE.A) => resolver.resolve({ name, type, class: 1 }) };
}

const rdata = (records: readonly DnsRecord[]) => records.map((r) => `${r.name} ${r.ttl} ${typeName(r.type)} ${r.data.kind === 'A' ? r.data.address : r.data.kind === 'CNAME' ? r.data.target : r.data.kind === 'SOA' ? r.data.mname : r.data.kind}`);

const reply = (query: DnsMessage, parts: Partial<Pick<DnsMessage, 'answers' | 'authorities' | 'additionals'>> & { aa?: boolean; rcode?: number }): DnsMessage => ({
  id: query.id,
  flags: { ...query.flags, qr: true, aa: parts.aa ?? false, ra: false, rcode: parts.rcode ?? RCODE.NOERROR },
  questions: query.questions,
  answers: parts.answers ?? [],
  authorities: parts.authorities ?? [],
  additionals: parts.additionals ?? [],
});
const A = (name: string, address: string, ttl = 3600): DnsRecord => ({ name, type: RR_TYPE.A, class: 1, ttl, data: { kind: 'A', address } });
const NS = (name: string, host: string, ttl = 3600): DnsRecord => ({ name, type: RR_TYPE.NS, class: 1, ttl, data: { kind: 'NS', host } });
const CNAME = (name: string, target: string, ttl = 3600): DnsRecord => ({ name, type: RR_TYPE.CNAME, class: 1, ttl, data: { kind: 'CNAME', target } });
const SOA = (zone: string, minimum = 300): DnsRecord => ({
  name: zone,
  type: RR_TYPE.SOA,
  class: 1,
  ttl: minimum,
  data: { kind: 'SOA', mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 900, expire: 1209600, minimum },
});

describe('Resolver: the iterative walk through the lab hierarchy', () => {
  it('finds gaia.cs.umass.edu by asking the root, the edu server, then dns.cs.umass.edu, each with RD clear', async () => {
    const { net, resolve } = setup();
    const r = await resolve(GAIA);
    expect(r).toMatchObject({ rcode: RCODE.NOERROR, fromCache: false, upstreamQueries: 3, authorities: [] });
    expect(rdata(r.answers)).toEqual(['gaia.cs.umass.edu. 3600 A 128.119.245.12']);
    expect(net.asks).toEqual([
      { server: 'a.root-servers.net', name: GAIA, type: 'A', rd: false, zone: '.' },
      { server: 'a.edu-servers.net', name: GAIA, type: 'A', rd: false, zone: 'edu.' },
      { server: 'dns.cs.umass.edu', name: GAIA, type: 'A', rd: false, zone: 'umass.edu.' },
    ]);
    expect(r.reason).toMatch(/found after 3 queries/);
  });

  it('answers the same question again from the cache, asking no one, with the TTL counted down', async () => {
    const { net, clock, notes, resolve } = setup();
    await resolve(GAIA);
    clock.t += 60_000;
    const again = await resolve(GAIA);
    expect(again).toMatchObject({ rcode: RCODE.NOERROR, fromCache: true, upstreamQueries: 0 });
    expect(rdata(again.answers)).toEqual(['gaia.cs.umass.edu. 3540 A 128.119.245.12']);
    expect(net.asks).toHaveLength(3);
    expect(notes.at(-1)).toMatchObject({ kind: 'cache-hit', question: { name: GAIA, type: RR_TYPE.A } });
  });

  it('starts a later name of umass.edu at umass.edu\'s server (cached NS and glue), and one of edu at the edu server', async () => {
    const { net, notes, resolve } = setup();
    await resolve(GAIA);
    const www = await resolve('www.umass.edu.');
    expect(rdata(www.answers)).toEqual(['www.umass.edu. 3600 A 128.119.8.148']);
    expect(www.upstreamQueries).toBe(1);
    expect(net.asks.at(-1)).toEqual({ server: 'dns.cs.umass.edu', name: 'www.umass.edu.', type: 'A', rd: false, zone: 'umass.edu.' });
    expect(notes).toContainEqual({ kind: 'cached-servers', zone: 'umass.edu.', servers: ['dns.cs.umass.edu.'] });

    const mx = await resolve('hamburger.edu.', RR_TYPE.MX);
    expect(mx.rcode).toBe(RCODE.NOERROR);
    expect(mx.answers.map((x) => x.data)).toEqual([{ kind: 'MX', preference: 10, exchange: 'mail.hamburger.edu.' }]);
    expect(net.trail().slice(4)).toEqual(['a.edu-servers.net hamburger.edu. MX', 'ns.hamburger.edu hamburger.edu. MX']);
  });

  it('walks from the root again when the cached servers\' addresses are gone (the glue was flushed)', async () => {
    const { net, cache, resolve } = setup();
    await resolve(GAIA);
    expect(cache.flush('dns.cs.umass.edu')).toBe(1);
    const www = await resolve('www.umass.edu.');
    expect(www.rcode).toBe(RCODE.NOERROR);
    expect(rdata(www.answers)).toEqual(['www.umass.edu. 3600 A 128.119.8.148']);
    expect(net.trail().slice(3)).toEqual(['a.root-servers.net www.umass.edu. A', 'a.edu-servers.net www.umass.edu. A', 'dns.cs.umass.edu www.umass.edu. A']);
  });

  it('does not hand out referral data (the glue it was given) as an answer to a client', async () => {
    const { net, resolve } = setup();
    await resolve(GAIA);
    const glue = await resolve('dns.cs.umass.edu.');
    expect(glue.fromCache).toBe(false);
    expect(net.asks.at(-1)).toMatchObject({ server: 'dns.cs.umass.edu', name: 'dns.cs.umass.edu.' });
    expect(rdata(glue.answers)).toEqual(['dns.cs.umass.edu. 3600 A 128.119.240.1']);
  });

  it('chases the CNAME of www.ibm.com (the canonical name in the same zone comes in the same reply)', async () => {
    const { net, resolve } = setup();
    const r = await resolve('www.ibm.com.');
    expect(r.rcode).toBe(RCODE.NOERROR);
    expect(rdata(r.answers)).toEqual(['www.ibm.com. 3600 CNAME servereast.backup2.ibm.com.', 'servereast.backup2.ibm.com. 3600 A 129.42.38.10']);
    expect(net.trail()).toEqual(['a.root-servers.net www.ibm.com. A', 'a.gtld-servers.net www.ibm.com. A', 'ns1.ibm.com www.ibm.com. A']);
  });

  it('chases a CNAME into another zone from the top, and answers the whole chain from the cache the second time', async () => {
    const net = new Network(labServers({ append: { 'ibm.com.zone': '\nalias IN CNAME www.umass.edu.\n' } }));
    const { resolve, clock } = setup({ net });
    const r = await resolve('alias.ibm.com.');
    expect(rdata(r.answers)).toEqual(['alias.ibm.com. 3600 CNAME www.umass.edu.', 'www.umass.edu. 3600 A 128.119.8.148']);
    expect(net.trail()).toEqual([
      'a.root-servers.net alias.ibm.com. A',
      'a.gtld-servers.net alias.ibm.com. A',
      'ns1.ibm.com alias.ibm.com. A',
      'a.root-servers.net www.umass.edu. A',
      'a.edu-servers.net www.umass.edu. A',
      'dns.cs.umass.edu www.umass.edu. A',
    ]);
    clock.t += 10_000;
    const again = await resolve('alias.ibm.com.');
    expect(again).toMatchObject({ fromCache: true, upstreamQueries: 0 });
    expect(rdata(again.answers)).toEqual(['alias.ibm.com. 3590 CNAME www.umass.edu.', 'www.umass.edu. 3590 A 128.119.8.148']);
  });
});

describe('Resolver: negative answers (RFC 2308)', () => {
  it('caches NXDOMAIN for the name, every type, for the SOA\'s negative TTL', async () => {
    const { net, clock, resolve } = setup();
    const r = await resolve('nosuch.cs.umass.edu.');
    expect(r).toMatchObject({ rcode: RCODE.NXDOMAIN, answers: [], fromCache: false, upstreamQueries: 3 });
    expect(rdata(r.authorities)).toEqual(['cs.umass.edu. 300 SOA dns.cs.umass.edu.']);
    expect(r.reason).toBe('nosuch.cs.umass.edu. does not exist');

    clock.t += 100_000;
    const mx = await resolve('nosuch.cs.umass.edu.', RR_TYPE.MX);
    expect(mx).toMatchObject({ rcode: RCODE.NXDOMAIN, fromCache: true, upstreamQueries: 0 });
    expect(rdata(mx.authorities)).toEqual(['cs.umass.edu. 200 SOA dns.cs.umass.edu.']);
    expect(net.asks).toHaveLength(3);

    clock.t += 200_000; // 300 s gone: the absence is forgotten
    const later = await resolve('nosuch.cs.umass.edu.');
    expect(later.fromCache).toBe(false);
    expect(net.trail().at(-1)).toBe('dns.cs.umass.edu nosuch.cs.umass.edu. A');
  });

  it('caches NODATA for the one type asked: gaia has no AAAA, but its A is still asked for', async () => {
    const { net, resolve } = setup();
    const r = await resolve(GAIA, RR_TYPE.AAAA);
    expect(r).toMatchObject({ rcode: RCODE.NOERROR, answers: [], upstreamQueries: 3 });
    expect(rdata(r.authorities)).toEqual(['cs.umass.edu. 300 SOA dns.cs.umass.edu.']);
    expect(r.reason).toBe('gaia.cs.umass.edu. has no AAAA records');
    const again = await resolve(GAIA, RR_TYPE.AAAA);
    expect(again).toMatchObject({ rcode: RCODE.NOERROR, answers: [], fromCache: true, upstreamQueries: 0 });
    const a = await resolve(GAIA);
    expect(a).toMatchObject({ fromCache: false, upstreamQueries: 1 });
    expect(net.trail().at(-1)).toBe('dns.cs.umass.edu gaia.cs.umass.edu. A');
  });

  it('a TLD\'s NXDOMAIN is kept for the TLD\'s negative TTL', async () => {
    const { cache, resolve } = setup();
    const r = await resolve('nosuchschool.edu.');
    expect(r.rcode).toBe(RCODE.NXDOMAIN);
    expect(rdata(r.authorities)).toEqual(['edu. 3600 SOA a.edu-servers.net.']);
    expect(cache.lookup('nosuchschool.edu.', RR_TYPE.TXT, T0)).toMatchObject({ kind: 'nxdomain', ttlLeft: 3600, source: 'a.edu-servers.net' });
  });
});

describe('Resolver: servers that fail', () => {
  it('asks the next server when one times out', async () => {
    const { net, resolve } = setup({ rootServers: [{ name: 'b.root-servers.net', address: '199.9.14.201' }, ROOT] });
    const r = await resolve(GAIA);
    expect(r.rcode).toBe(RCODE.NOERROR);
    expect(r.upstreamQueries).toBe(4);
    expect(net.trail().slice(0, 2)).toEqual(['b.root-servers.net gaia.cs.umass.edu. A', 'a.root-servers.net gaia.cs.umass.edu. A']);
  });

  it('answers SERVFAIL when every server of a zone fails, saying why for each', async () => {
    const { resolve } = setup({ rootServers: [{ name: 'b.root-servers.net', address: '199.9.14.201' }, { name: 'c.root-servers.net', address: '192.33.4.12' }] });
    const r = await resolve(GAIA);
    expect(r).toMatchObject({ rcode: RCODE.SERVFAIL, answers: [], upstreamQueries: 2, fromCache: false });
    expect(r.reason).toBe('no server of . gave a usable answer (b.root-servers.net: no reply from b.root-servers.net within 2000 ms; c.root-servers.net: no reply from c.root-servers.net within 2000 ms)');
  });

  it('answers SERVFAIL when the authoritative server stops answering mid-walk, and caches nothing negative', async () => {
    const net = new Network();
    net.scripts.set(UMASS.address, () => 'timeout');
    const { cache, resolve } = setup({ net });
    const r = await resolve(GAIA);
    expect(r.rcode).toBe(RCODE.SERVFAIL);
    expect(r.reason).toMatch(/^no server of umass\.edu\. gave a usable answer \(dns\.cs\.umass\.edu: no reply/);
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)).toBeNull();
  });

  const lameEdu = {
    append: { 'edu.zone': '\nlame IN NS ns1.poly.edu.\nlame IN NS ns.someschool.edu.\n' },
    extra: { 'ns.someschool.edu': [{ origin: 'lame.edu.', text: '$TTL 3600\n@ SOA ns.someschool.edu. hostmaster.lame.edu. 1 3600 900 1209600 300\n@ NS ns1.poly.edu.\n@ NS ns.someschool.edu.\nwww A 192.0.2.80\n' }] },
  };

  it('treats a server that answers REFUSED as lame and asks the zone\'s next server', async () => {
    const net = new Network(labServers(lameEdu));
    const { cache, resolve } = setup({ net });
    const r = await resolve('www.lame.edu.');
    expect(rdata(r.answers)).toEqual(['www.lame.edu. 3600 A 192.0.2.80']);
    expect(net.trail()).toEqual(['a.root-servers.net www.lame.edu. A', 'a.edu-servers.net www.lame.edu. A', 'ns1.poly.edu www.lame.edu. A', 'ns.someschool.edu www.lame.edu. A']);
    expect(cache.view(T0).entries.filter((e) => e.source === 'ns1.poly.edu')).toEqual([]);
  });

  it('answers SERVFAIL when the only servers are lame, and keeps nothing a REFUSED reply carried', async () => {
    const net = new Network(labServers(lameEdu));
    net.scripts.set('134.126.15.2', (q) => reply(q, { rcode: RCODE.REFUSED, answers: [A('www.lame.edu.', '6.6.6.6')] }));
    const { cache, resolve } = setup({ net });
    const r = await resolve('www.lame.edu.');
    expect(r.rcode).toBe(RCODE.SERVFAIL);
    expect(r.reason).toBe('no server of lame.edu. gave a usable answer (ns1.poly.edu: answered REFUSED; ns.someschool.edu: answered REFUSED)');
    expect(cache.lookup('www.lame.edu.', RR_TYPE.A, T0)).toBeNull();
  });

  it('stops at an upward referral, a referral to the same zone and a referral sideways, caching none of them', async () => {
    const cases: Array<[string, (q: DnsMessage) => DnsMessage]> = [
      ['upward', (q) => reply(q, { authorities: [NS('edu.', 'a.edu-servers.net.')], additionals: [A('a.edu-servers.net.', '192.5.6.31')] })],
      ['same zone', (q) => reply(q, { authorities: [NS('umass.edu.', 'dns.cs.umass.edu.')], additionals: [A('dns.cs.umass.edu.', '128.119.240.1')] })],
      ['sideways', (q) => reply(q, { authorities: [NS('ibm.com.', 'ns1.ibm.com.')], additionals: [A('ns1.ibm.com.', '6.6.6.6')] })],
    ];
    for (const [what, script] of cases) {
      const net = new Network();
      net.scripts.set(UMASS.address, script);
      const { cache, resolve } = setup({ net });
      const r = await resolve(GAIA);
      expect(r.rcode, what).toBe(RCODE.SERVFAIL);
      expect(r.reason, what).toMatch(/neither an answer nor a referral to a zone closer to the name/);
      expect(net.asks, what).toHaveLength(3);
      expect(cache.lookup('ns1.ibm.com.', RR_TYPE.A, T0, false, true), what).toBeNull();
      expect(cache.lookup('ibm.com.', RR_TYPE.NS, T0, false, true), what).toBeNull();
    }
  });
});

describe('Resolver: limits', () => {
  /**
   * Servers at one address that delegate one label deeper each time (`ns.<zone>` serves <zone>),
   * until the zone is the name itself, which answers.
   */
  function deepDelegations(): Network {
    const net = new Network(new Map());
    net.scripts.set('10.0.0.1', (q, server) => {
      const name = q.questions[0].name;
      const zone = server.name === 'deep-root' ? '.' : `${server.name.slice('ns.'.length)}.`;
      if (sameName(zone, name)) return reply(q, { aa: true, answers: [A(name, '192.0.2.1')] });
      const labels = splitName(name);
      const child = joinLabels(labels.slice(labels.length - labelCount(zone) - 1));
      return reply(q, { authorities: [NS(child, `ns.${child}`)], additionals: [A(`ns.${child}`, '10.0.0.1')] });
    });
    return net;
  }
  const deepName = (labels: number) => joinLabels(Array.from({ length: labels }, (_, i) => `d${labels - i}`));

  it(`follows ${RESOLVER_MAX_REFERRALS} referrals (RESOLVER_MAX_REFERRALS), and gives up at one more`, async () => {
    const atLimit = setup({ net: deepDelegations(), rootServers: [{ name: 'deep-root', address: '10.0.0.1' }] });
    const ok = await atLimit.resolve(deepName(RESOLVER_MAX_REFERRALS));
    expect(ok.rcode).toBe(RCODE.NOERROR);
    expect(ok.upstreamQueries).toBe(RESOLVER_MAX_REFERRALS + 1);

    const over = setup({ net: deepDelegations(), rootServers: [{ name: 'deep-root', address: '10.0.0.1' }] });
    const name = deepName(RESOLVER_MAX_REFERRALS + 1);
    const failed = await over.resolve(name);
    expect(failed.rcode).toBe(RCODE.SERVFAIL);
    expect(failed.reason).toBe(`more than ${RESOLVER_MAX_REFERRALS} referrals for ${name}`);
    expect(over.net.asks).toHaveLength(RESOLVER_MAX_REFERRALS + 1);
  });

  it(`sends at most RESOLVER_MAX_QUERIES (${RESOLVER_MAX_QUERIES}) queries for one question`, async () => {
    const roots = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `r${i}.root`, address: `10.9.${i >> 8}.${i & 0xff}` }));
    const atLimit = setup({ rootServers: roots(RESOLVER_MAX_QUERIES) });
    const all = await atLimit.resolve(GAIA);
    expect(all.upstreamQueries).toBe(RESOLVER_MAX_QUERIES);
    expect(all.reason).toMatch(/^no server of \. gave a usable answer/);

    const over = setup({ rootServers: roots(RESOLVER_MAX_QUERIES + 1) });
    const cut = await over.resolve(GAIA);
    expect(cut).toMatchObject({ rcode: RCODE.SERVFAIL, upstreamQueries: RESOLVER_MAX_QUERIES + 1, answers: [] });
    expect(cut.reason).toBe(`gave up after ${RESOLVER_MAX_QUERIES} queries for ${GAIA}`);
    expect(over.net.asks).toHaveLength(RESOLVER_MAX_QUERIES);
  });

  /**
   * Zones g0 .. gN under a root of their own: gK is served by ns.g(K+1), whose address is only in
   * g(K+1) itself (no glue), except the last, gN, which serves itself and is glued in the root (so
   * the root's referral for g(N-1) carries its address too: the last server needs no look-up).
   */
  function gluelessChain(): Network {
    const last = RESOLVER_MAX_GLUE_DEPTH + 2;
    const address = (k: number) => `10.1.0.${k + 10}`;
    const root = ['$TTL 86400', '@ SOA a.root. hostmaster.root. 1 1800 900 604800 86400', '@ NS a.root.', 'a.root. A 10.1.0.1', `ns.g${last}. A ${address(last)}`];
    const zone = (k: number) => {
      const server = Math.min(k + 1, last);
      root.push(`g${k} NS ns.g${server}.`);
      const text = ['$TTL 3600', `@ SOA ns.g${server}. hostmaster 1 3600 900 1209600 300`, `@ NS ns.g${server}.`, 'www A 192.0.2.7', ...(k >= 1 ? [`ns A ${address(k)}`] : [])];
      return zoneOf({ origin: `g${k}.`, text: `${text.join('\n')}\n` });
    };
    const zones = Array.from({ length: last + 1 }, (_, k) => zone(k));
    const byAddress = new Map<string, ZoneSet>([['10.1.0.1', new ZoneSet([zoneOf({ origin: '.', text: `${root.join('\n')}\n` })])]]);
    for (let k = 1; k <= last; k++) byAddress.set(address(k), new ZoneSet(k === last ? [zones[k - 1], zones[k]] : [zones[k - 1]]));
    return new Network(byAddress);
  }

  it(`looks up name servers without glue ${RESOLVER_MAX_GLUE_DEPTH} deep (RESOLVER_MAX_GLUE_DEPTH), and no deeper`, async () => {
    const hint = [{ name: 'a.root', address: '10.1.0.1' }];
    const atLimit = setup({ net: gluelessChain(), rootServers: hint });
    const ok = await atLimit.resolve('www.g1.');
    expect(ok.rcode).toBe(RCODE.NOERROR);
    expect(rdata(ok.answers)).toEqual(['www.g1. 3600 A 192.0.2.7']);
    const nested = atLimit.net.asks.filter((a) => a.type === 'A' && /^ns\./.test(a.name)).map((a) => a.name);
    expect(new Set(nested)).toEqual(new Set(Array.from({ length: RESOLVER_MAX_GLUE_DEPTH }, (_, i) => `ns.g${i + 2}.`)));

    const over = setup({ net: gluelessChain(), rootServers: hint });
    const failed = await over.resolve('www.g0.');
    expect(failed.rcode).toBe(RCODE.SERVFAIL);
    expect(failed.reason).toBe('no address could be found for any name server of g0.');
  });

  it(`follows ${DNS_MAX_CNAME_CHAIN} CNAMEs in a row (DNS_MAX_CNAME_CHAIN), not one more`, async () => {
    // Aliases alternate between ibm.com and yahoo.com, so each reply carries one CNAME.
    const chain = (n: number) => {
      const append: Record<string, string> = { 'ibm.com.zone': '\n', 'yahoo.com.zone': '\n' };
      const host = (i: number) => `c${i}.${i % 2 === 0 ? 'ibm' : 'yahoo'}.com.`;
      for (let i = 0; i < n; i++) append[i % 2 === 0 ? 'ibm.com.zone' : 'yahoo.com.zone'] += `c${i} IN CNAME ${host(i + 1)}\n`;
      append[n % 2 === 0 ? 'ibm.com.zone' : 'yahoo.com.zone'] += `c${n} IN A 192.0.2.99\n`;
      return new Network(labServers({ append }));
    };
    const ok = await setup({ net: chain(DNS_MAX_CNAME_CHAIN) }).resolve('c0.ibm.com.');
    expect(ok.rcode).toBe(RCODE.NOERROR);
    expect(ok.answers.map((r) => typeName(r.type))).toEqual([...Array<string>(DNS_MAX_CNAME_CHAIN).fill('CNAME'), 'A']);

    const over = await setup({ net: chain(DNS_MAX_CNAME_CHAIN + 1) }).resolve('c0.ibm.com.');
    expect(over.rcode).toBe(RCODE.SERVFAIL);
    expect(over.reason).toBe(`more than ${DNS_MAX_CNAME_CHAIN} CNAMEs in a row from c0.ibm.com.`);
  });

  it('answers SERVFAIL for a CNAME loop across zones and for one inside a zone', async () => {
    const net = new Network(labServers({ append: { 'ibm.com.zone': '\nloop1 IN CNAME loop2.yahoo.com.\n', 'yahoo.com.zone': '\nloop2 IN CNAME loop1.ibm.com.\n' } }));
    const across = setup({ net });
    const r = await across.resolve('loop1.ibm.com.');
    expect(r.rcode).toBe(RCODE.SERVFAIL);
    expect(r.reason).toBe('the CNAMEs from loop1.ibm.com. loop back to loop1.ibm.com.');
    expect(net.asks.length).toBeLessThan(10);

    const inside = new Network();
    // A server whose zone has a loop (a zone file would be refused): both aliases in one reply.
    inside.scripts.set('129.42.1.2', (q) => reply(q, { aa: true, answers: [CNAME('self1.ibm.com.', 'self2.ibm.com.'), CNAME('self2.ibm.com.', 'self1.ibm.com.')] }));
    const one = await setup({ net: inside }).resolve('self1.ibm.com.');
    expect(one.rcode).toBe(RCODE.SERVFAIL);
    expect(one.reason).toMatch(/loop back to self[12]\.ibm\.com\./);
    expect(inside.asks).toHaveLength(3);
  });
});

describe('Resolver: the bailiwick rule (RFC 2181 §5.4.1)', () => {
  it('uses and caches nothing a server says about names outside its zone', async () => {
    const net = new Network();
    net.scripts.set(UMASS.address, (q) => {
      const honest = net.authoritative(q, UMASS.address);
      return {
        ...honest,
        answers: [...honest.answers, A('www.ibm.com.', '6.6.6.6')],
        authorities: [...honest.authorities, NS('ibm.com.', 'ns.evil.example.')],
        additionals: [...honest.additionals, A('ns1.ibm.com.', '6.6.6.6'), A('ns.evil.example.', '6.6.6.6')],
      };
    });
    const { cache, resolve } = setup({ net });
    const r = await resolve(GAIA);
    expect(rdata(r.answers)).toEqual(['gaia.cs.umass.edu. 3600 A 128.119.245.12']);
    const cached = cache.view(T0).entries.map((e) => `${e.name} ${e.type}`);
    expect(cached.filter((e) => /ibm|evil/.test(e))).toEqual([]);

    const ibm = await resolve('www.ibm.com.');
    expect(ibm.answers.at(-1)?.data).toEqual({ kind: 'A', address: '129.42.38.10' });
    expect(net.trail().slice(3)).toEqual(['a.root-servers.net www.ibm.com. A', 'a.gtld-servers.net www.ibm.com. A', 'ns1.ibm.com www.ibm.com. A']);
  });

  it('keeps only the answer records on the path from the name asked: an unrelated record, even in the zone, is neither cached nor answered', async () => {
    const net = new Network();
    net.scripts.set(UMASS.address, (q) => {
      const honest = net.authoritative(q, UMASS.address);
      // In the server's own zone, but not what was asked: Unbound's scrubber drops such RRsets too.
      return sameName(q.questions[0].name, GAIA) ? { ...honest, answers: [...honest.answers, A('www-net.cs.umass.edu.', '6.6.6.6')] } : honest;
    });
    const { cache, resolve } = setup({ net });
    const r = await resolve(GAIA);
    expect(rdata(r.answers)).toEqual(['gaia.cs.umass.edu. 3600 A 128.119.245.12']);
    expect(cache.view(T0).entries.filter((e) => e.name === 'www-net.cs.umass.edu.')).toEqual([]);

    const other = await resolve('www-net.cs.umass.edu.');
    expect(other.fromCache).toBe(false);
    expect(rdata(other.answers)).toEqual(['www-net.cs.umass.edu. 3600 A 128.119.240.84']);
  });

  it('hands a fresh answer out with the TTL its cache keeps: one per RRset (the lowest), capped, the top bit read as 0', async () => {
    const net = new Network();
    net.scripts.set(UMASS.address, (q) => {
      const name = q.questions[0].name;
      if (sameName(name, GAIA)) return reply(q, { aa: true, answers: [A(GAIA, '128.119.245.12', 3600), A(GAIA, '128.119.245.13', 60)] });
      if (sameName(name, 'long.cs.umass.edu.')) return reply(q, { aa: true, answers: [A(name, '128.119.245.14', RESOLVER_MAX_TTL + 1)] });
      return reply(q, { aa: true, answers: [A(name, '128.119.245.15', 0x80000000)] });
    });
    const { resolve } = setup({ net });
    // RFC 2181 §5.2: the records of one RRset share one TTL; the cache keeps the lowest.
    expect((await resolve(GAIA)).answers.map((r) => r.ttl)).toEqual([60, 60]);
    expect((await resolve('long.cs.umass.edu.')).answers.map((r) => r.ttl)).toEqual([RESOLVER_MAX_TTL]);
    expect((await resolve('top-bit.cs.umass.edu.')).answers.map((r) => r.ttl)).toEqual([0]);
  });

  it('chases an alias that leads out of the zone itself, ignoring the address the server added for it', async () => {
    const net = new Network();
    net.scripts.set(HAMBURGER.address, (q) => reply(q, { aa: true, answers: [CNAME('www.hamburger.edu.', 'www.ibm.com.'), A('www.ibm.com.', '6.6.6.6')] }));
    const { resolve } = setup({ net });
    const r = await resolve('www.hamburger.edu.');
    expect(rdata(r.answers)).toEqual(['www.hamburger.edu. 3600 CNAME www.ibm.com.', 'www.ibm.com. 3600 CNAME servereast.backup2.ibm.com.', 'servereast.backup2.ibm.com. 3600 A 129.42.38.10']);
    expect(net.trail().at(-1)).toBe('ns1.ibm.com www.ibm.com. A');
  });

  it('does not take an NXDOMAIN for an alias\'s target in another zone: it asks that zone', async () => {
    const net = new Network();
    net.scripts.set(HAMBURGER.address, (q) => reply(q, { aa: true, rcode: RCODE.NXDOMAIN, answers: [CNAME('www.hamburger.edu.', 'www.ibm.com.')], authorities: [SOA('hamburger.edu.')] }));
    const { cache, resolve } = setup({ net });
    const r = await resolve('www.hamburger.edu.');
    expect(r.rcode).toBe(RCODE.NOERROR);
    expect(r.answers.at(-1)?.data).toEqual({ kind: 'A', address: '129.42.38.10' });
    expect(cache.lookup('www.ibm.com.', RR_TYPE.A, T0)?.kind).not.toBe('nxdomain');
    expect(cache.view(T0).entries.filter((e) => e.kind === 'nxdomain')).toEqual([]);
  });

  it('takes glue only for the servers of the child zone, and only inside the referring server\'s zone', async () => {
    const net = new Network();
    net.scripts.set(EDU.address, (q) => {
      const honest = net.authoritative(q, EDU.address);
      return { ...honest, additionals: [...honest.additionals, A('a.root-servers.net.', '6.6.6.6'), A('www.umass.edu.', '6.6.6.6')] };
    });
    const { cache, resolve } = setup({ net });
    await resolve(GAIA);
    expect(cache.lookup('a.root-servers.net.', RR_TYPE.A, T0, false, true)).toBeNull();
    expect(cache.lookup('www.umass.edu.', RR_TYPE.A, T0, false, true)).toBeNull();
    expect(cache.lookup('dns.cs.umass.edu.', RR_TYPE.A, T0, false, true)?.kind).toBe('positive');
  });

  it('looks up the address of a name server named outside the delegated zone (no glue) before asking it', async () => {
    const net = new Network(
      labServers({
        append: { 'com.zone': '\nglueless IN NS ns.hamburger.edu.\n' },
        extra: { 'ns.hamburger.edu': [{ origin: 'glueless.com.', text: '$TTL 3600\n@ SOA ns.hamburger.edu. hostmaster.glueless.com. 1 3600 900 1209600 300\n@ NS ns.hamburger.edu.\nwww A 192.0.2.10\n' }] },
      }),
    );
    const { resolve } = setup({ net });
    const r = await resolve('www.glueless.com.');
    expect(rdata(r.answers)).toEqual(['www.glueless.com. 3600 A 192.0.2.10']);
    expect(net.asks.map((a) => `${a.server} ${a.name} ${a.zone}`)).toEqual([
      'a.root-servers.net www.glueless.com. .',
      'a.gtld-servers.net www.glueless.com. com.',
      'a.root-servers.net ns.hamburger.edu. .',
      'a.edu-servers.net ns.hamburger.edu. edu.',
      'ns.hamburger.edu ns.hamburger.edu. hamburger.edu.',
      'ns.hamburger.edu www.glueless.com. glueless.com.',
    ]);
  });
});

describe('Resolver: the recursive scheme', () => {
  /** The root, asked with RD set, walks the hierarchy itself and answers with AA clear and RA set. */
  function recursiveRoot(): Network {
    const net = new Network();
    net.scripts.set(ROOT.address, (q) => {
      if (!q.flags.rd) return net.authoritative(q, ROOT.address);
      const found = walk(q.questions[0].name, q.questions[0].type);
      return { ...found, id: q.id, flags: { ...found.flags, aa: false, ra: true, rd: true } };
    });
    return net;
  }

  it('asks the root once, with RD set, and caches what comes back', async () => {
    const net = recursiveRoot();
    const { cache, resolve } = setup({ net, mode: 'recursive' });
    const r = await resolve(GAIA);
    expect(r).toMatchObject({ rcode: RCODE.NOERROR, upstreamQueries: 1 });
    expect(rdata(r.answers)).toEqual(['gaia.cs.umass.edu. 3600 A 128.119.245.12']);
    expect(net.asks).toEqual([{ server: 'a.root-servers.net', name: GAIA, type: 'A', rd: true, zone: '.' }]);
    expect(cache.lookup(GAIA, RR_TYPE.A, T0)?.kind).toBe('positive');
    expect((await resolve(GAIA)).fromCache).toBe(true);
  });

  it('goes to the root again for another name of a zone it has seen (no NS shortcut), and caches NXDOMAIN too', async () => {
    const net = recursiveRoot();
    const { resolve } = setup({ net, mode: 'recursive' });
    await resolve(GAIA);
    await resolve('www.umass.edu.');
    const www = await resolve('www.ibm.com.');
    expect(rdata(www.answers)).toEqual(['www.ibm.com. 3600 CNAME servereast.backup2.ibm.com.', 'servereast.backup2.ibm.com. 3600 A 129.42.38.10']);
    const nx = await resolve('nosuch.umass.edu.');
    expect(nx.rcode).toBe(RCODE.NXDOMAIN);
    expect((await resolve('nosuch.umass.edu.', RR_TYPE.MX)).fromCache).toBe(true);
    expect(net.asks.map((a) => `${a.server} ${a.rd}`)).toEqual(Array(4).fill('a.root-servers.net true'));
  });
});

describe('Resolver: questions at once', () => {
  it('resolves several questions concurrently over one cache', async () => {
    const { resolver } = setup();
    const names = [GAIA, 'www.umass.edu.', 'www.ibm.com.', 'proxy.massey.ac.nz.', 'nosuch.poly.edu.'];
    const results = await Promise.all(names.map((name) => resolver.resolve({ name, type: RR_TYPE.A, class: 1 })));
    expect(results.map((r) => r.rcode)).toEqual([RCODE.NOERROR, RCODE.NOERROR, RCODE.NOERROR, RCODE.NOERROR, RCODE.NXDOMAIN]);
    expect(nameKey(results[3].answers[0].name)).toBe('proxy.massey.ac.nz.');
  });
});

describe('the deadline of one question', () => {
  it(`sends no query past RESOLVER_DEADLINE_MS (${RESOLVER_DEADLINE_MS} ms) and answers SERVFAIL`, async () => {
    const net = new Network();
    let monotonic = 0;
    // Every ask takes 600 ms of the clock: the third would start at 1200 ms, the fourth past 1500.
    const slow = async (server: NameServerAddress, question: DnsQuestion, options: AskOptions): Promise<AskOutcome> => {
      monotonic += 600;
      return net.ask(server, question, options);
    };
    const resolver = new Resolver({ cache: new ResolverCache(), rootServers: [ROOT], now: () => T0, ask: slow, mode: 'iterative', clock: () => monotonic });
    const r = await resolver.resolve({ name: GAIA, type: RR_TYPE.A, class: 1 });
    // root at 0, edu at 600, umass at 1200 (under the deadline): the walk just fits.
    expect(r.rcode).toBe(RCODE.NOERROR);
    expect(net.asks).toHaveLength(3);

    const slower = new Resolver({ cache: new ResolverCache(), rootServers: [ROOT], now: () => T0, ask: slow, mode: 'iterative', clock: () => monotonic, deadlineMs: 1_000 });
    monotonic = 0;
    net.asks.length = 0;
    const late = await slower.resolve({ name: GAIA, type: RR_TYPE.A, class: 1 });
    expect(late.rcode).toBe(RCODE.SERVFAIL);
    expect(late.reason).toBe(`gave up on ${GAIA} after 1000 ms`);
    // root at 0 and edu at 600 were sent; at 1200 the deadline (1000) had passed.
    expect(net.asks.map((a) => a.server)).toEqual(['a.root-servers.net', 'a.edu-servers.net']);
  });
});
