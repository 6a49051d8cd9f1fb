// Node's own DNS client (dns.promises.Resolver, c-ares underneath) pointed at the lab's local
// resolver with setServers: each record type the course names, the reverse lookup, and the error
// codes c-ares gives for a name that does not exist and a type a name does not have. The mail
// relay will look MX records up this way, so this is the contract it relies on.

import { promises as dns } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestLab, startTestLab } from '../support/test-lab';

/** How long c-ares waits for one reply, and how often it tries: the resolver is on loopback. */
const NODE_RESOLVER_TIMEOUT_MS = 3_000;
const NODE_RESOLVER_TRIES = 1;

let t: TestLab;
let resolver: dns.Resolver;

beforeAll(async () => {
  t = await startTestLab();
  const service = t.lab.serviceInfos().find((s) => s.hostname === 'dns.poly.edu' && s.protocol === 'dns' && s.transport === 'udp');
  if (!service) throw new Error('the lab has no local resolver');
  resolver = new dns.Resolver({ timeout: NODE_RESOLVER_TIMEOUT_MS, tries: NODE_RESOLVER_TRIES });
  resolver.setServers([`127.0.0.1:${service.port}`]);
});

afterAll(async () => {
  await t?.stop();
});

describe("Node's dns.Resolver against the lab's local resolver", () => {
  it('resolve4: the address of gaia.cs.umass.edu, with the TTL counting down from the zone\'s', async () => {
    const [first] = await resolver.resolve4('gaia.cs.umass.edu', { ttl: true });
    expect(first.address).toBe('128.119.245.12');
    expect(first.ttl).toBeGreaterThan(0);
    expect(first.ttl).toBeLessThanOrEqual(3600);
    // An alias is followed to the canonical name's address.
    expect(await resolver.resolve4('www.massey.ac.nz')).toEqual(['130.123.128.201']);
    expect((await resolver.resolve4('www.yahoo.com')).sort()).toEqual(['74.6.143.25', '74.6.143.26', '98.137.11.163', '98.137.11.164']);
  });

  it('resolveMx: the mail servers of the course\'s SMTP example', async () => {
    expect(await resolver.resolveMx('hamburger.edu')).toEqual([{ exchange: 'mail.hamburger.edu', priority: 10 }]);
    expect(await resolver.resolveMx('crepes.fr')).toEqual([{ exchange: 'mail.crepes.fr', priority: 10 }]);
    expect(await resolver.resolve4('mail.hamburger.edu')).toEqual(['203.0.113.25']);
  });

  it('resolveCname: www.ibm.com is servereast.backup2.ibm.com', async () => {
    expect(await resolver.resolveCname('www.ibm.com')).toEqual(['servereast.backup2.ibm.com']);
  });

  it('resolveNs: the servers of umass.edu and of the root', async () => {
    expect(await resolver.resolveNs('umass.edu')).toEqual(['dns.cs.umass.edu']);
    expect(await resolver.resolveNs('cs.umass.edu')).toEqual(['dns.cs.umass.edu']);
    expect(await resolver.resolveNs('edu')).toEqual(['a.edu-servers.net']);
  });

  it('resolveTxt: every TXT record of yahoo.com, which together need more than one 512-byte datagram', async () => {
    const txt = await resolver.resolveTxt('yahoo.com');
    expect(txt).toHaveLength(8);
    expect(txt).toContainEqual(['v=spf1 redirect=_spf.mail.yahoo.com']);
    expect(txt).toContainEqual(['MS=ms71924386']);
  });

  it('resolveSoa: the SOA of cs.umass.edu as its zone file writes it', async () => {
    expect(await resolver.resolveSoa('cs.umass.edu')).toEqual({
      nsname: 'dns.cs.umass.edu',
      hostmaster: 'hostmaster.cs.umass.edu',
      serial: 2024090101,
      refresh: 3600,
      retry: 900,
      expire: 1209600,
      minttl: 300,
    });
  });

  it('reverse: 130.123.128.201 is proxy.massey.ac.nz', async () => {
    expect(await resolver.reverse('130.123.128.201')).toEqual(['proxy.massey.ac.nz']);
    expect(await resolver.resolvePtr('1.1.123.130.in-addr.arpa')).toEqual(['ns1.massey.ac.nz']);
  });

  it('resolve6: the IPv6 address of www.yahoo.com', async () => {
    expect(await resolver.resolve6('www.yahoo.com')).toEqual(['2001:4998:24:120d::1:0']);
  });

  it('fails with ENOTFOUND for a name that does not exist, and ENODATA for a type the name lacks', async () => {
    await expect(resolver.resolve4('nosuch.cs.umass.edu')).rejects.toMatchObject({ code: 'ENOTFOUND', hostname: 'nosuch.cs.umass.edu' });
    // The second time the answer comes from the resolver's negative cache: the same error.
    await expect(resolver.resolve4('nosuch.cs.umass.edu')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolveMx('no-such-domain.edu')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve6('gaia.cs.umass.edu')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.reverse('130.123.9.9')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
