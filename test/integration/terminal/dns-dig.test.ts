// The terminal's dig against a real lab: the local resolver, authoritative servers asked directly
// with +norecurse, TCP, truncation, reverse lookups, +trace from the root down to gaia, and the
// errors. Each question is a real exchange from the student's machine, which the capture shows.

import { describe, expect, test } from 'vitest';
import { outputLines, useTerminalLab, withZoneEdited } from './dns-terminal';

const RESOLVER_UDP = 'dns.poly.edu/dns/udp';
const RESOLVER_TCP = 'dns.poly.edu/dns/tcp';

const t = useTerminalLab();

/** The records of one section of dig's output, tabs as spaces. */
function section(out: string, title: string): string[] {
  const lines = outputLines(out);
  const start = lines.indexOf(`;; ${title} SECTION:`);
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end);
}

describe('dig through the local resolver', () => {
  test('an A record: the header, the flags of a recursive answer, the sections and the SERVER line with world and lab places', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu');
    expect(out).toContain('; <<>> dig (protolab) <<>> gaia.cs.umass.edu');
    expect(out).toMatch(/;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+ \(0x[0-9a-f]{4}\)\n/);
    expect(out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1');
    expect(out).toContain(';; OPT PSEUDOSECTION:\n; EDNS: version 0, flags:; udp: 1232');
    expect(outputLines(out)).toContain(';gaia.cs.umass.edu. IN A');
    expect(section(out, 'ANSWER')).toEqual([expect.stringMatching(/^gaia\.cs\.umass\.edu\. \d+ IN A 128\.119\.245\.12$/)]);
    expect(out).toMatch(/;; Query time: \d+ msec/);
    expect(out).toContain(`;; SERVER: 128.238.29.22#53(dns.poly.edu) (UDP); in the lab: 127.0.0.1#${t.offset + 53}`);
    expect(out).toMatch(/;; MSG SIZE {2}rcvd: \d+/);
  });

  test('the first question makes the resolver walk the tree, the same again comes from its cache', async () => {
    await t.lab.api.flushResolverCache(null);
    const first = await t.term.typed('dig www-net.cs.umass.edu');
    expect(first).toContain(';; dns.poly.edu asked other name servers first (the resolution view shows each step)');
    const again = await t.term.typed('dig www-net.cs.umass.edu');
    expect(again).toContain(';; dns.poly.edu answered from its cache');
    expect(section(again, 'ANSWER')).toEqual([expect.stringMatching(/^www-net\.cs\.umass\.edu\. \d+ IN A 128\.119\.240\.84$/)]);
  });

  test('MX, NS, TXT, SOA and AAAA records', async () => {
    expect(section(await t.term.typed('dig hamburger.edu MX'), 'ANSWER')).toEqual([expect.stringMatching(/^hamburger\.edu\. \d+ IN MX 10 mail\.hamburger\.edu\.$/)]);
    expect(section(await t.term.typed('dig umass.edu NS'), 'ANSWER')).toEqual([expect.stringMatching(/^umass\.edu\. \d+ IN NS dns\.cs\.umass\.edu\.$/)]);
    const txt = section(await t.term.typed('dig yahoo.com TXT'), 'ANSWER');
    expect(txt).toHaveLength(8);
    expect(txt).toContainEqual(expect.stringMatching(/^yahoo\.com\. \d+ IN TXT "v=spf1 redirect=_spf\.mail\.yahoo\.com"$/));
    expect(section(await t.term.typed('dig umass.edu SOA'), 'ANSWER')).toEqual([expect.stringMatching(/^umass\.edu\. \d+ IN SOA dns\.cs\.umass\.edu\. hostmaster\.umass\.edu\. 2024090101 3600 900 1209600 300$/)]);
    expect(section(await t.term.typed('dig www.yahoo.com AAAA'), 'ANSWER')).toEqual([expect.stringMatching(/^www\.yahoo\.com\. \d+ IN AAAA 2001:4998:24:120d::1:0$/)]);
  });

  test('a CNAME: www.ibm.com is an alias of servereast.backup2.ibm.com, and the resolver chases it', async () => {
    const answer = section(await t.term.typed('dig www.ibm.com'), 'ANSWER');
    expect(answer).toEqual([expect.stringMatching(/^www\.ibm\.com\. \d+ IN CNAME servereast\.backup2\.ibm\.com\.$/), expect.stringMatching(/^servereast\.backup2\.ibm\.com\. \d+ IN A 129\.42\.38\.10$/)]);
    expect(section(await t.term.typed('dig www.ibm.com CNAME'), 'ANSWER')).toEqual([expect.stringMatching(/IN CNAME servereast\.backup2\.ibm\.com\.$/)]);
  });

  test('NXDOMAIN, with the SOA of the zone for negative caching; NODATA for a type the name lacks', async () => {
    const out = await t.term.typed('dig nosuch.cs.umass.edu');
    expect(out).toMatch(/status: NXDOMAIN/);
    expect(section(out, 'AUTHORITY')).toEqual([expect.stringMatching(/^cs\.umass\.edu\. \d+ IN SOA dns\.cs\.umass\.edu\. hostmaster\.cs\.umass\.edu\. /)]);
    const nodata = await t.term.typed('dig gaia.cs.umass.edu AAAA');
    expect(nodata).toMatch(/status: NOERROR/);
    expect(nodata).toContain('ANSWER: 0');
  });

  test('-x 130.123.128.201 finds proxy.massey.ac.nz', async () => {
    const out = await t.term.typed('dig -x 130.123.128.201');
    expect(outputLines(out)).toContain(';201.128.123.130.in-addr.arpa. IN PTR');
    expect(section(out, 'ANSWER')).toEqual([expect.stringMatching(/^201\.128\.123\.130\.in-addr\.arpa\. \d+ IN PTR proxy\.massey\.ac\.nz\.$/)]);
    expect(await t.term.typed('dig -x 130.123.128.201 +short')).toContain('\nproxy.massey.ac.nz.\n');
  });

  test('+short gives only the data', async () => {
    const out = await t.term.typed('dig www.ibm.com +short');
    expect(out).toContain('\nservereast.backup2.ibm.com.\n129.42.38.10\n');
    expect(out).not.toContain('HEADER');
  });

  test('+tcp asks over TCP', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu +tcp');
    expect(out).toContain(`;; SERVER: 128.238.29.22#53(dns.poly.edu) (TCP); in the lab: 127.0.0.1#${t.offset + 53}`);
    expect(section(out, 'ANSWER')).toHaveLength(1);
  });

  test('+noedns: the 8 TXT records of yahoo.com do not fit in 512 bytes, so the reply is truncated and dig asks again over TCP', async () => {
    const out = await t.term.typed('dig yahoo.com TXT +noedns');
    expect(out).toContain(';; Truncated, retrying in TCP mode.');
    expect(out).not.toContain('OPT PSEUDOSECTION');
    expect(section(out, 'ANSWER')).toHaveLength(8);
    expect(out).toContain('(TCP); in the lab');
    expect(Number(/MSG SIZE {2}rcvd: (\d+)/.exec(out)![1])).toBeGreaterThan(512);
  });

  test('the question comes from the student machine in the capture, and the resolver logs a lookup for it', async () => {
    await t.term.typed('dig crepes.fr MX');
    const conns = await t.lab.api.listConnections();
    const student = conns.filter((c) => c.protocol === 'dns' && c.server.hostname === 'dns.poly.edu' && c.client.hostname === 'cis.poly.edu');
    expect(student.length).toBeGreaterThan(0);
    const lookups = await t.lab.api.listDnsLookups();
    const mine = lookups.find((l) => l.question === 'crepes.fr. MX');
    expect(mine?.client).toMatchObject({ name: 'cis.poly.edu', role: 'client' });
    expect(mine?.rcode).toBe('NOERROR');
  });
});

describe('dig @SERVER', () => {
  test('+norec against dns.cs.umass.edu: an authoritative answer (aa), no recursion offered', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu @dns.cs.umass.edu +norec');
    expect(out).toMatch(/;; flags: qr aa; QUERY: 1, ANSWER: 1/);
    expect(out).not.toContain('WARNING');
    expect(out).toContain(`;; SERVER: 128.119.240.1#53(dns.cs.umass.edu) (UDP); in the lab: 127.0.0.1#${t.offset + 5308}`);
    expect(section(out, 'ANSWER')).toEqual(['gaia.cs.umass.edu. 3600 IN A 128.119.245.12']);
  });

  test('with RD set, an authoritative server warns that recursion is not available', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu @128.119.240.1');
    expect(out).toContain(';; WARNING: recursion requested but not available');
  });

  test('a root server, asked directly, refers the question to the edu servers with glue', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu @a.root-servers.net +norec');
    expect(out).toContain('ANSWER: 0');
    expect(section(out, 'AUTHORITY')).toEqual(['edu. 172800 IN NS a.edu-servers.net.']);
    expect(section(out, 'ADDITIONAL')).toEqual(['a.edu-servers.net. 172800 IN A 192.5.6.31']);
  });

  test('@127.0.0.1 -p PORT asks the lab server on that loopback port, named by its world name', async () => {
    const out = await t.term.typed(`dig gaia.cs.umass.edu @127.0.0.1 -p ${t.offset + 5308} +norec +tcp`);
    expect(out).toContain(`;; SERVER: 128.119.240.1#53(dns.cs.umass.edu) (TCP); in the lab: 127.0.0.1#${t.offset + 5308}`);
    expect(out).toMatch(/flags: qr aa;/);
  });

  test('unknown servers, hosts without a name server, and loopback ports of no name server are named', async () => {
    expect(await t.term.typed('dig gaia.cs.umass.edu @nowhere.example')).toContain("dig: 'nowhere.example' is not a host of the lab world");
    expect(await t.term.typed('dig gaia.cs.umass.edu @192.0.2.99')).toContain('dig: no host of the lab world has the address 192.0.2.99');
    expect(await t.term.typed('dig gaia.cs.umass.edu @gaia.cs.umass.edu')).toContain('dig: gaia.cs.umass.edu (128.119.245.12) runs no name server in this lab');
    expect(await t.term.typed(`dig gaia.cs.umass.edu @127.0.0.1 -p ${t.offset + 7}`)).toContain(`dig: no lab name server listens on 127.0.0.1 port ${t.offset + 7} (the local resolver is 127.0.0.1 port ${t.offset + 53})`);
    expect(await t.term.typed('dig gaia.cs.umass.edu @127.0.0.1')).toContain('dig: which port of 127.0.0.1?');
    expect(await t.term.typed('dig gaia.cs.umass.edu -p 5353')).toContain('dig: dns.poly.edu (128.238.29.22) runs no name server on port 5353 in this lab');
  });
});

describe('dig +trace', () => {
  test('walks from the root to gaia.cs.umass.edu, one referral at a time, with RD clear', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu +trace');
    const lines = outputLines(out);
    expect(lines).toContain(";; starting at the root: a.root-servers.net (198.41.0.4), from the lab's root hints (zones.yaml)");
    const received = lines.filter((l) => l.startsWith(';; Received'));
    expect(received).toEqual([
      expect.stringMatching(new RegExp(`^;; Received \\d+ bytes from a\\.root-servers\\.net\\(198\\.41\\.0\\.4\\) in \\d+ ms \\(lab port ${t.offset + 5301}\\)$`)),
      expect.stringMatching(/^;; Received \d+ bytes from a\.edu-servers\.net\(192\.5\.6\.31\) in \d+ ms/),
      expect.stringMatching(/^;; Received \d+ bytes from dns\.cs\.umass\.edu\(128\.119\.240\.1\) in \d+ ms/),
    ]);
    // Each step shows the referral it got, and the last the answer.
    const at = (text: string) => lines.indexOf(text);
    expect(at('edu. 172800 IN NS a.edu-servers.net.')).toBeLessThan(lines.indexOf(received[0]!));
    expect(at('umass.edu. 172800 IN NS dns.cs.umass.edu.')).toBeGreaterThan(lines.indexOf(received[0]!));
    expect(at('umass.edu. 172800 IN NS dns.cs.umass.edu.')).toBeLessThan(lines.indexOf(received[1]!));
    expect(at('gaia.cs.umass.edu. 3600 IN A 128.119.245.12')).toBeGreaterThan(lines.indexOf(received[1]!));
    expect(at('gaia.cs.umass.edu. 3600 IN A 128.119.245.12')).toBeLessThan(lines.indexOf(received[2]!));
  });

  test('the trace asks the servers themselves: the resolver logs no lookup for gaia during it', async () => {
    const before = (await t.lab.api.listDnsLookups()).filter((l) => l.question === 'gaia.cs.umass.edu. A').length;
    await t.term.typed('dig gaia.cs.umass.edu +trace');
    expect((await t.lab.api.listDnsLookups()).filter((l) => l.question === 'gaia.cs.umass.edu. A').length).toBe(before);
  });

  test('a reverse trace follows a delegation without glue by asking the resolver for the server address', async () => {
    const out = await t.term.typed('dig -x 130.123.128.201 +trace');
    expect(out).toContain('123.130.in-addr.arpa.\t86400\tIN\tNS\tns1.massey.ac.nz.');
    expect(out).toContain(';; (no glue for ns1.massey.ac.nz: the local resolver dns.poly.edu says it is 130.123.1.1)');
    expect(out).toContain('201.128.123.130.in-addr.arpa.\t3600\tIN\tPTR\tproxy.massey.ac.nz.');
    expect(out).toMatch(/;; Received \d+ bytes from ns1\.massey\.ac\.nz\(130\.123\.1\.1\)/);
  });

  test('a name that does not exist: the walk ends at the SOA of the last zone', async () => {
    const out = await t.term.typed('dig nosuch.cs.umass.edu +trace');
    expect(outputLines(out)).toContainEqual(expect.stringMatching(/^cs\.umass\.edu\. 300 IN SOA dns\.cs\.umass\.edu\. /));
    expect(out).toMatch(/Received \d+ bytes from dns\.cs\.umass\.edu/);
  });

  test('says when the aliases of the last reply loop, instead of sending the student to look up the loop again', async () => {
    // loop-a -> loop-b -> loop-c -> loop-b: the chain never comes back to the name asked.
    const loop = 'loop-a IN CNAME loop-b\nloop-b IN CNAME loop-c\nloop-c IN CNAME loop-b\n';
    await withZoneEdited(t, 'cs.umass.edu.zone', (text) => `${text.trimEnd()}\n${loop}`, async () => {
      const out = await t.term.typed('dig loop-a.cs.umass.edu +trace');
      expect(outputLines(out)).toContain(';; the aliases from loop-a.cs.umass.edu. loop back to loop-b.cs.umass.edu.: there is no canonical name, and a resolver would answer SERVFAIL');
    });
  });

  test('+trace +short: one line per record with the server that gave it', async () => {
    const out = await t.term.typed('dig gaia.cs.umass.edu +trace +short');
    expect(out).toMatch(/\nNS a\.edu-servers\.net\. from server a\.root-servers\.net\(198\.41\.0\.4\) in \d+ ms\.\n/);
    expect(out).toMatch(/\nA 128\.119\.245\.12 from server dns\.cs\.umass\.edu\(128\.119\.240\.1\) in \d+ ms\.\n/);
  });
});

describe('dig errors', () => {
  test('wrong usage gives the one usage line; bad types and names are named', async () => {
    expect(await t.term.typed('dig')).toContain('\nusage: dig NAME [TYPE] [@SERVER] [+norecurse] [+tcp] [+trace] [+short] | dig -x ADDRESS\nprotolab> ');
    expect(await t.term.typed('dig gaia.cs.umass.edu BOGUS')).toContain("dig: 'BOGUS' is not a record type (try A, AAAA, NS, CNAME, MX, TXT, SOA, PTR)");
    expect(await t.term.typed(`dig ${'x'.repeat(64)}.edu`)).toContain('is not a domain name: label of 64 octets: at most 63 (RFC 1035 §2.3.4)');
  });

  test('a stopped resolver: a timeout that names it and says it is stopped; over TCP a refused connection', async () => {
    await t.lab.api.stopService(RESOLVER_UDP);
    await t.lab.api.stopService(RESOLVER_TCP);
    try {
      const started = Date.now();
      const out = await t.term.typed('dig gaia.cs.umass.edu');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      expect(out).toContain(';; connection timed out; no servers could be reached');
      expect(out).toContain(`;; (no reply from dns.poly.edu (128.238.29.22, lab port ${t.offset + 53}) within 2 s: its DNS service is stopped; start it in the Servers pane)`);
      // No lab server received the query, so this machine's side recorded it: one datagram, in a flow closed after the wait.
      const flow = (await t.lab.api.listConnections()).filter((c) => c.transport === 'udp' && c.side === 'client' && c.server.hostname === 'dns.poly.edu').at(-1);
      expect(flow).toMatchObject({ protocol: 'dns', state: 'closed', client: { hostname: 'cis.poly.edu', virtualAddress: '128.238.2.93' }, server: { virtualAddress: '128.238.29.22', virtualPort: 53 } });
      const sent = (await t.lab.api.listMessages(1, 100_000)).filter((m) => m.connId === flow!.id);
      expect(sent.map((m) => [m.dir, m.role])).toEqual([['c2s', 'request']]);
      expect(sent[0].summary).toMatch(/^Query 0x[0-9a-f]{4} A gaia\.cs\.umass\.edu\./);
      const tcp = await t.term.typed('dig gaia.cs.umass.edu +tcp');
      expect(tcp).toContain(';; communications error to 128.238.29.22#53(dns.poly.edu): dns.poly.edu refused the TCP connection');
    } finally {
      await t.lab.api.startService(RESOLVER_UDP);
      await t.lab.api.startService(RESOLVER_TCP);
    }
  });

  test('help lists dig and nslookup', async () => {
    const out = await t.term.typed('help');
    expect(out).toMatch(/\n {2}dig NAME \.\.\. +ask a name server/);
    expect(out).toMatch(/\n {2}nslookup NAME +look a name up/);
    const dash = await t.term.typed('dig -h');
    expect(dash).toContain('+trace');
    expect(dash).toContain('-x ADDRESS');
  });
});
