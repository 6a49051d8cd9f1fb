// dig (BIND's dnsutils) and kdig (Knot's knot-dnsutils) against a real lab: the local resolver
// dns.poly.edu over UDP and TCP, the root and dns.cs.umass.edu asked without recursion (a referral
// with glue, an authoritative answer with AA), the course's examples by type (PTR, MX, NS, CNAME,
// TXT, SOA, AAAA), NXDOMAIN and NODATA with the SOA, the A records of www.yahoo.com turned round
// from query to query, a TXT RRset too big for 512 octets coming back with TC to a client
// without EDNS (which asks again over TCP), and the OPT record in every answer to an EDNS query.
// Two independent clients: each decodes our bytes with its own parser. Skips with a printed
// reason without them, and fails under CI.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_EDNS_SERVER_PAYLOAD, DNS_UDP_MAX } from '../../src/protocols/dns';
import { requireTool } from '../support/tools';
import { type TestLab, startTestLab } from '../support/test-lab';

const run = promisify(execFile);
const digPath = requireTool('dig', 'dnsutils');
const kdigPath = requireTool('kdig', 'knot-dnsutils');

/** Seconds dig and kdig wait for one reply, and tries: everything is on loopback. */
const CLIENT_WAIT_SECONDS = 3;

/** The addresses of www.yahoo.com in yahoo.com.zone, in the file's order. */
const YAHOO_WWW = ['98.137.11.163', '98.137.11.164', '74.6.143.25', '74.6.143.26'];

/** The TXT strings of yahoo.com in yahoo.com.zone: together more than 512 octets. */
const YAHOO_TXT_COUNT = 8;

let t: TestLab | null = null;

beforeAll(async () => {
  if (digPath || kdigPath) t = await startTestLab();
});

afterAll(async () => {
  await t?.stop();
});

/** Where a DNS host of zones.yaml really listens (its UDP and TCP share the port). */
function dnsPort(host: string): number {
  const s = t!.lab.serviceInfos().find((x) => x.hostname === host && x.protocol === 'dns' && x.transport === 'udp');
  if (!s) throw new Error(`no DNS service for ${host}`);
  return s.port;
}

const RESOLVER = 'dns.poly.edu';
const ROOT = 'a.root-servers.net';
const UMASS = 'dns.cs.umass.edu';
const YAHOO = 'ns1.yahoo.com';

interface Rr {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

/** Resource record lines as dig and kdig print them: NAME TTL CLASS TYPE RDATA, comments and blank lines skipped. */
function records(text: string): Rr[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith(';'))
    .map((l) => {
      const [name, ttl, cls, type, ...data] = l.trim().split(/\s+/);
      expect(cls, l).toBe('IN');
      return { name: name.toLowerCase(), ttl: Number(ttl), type, data: data.join(' ') };
    });
}

function shortLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith(';'));
}

/** Whether `order` is `base` turned round by some number of places. */
function isRotationOf(order: string[], base: string[]): boolean {
  if (order.length !== base.length) return false;
  return base.some((_, k) => base.every((_, i) => order[i] === base[(i + k) % base.length]));
}

async function dig(host: string, ...args: string[]): Promise<string> {
  // -r: no ~/.digrc, so the options are exactly these.
  const { stdout } = await run(digPath!, ['-r', '@127.0.0.1', '-p', String(dnsPort(host)), `+time=${CLIENT_WAIT_SECONDS}`, '+tries=1', ...args], { encoding: 'utf8' });
  return stdout;
}

async function kdig(host: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(kdigPath!, ['@127.0.0.1', '-p', String(dnsPort(host)), `+time=${CLIENT_WAIT_SECONDS}`, '+retry=0', ...args], { encoding: 'utf8' });
}

/** dig's header line: `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1` and `;; flags: qr aa; QUERY: 1, ...`. */
function digHeader(text: string): { status: string; flags: string[]; counts: Record<string, number> } {
  const status = /status: ([A-Z]+)/.exec(text)?.[1];
  const flagLine = /;; flags:([^;]*);(.*)$/m.exec(text);
  if (!status || !flagLine) throw new Error(`no header in dig's output:\n${text}`);
  const counts = Object.fromEntries([...flagLine[2].matchAll(/([A-Z]+): (\d+)/g)].map((m) => [m[1], Number(m[2])]));
  return { status, flags: flagLine[1].trim().split(/\s+/).filter(Boolean), counts };
}

/** kdig's header: `;; ->>HEADER<<- opcode: QUERY; status: NOERROR; id: 1` and `;; Flags: qr rd ra; QUERY: 1; ...`. */
function kdigHeader(text: string): { status: string; flags: string[] } {
  const status = /status: ([A-Z]+)/.exec(text)?.[1];
  const flagLine = /;; Flags:([^;]*);/.exec(text);
  if (!status || !flagLine) throw new Error(`no header in kdig's output:\n${text}`);
  return { status, flags: flagLine[1].trim().split(/\s+/).filter(Boolean) };
}

/** The transport dig reports in its statistics: `;; SERVER: 127.0.0.1#10053(127.0.0.1) (UDP)`. */
function digTransport(text: string): string | undefined {
  return /;; SERVER: .*\((UDP|TCP)\)\s*$/m.exec(text)?.[1];
}

describe.skipIf(!digPath)('dig against the lab', () => {
  it('asks the resolver over UDP and over TCP and gets the course address of gaia.cs.umass.edu', async () => {
    const udp = await dig(RESOLVER, 'gaia.cs.umass.edu', '+noall', '+answer', '+stats');
    expect(records(udp)).toEqual([{ name: 'gaia.cs.umass.edu.', ttl: expect.any(Number), type: 'A', data: '128.119.245.12' }]);
    expect(digTransport(udp)).toBe('UDP');
    const tcp = await dig(RESOLVER, 'gaia.cs.umass.edu', '+tcp', '+noall', '+answer', '+stats');
    expect(records(tcp).map((r) => r.data)).toEqual(['128.119.245.12']);
    expect(digTransport(tcp)).toBe('TCP');
    // The second answer came from the cache: its TTL is counting down from the zone's 3600.
    expect(records(tcp)[0].ttl).toBeLessThanOrEqual(3600);
    const header = digHeader(await dig(RESOLVER, 'gaia.cs.umass.edu', '+noall', '+comments'));
    expect(header.flags).toEqual(expect.arrayContaining(['qr', 'rd', 'ra']));
    expect(header.flags).not.toContain('aa');
  });

  it('gets an authoritative answer (AA) from dns.cs.umass.edu asked without recursion', async () => {
    const out = await dig(UMASS, 'gaia.cs.umass.edu', '+norecurse', '+noall', '+comments', '+answer', '+authority', '+additional');
    const header = digHeader(out);
    expect(header.status).toBe('NOERROR');
    expect(header.flags).toContain('aa');
    expect(header.flags).not.toContain('rd');
    expect(header.flags).not.toContain('ra');
    const rrs = records(out);
    expect(rrs).toContainEqual({ name: 'gaia.cs.umass.edu.', ttl: 3600, type: 'A', data: '128.119.245.12' });
    expect(rrs).toContainEqual({ name: 'cs.umass.edu.', ttl: 3600, type: 'NS', data: 'dns.cs.umass.edu.' });
  });

  it('gets a referral to edu with glue from the root asked without recursion', async () => {
    const out = await dig(ROOT, 'gaia.cs.umass.edu', '+norecurse', '+noall', '+comments', '+answer', '+authority', '+additional');
    const header = digHeader(out);
    expect(header.status).toBe('NOERROR');
    expect(header.flags).not.toContain('aa');
    expect(header.counts.ANSWER).toBe(0);
    const rrs = records(out);
    expect(rrs.filter((r) => r.type === 'NS')).toEqual([{ name: 'edu.', ttl: expect.any(Number), type: 'NS', data: 'a.edu-servers.net.' }]);
    expect(rrs).toContainEqual({ name: 'a.edu-servers.net.', ttl: expect.any(Number), type: 'A', data: '192.5.6.31' });
  });

  it('maps 130.123.128.201 back to proxy.massey.ac.nz with -x', async () => {
    expect(shortLines(await dig(RESOLVER, '-x', '130.123.128.201', '+short'))).toEqual(['proxy.massey.ac.nz.']);
    const out = records(await dig(RESOLVER, '-x', '130.123.128.201', '+noall', '+answer'));
    expect(out).toEqual([{ name: '201.128.123.130.in-addr.arpa.', ttl: expect.any(Number), type: 'PTR', data: 'proxy.massey.ac.nz.' }]);
  });

  it('reads MX, NS, CNAME, TXT, SOA and AAAA records through the resolver', async () => {
    expect(shortLines(await dig(RESOLVER, 'hamburger.edu', 'MX', '+short'))).toEqual(['10 mail.hamburger.edu.']);
    expect(shortLines(await dig(RESOLVER, 'crepes.fr', 'MX', '+short'))).toEqual(['10 mail.crepes.fr.']);
    expect(shortLines(await dig(RESOLVER, 'umass.edu', 'NS', '+short'))).toEqual(['dns.cs.umass.edu.']);
    expect(shortLines(await dig(RESOLVER, 'www.ibm.com', 'CNAME', '+short'))).toEqual(['servereast.backup2.ibm.com.']);
    // Asked for the address, the resolver gives the alias and then the canonical name's A record.
    const cname = records(await dig(RESOLVER, 'www.ibm.com', 'A', '+noall', '+answer'));
    expect(cname.map((r) => [r.name, r.type, r.data])).toEqual([
      ['www.ibm.com.', 'CNAME', 'servereast.backup2.ibm.com.'],
      ['servereast.backup2.ibm.com.', 'A', '129.42.38.10'],
    ]);
    const txt = shortLines(await dig(RESOLVER, 'yahoo.com', 'TXT', '+short'));
    expect(txt).toHaveLength(YAHOO_TXT_COUNT);
    expect(txt).toContain('"v=spf1 redirect=_spf.mail.yahoo.com"');
    expect(shortLines(await dig(RESOLVER, 'cs.umass.edu', 'SOA', '+short'))).toEqual(['dns.cs.umass.edu. hostmaster.cs.umass.edu. 2024090101 3600 900 1209600 300']);
    expect(shortLines(await dig(RESOLVER, 'www.yahoo.com', 'AAAA', '+short'))).toEqual(['2001:4998:24:120d::1:0']);
  });

  it('sees the NS records with the zone\'s own TTL, not the TTL of the edu referral that led there', async () => {
    // The edu zone gives umass.edu's NS with 2 days; umass.edu.zone itself says 1 hour. The
    // referral's copy is not authoritative data, so the resolver must not answer with it (RFC 2181 §5.4.1).
    await t!.lab.api.flushResolverCache(null);
    // The walk to gaia caches the edu referral: umass.edu's NS and the glue for dns.cs.umass.edu.
    expect(shortLines(await dig(RESOLVER, 'gaia.cs.umass.edu', '+short'))).toEqual(['128.119.245.12']);
    const cached = (await t!.lab.api.getResolver()).entries.find((e) => e.name === 'umass.edu.' && e.type === 'NS');
    expect(cached?.ttlOriginal).toBeGreaterThan(3600);
    const ns = records(await dig(RESOLVER, 'umass.edu', 'NS', '+noall', '+answer'));
    expect(ns.map((r) => r.data)).toEqual(['dns.cs.umass.edu.']);
    expect(ns[0].ttl).toBeLessThanOrEqual(3600);
    const glueHost = records(await dig(RESOLVER, 'dns.cs.umass.edu', 'A', '+noall', '+answer'));
    expect(glueHost.map((r) => r.data)).toEqual(['128.119.240.1']);
    expect(glueHost[0].ttl).toBeLessThanOrEqual(3600);
  });

  it('answers ANY with every record of the name, and stops at an alias rather than following it', async () => {
    const any = await dig(RESOLVER, 'hamburger.edu', 'ANY', '+noall', '+comments', '+answer');
    expect(digHeader(any).status).toBe('NOERROR');
    expect(new Set(records(any).map((r) => r.type))).toEqual(new Set(['SOA', 'NS', 'MX']));
    const alias = records(await dig(RESOLVER, 'www.ibm.com', 'ANY', '+noall', '+answer'));
    expect(alias.map((r) => [r.name, r.type, r.data])).toEqual([['www.ibm.com.', 'CNAME', 'servereast.backup2.ibm.com.']]);
  });

  it('answers NXDOMAIN with the zone\'s SOA in the authority section, and NODATA likewise', async () => {
    const nx = await dig(RESOLVER, 'nosuch.cs.umass.edu', '+noall', '+comments', '+authority');
    expect(digHeader(nx).status).toBe('NXDOMAIN');
    const soa = records(nx);
    expect(soa).toHaveLength(1);
    expect(soa[0]).toMatchObject({ name: 'cs.umass.edu.', type: 'SOA' });
    expect(soa[0].ttl).toBeLessThanOrEqual(300); // the SOA's minimum: the negative-caching TTL (RFC 2308 §5)
    const nodata = await dig(RESOLVER, 'gaia.cs.umass.edu', 'AAAA', '+noall', '+comments', '+authority');
    expect(digHeader(nodata)).toMatchObject({ status: 'NOERROR', counts: expect.objectContaining({ ANSWER: 0 }) });
    expect(records(nodata).map((r) => [r.name, r.type])).toEqual([['cs.umass.edu.', 'SOA']]);
  });

  it('gets the A records of www.yahoo.com turned round from one query to the next, from its server and through the resolver', async () => {
    for (const [host, extra] of [
      [YAHOO, ['+norecurse']],
      [RESOLVER, []],
    ] as const) {
      const orders: string[][] = [];
      for (let i = 0; i < YAHOO_WWW.length; i++) orders.push(shortLines(await dig(host, 'www.yahoo.com', 'A', '+short', ...extra)));
      for (const order of orders) expect(isRotationOf(order, YAHOO_WWW), `${host}: ${order.join(' ')}`).toBe(true);
      for (let i = 1; i < orders.length; i++) expect(orders[i], `${host}: query ${i + 1} in the same order as query ${i}`).not.toEqual(orders[i - 1]);
      // Every address comes first once in four queries: clients that take the first spread evenly.
      expect(new Set(orders.map((o) => o[0])).size, host).toBe(YAHOO_WWW.length);
    }
  });

  it('gets TC for an answer over 512 octets without EDNS, and dig asks again over TCP', async () => {
    for (const [host, extra] of [
      [RESOLVER, []],
      [YAHOO, ['+norecurse']],
    ] as const) {
      const truncated = await dig(host, 'yahoo.com', 'TXT', '+noedns', '+ignore', ...extra, '+noall', '+comments', '+stats');
      const h = digHeader(truncated);
      expect(h.flags, host).toContain('tc');
      expect(h.counts.ANSWER, host).toBe(0);
      expect(truncated, host).not.toContain('OPT PSEUDOSECTION');
      expect(Number(/MSG SIZE\s+rcvd: (\d+)/.exec(truncated)?.[1]), host).toBeLessThanOrEqual(DNS_UDP_MAX);

      const retried = await dig(host, 'yahoo.com', 'TXT', '+noedns', ...extra, '+noall', '+comments', '+answer', '+stats');
      expect(retried, host).toContain(';; Truncated, retrying in TCP mode.');
      expect(digTransport(retried), host).toBe('TCP');
      expect(records(retried).filter((r) => r.type === 'TXT'), host).toHaveLength(YAHOO_TXT_COUNT);
      expect(Number(/MSG SIZE\s+rcvd: (\d+)/.exec(retried)?.[1]), host).toBeGreaterThan(DNS_UDP_MAX);
    }
  });

  it('puts an OPT record in every answer to an EDNS query, so the same TXT answer fits in one datagram', async () => {
    const out = await dig(RESOLVER, 'yahoo.com', 'TXT', '+noall', '+comments', '+answer', '+stats');
    expect(out).toContain('OPT PSEUDOSECTION');
    expect(out).toMatch(new RegExp(`EDNS: version: 0, flags:.*; udp: ${DNS_EDNS_SERVER_PAYLOAD}`));
    expect(digTransport(out)).toBe('UDP');
    expect(records(out).filter((r) => r.type === 'TXT')).toHaveLength(YAHOO_TXT_COUNT);
    for (const host of [ROOT, UMASS]) {
      expect(await dig(host, 'gaia.cs.umass.edu', '+norecurse', '+noall', '+comments'), host).toMatch(/EDNS: version: 0/);
      expect(await dig(host, 'gaia.cs.umass.edu', '+norecurse', '+noedns', '+noall', '+comments'), host).not.toContain('OPT PSEUDOSECTION');
    }
    // NXDOMAIN too carries the OPT record.
    expect(await dig(RESOLVER, 'nosuch.cs.umass.edu', '+noall', '+comments')).toMatch(/status: NXDOMAIN[\s\S]*EDNS: version: 0/);
  });
});

describe.skipIf(!kdigPath)('kdig against the lab', () => {
  it('asks the resolver over UDP and over TCP', async () => {
    const udp = await kdig(RESOLVER, 'gaia.cs.umass.edu', 'A');
    expect(kdigHeader(udp.stdout)).toEqual({ status: 'NOERROR', flags: ['qr', 'rd', 'ra'] });
    expect(udp.stdout).toMatch(/;; From 127\.0\.0\.1@\d+\(UDP\)/);
    expect(records((await kdig(RESOLVER, 'gaia.cs.umass.edu', 'A', '+noall', '+answer')).stdout).map((r) => r.data)).toEqual(['128.119.245.12']);
    const tcp = await kdig(RESOLVER, '+tcp', 'gaia.cs.umass.edu', 'A');
    expect(tcp.stdout).toMatch(/;; From 127\.0\.0\.1@\d+\(TCP\)/);
    expect(records((await kdig(RESOLVER, '+tcp', 'gaia.cs.umass.edu', 'A', '+noall', '+answer')).stdout).map((r) => r.data)).toEqual(['128.119.245.12']);
  });

  it('sends several queries over one TCP connection (+keepopen), each answered in turn', async () => {
    const resolverTcp = async () => (await t!.lab.api.listConnections()).filter((c) => c.transport === 'tcp' && c.serviceId === `${RESOLVER}/dns/tcp`).length;
    const before = await resolverTcp();
    const out = await kdig(RESOLVER, '+tcp', '+keepopen', '+short', 'gaia.cs.umass.edu', 'A', 'hamburger.edu', 'MX', 'www.ibm.com', 'CNAME');
    expect(shortLines(out.stdout)).toEqual(['128.119.245.12', '10 mail.hamburger.edu.', 'servereast.backup2.ibm.com.']);
    expect(await resolverTcp()).toBe(before + 1);
  });

  it('gets an authoritative answer from dns.cs.umass.edu with +norecurse, and a referral from the root', async () => {
    const auth = await kdig(UMASS, '+norecurse', 'gaia.cs.umass.edu', 'A');
    expect(kdigHeader(auth.stdout)).toEqual({ status: 'NOERROR', flags: ['qr', 'aa'] });
    expect(records((await kdig(UMASS, '+norecurse', 'gaia.cs.umass.edu', 'A', '+noall', '+answer')).stdout)).toEqual([{ name: 'gaia.cs.umass.edu.', ttl: 3600, type: 'A', data: '128.119.245.12' }]);
    const referral = await kdig(ROOT, '+norecurse', 'gaia.cs.umass.edu', 'A', '+noall', '+header', '+authority', '+additional');
    expect(kdigHeader(referral.stdout)).toEqual({ status: 'NOERROR', flags: ['qr'] });
    const rrs = records(referral.stdout);
    expect(rrs.filter((r) => r.type === 'NS').map((r) => [r.name, r.data])).toEqual([['edu.', 'a.edu-servers.net.']]);
    expect(rrs.filter((r) => r.type === 'A').map((r) => [r.name, r.data])).toEqual([['a.edu-servers.net.', '192.5.6.31']]);
  });

  it('reads -x, MX, NS, CNAME, TXT, SOA and AAAA through the resolver', async () => {
    const short = async (...args: string[]) => shortLines((await kdig(RESOLVER, '+short', ...args)).stdout);
    expect(await short('-x', '130.123.128.201')).toEqual(['proxy.massey.ac.nz.']);
    expect(await short('hamburger.edu', 'MX')).toEqual(['10 mail.hamburger.edu.']);
    expect(await short('crepes.fr', 'MX')).toEqual(['10 mail.crepes.fr.']);
    expect(await short('umass.edu', 'NS')).toEqual(['dns.cs.umass.edu.']);
    expect(await short('www.ibm.com', 'CNAME')).toEqual(['servereast.backup2.ibm.com.']);
    expect(await short('yahoo.com', 'TXT')).toHaveLength(YAHOO_TXT_COUNT);
    expect(await short('cs.umass.edu', 'SOA')).toEqual(['dns.cs.umass.edu. hostmaster.cs.umass.edu. 2024090101 3600 900 1209600 300']);
    expect(await short('www.yahoo.com', 'AAAA')).toEqual(['2001:4998:24:120d::1:0']);
  });

  it('gets NXDOMAIN with the SOA in the authority section', async () => {
    const out = await kdig(RESOLVER, 'nosuch.cs.umass.edu', 'A', '+noall', '+header', '+authority');
    expect(kdigHeader(out.stdout).status).toBe('NXDOMAIN');
    expect(records(out.stdout).map((r) => [r.name, r.type])).toEqual([['cs.umass.edu.', 'SOA']]);
  });

  it('retries a truncated answer over TCP, and gets OPT back when it sends EDNS', async () => {
    // kdig sends no OPT record unless told to (+edns): the answer is cut to fit 512 octets.
    const retried = await kdig(RESOLVER, 'yahoo.com', 'TXT', '+noedns');
    expect(retried.stderr).toMatch(/truncated reply from 127\.0\.0\.1@\d+\(UDP\), retrying over TCP/);
    expect(retried.stdout).toMatch(/;; From 127\.0\.0\.1@\d+\(TCP\)/);
    expect(records(retried.stdout).filter((r) => r.type === 'TXT')).toHaveLength(YAHOO_TXT_COUNT);
    const ignored = await kdig(RESOLVER, 'yahoo.com', 'TXT', '+noedns', '+ignore');
    expect(kdigHeader(ignored.stdout).flags).toContain('tc');

    const edns = await kdig(RESOLVER, '+edns', 'yahoo.com', 'TXT');
    expect(edns.stdout).toContain(';; EDNS PSEUDOSECTION:');
    expect(edns.stdout).toMatch(new RegExp(`UDP size: ${DNS_EDNS_SERVER_PAYLOAD} B`));
    expect(edns.stdout).toMatch(/;; From 127\.0\.0\.1@\d+\(UDP\)/);
    expect(records(edns.stdout).filter((r) => r.type === 'TXT')).toHaveLength(YAHOO_TXT_COUNT);
  });
});
