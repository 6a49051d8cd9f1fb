import { describe, expect, it } from 'vitest';
import type { ZoneFileInfo } from '../../../src/shared/dns';
import type { ServiceInfo } from '../../../src/shared/lab-api';
import { dnsGroupSummary, dnsRoleBadge, dnsRolesFrom, groupDnsHosts, splitDnsServices } from '../../../src/renderer/lib/dns-servers';

function service(hostname: string, protocol: string, transport: 'udp' | 'tcp', port: number, state: ServiceInfo['state'] = 'listening'): ServiceInfo {
  return {
    id: `${hostname}/${protocol}/${transport}`,
    protocol,
    transport,
    hostname,
    virtualAddress: '10.0.0.1',
    wellKnownPort: protocol === 'dns' ? 53 : 7,
    address: '127.0.0.1',
    port,
    state,
    connections: 0,
    description: '',
  };
}

function zone(file: string, origin: string, server: string, role: ZoneFileInfo['role']): ZoneFileInfo {
  return { file, origin, server, role, records: 3, problems: [] };
}

const zones = [
  zone('root.zone', '.', 'a.root-servers.net', 'root'),
  zone('in-addr.arpa.zone', 'in-addr.arpa.', 'a.root-servers.net', 'root'),
  zone('edu.zone', 'edu.', 'a.edu-servers.net', 'tld'),
  zone('com.zone', 'com.', 'a.gtld-servers.net', 'tld'),
  zone('umass.edu.zone', 'umass.edu.', 'dns.cs.umass.edu', 'authoritative'),
  zone('cs.umass.edu.zone', 'cs.umass.edu.', 'dns.cs.umass.edu', 'authoritative'),
];

/** Both transports of each DNS host, the ports in zones.yaml order, mixed with other services. */
const services = [
  service('gaia.cs.umass.edu', 'echo', 'tcp', 20007),
  ...(['udp', 'tcp'] as const).flatMap((t) => [
    service('dns.cs.umass.edu', 'dns', t, 25304),
    service('a.edu-servers.net', 'dns', t, 25303),
    service('a.gtld-servers.net', 'dns', t, 25302),
    service('a.root-servers.net', 'dns', t, 25301),
    service('dns.poly.edu', 'dns', t, 20053),
  ]),
  service('gaia.cs.umass.edu', 'echo', 'udp', 20007),
];

describe('the servers panel’s DNS group', () => {
  it('takes the DNS services out of the list and leaves the others as they were', () => {
    const { others, dns } = splitDnsServices(services);
    expect(others.map((s) => s.id)).toEqual(['gaia.cs.umass.edu/echo/tcp', 'gaia.cs.umass.edu/echo/udp']);
    expect(dns).toHaveLength(10);
  });

  it('knows each host’s role from the zones it serves, and the resolver by name', () => {
    const roles = dnsRolesFrom(zones, 'dns.poly.edu');
    expect(roles.get('a.root-servers.net')).toEqual({ role: 'root', zones: ['.', 'in-addr.arpa.'] });
    expect(roles.get('dns.cs.umass.edu')?.zones).toEqual(['umass.edu.', 'cs.umass.edu.']);
    expect(roles.get('dns.poly.edu')).toEqual({ role: 'resolver', zones: [] });
    expect(dnsRolesFrom(zones, null).has('dns.poly.edu')).toBe(false);
  });

  it('groups one card per host by role, resolver first, hosts in port order, UDP before TCP', () => {
    const groups = groupDnsHosts(splitDnsServices(services).dns, dnsRolesFrom(zones, 'dns.poly.edu'));
    expect(groups.map((g) => [g.role, g.hosts.map((h) => h.hostname)])).toEqual([
      ['resolver', ['dns.poly.edu']],
      ['root', ['a.root-servers.net']],
      ['tld', ['a.gtld-servers.net', 'a.edu-servers.net']],
      ['authoritative', ['dns.cs.umass.edu']],
    ]);
    for (const g of groups) for (const h of g.hosts) expect(h.services.map((s) => s.transport)).toEqual(['udp', 'tcp']);
    expect(groups[1].hosts[0]).toMatchObject({ port: 25301, zones: ['.', 'in-addr.arpa.'] });
  });

  it('still lists every host, under one group, while the roles are not known', () => {
    const groups = groupDnsHosts(splitDnsServices(services).dns, new Map());
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ role: null, title: 'Name servers' });
    expect(groups[0].hosts.map((h) => h.hostname)).toEqual(['dns.poly.edu', 'a.root-servers.net', 'a.gtld-servers.net', 'a.edu-servers.net', 'dns.cs.umass.edu']);
    expect(dnsRoleBadge(null)).toBe('name server');
    expect(dnsRoleBadge('tld')).toBe('TLD');
  });

  it('sums up hosts and listening services in one line', () => {
    const dns = splitDnsServices(services).dns;
    expect(dnsGroupSummary(dns)).toBe('5 hosts, 10 of 10 listening');
    const one = [service('a.root-servers.net', 'dns', 'udp', 1), service('a.root-servers.net', 'dns', 'tcp', 1, 'stopped')];
    expect(dnsGroupSummary(one)).toBe('1 host, 1 of 2 listening');
  });
});
