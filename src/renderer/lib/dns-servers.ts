// The servers panel's DNS group: the lab runs a whole hierarchy (the local resolver and every name
// server, each on UDP and TCP), which would bury the other services as one card per socket. The
// group shows one card per host, by role as the course draws the hierarchy, with both transports.

import type { DnsRole, ZoneFileInfo } from '../../shared/dns';
import type { ServiceInfo } from '../../shared/lab-api';
import { DNS_ROLE_ORDER } from './dns-sequence';

/** The protocol name of the DNS services in the world (src/main/lab/dns/dns-world.ts). */
export const DNS_SERVICE_PROTOCOL = 'dns';

export interface DnsHostRole {
  role: DnsRole;
  /** Zones the host serves (`umass.edu.`), from listZones; empty for the resolver. */
  zones: string[];
}

export interface DnsHostCard {
  hostname: string;
  virtualAddress: string;
  wellKnownPort: number;
  /** Where the host's UDP and TCP services listen (they share the port). */
  address: string;
  port: number;
  role: DnsRole | null;
  zones: string[];
  /** UDP first, then TCP. */
  services: ServiceInfo[];
}

export interface DnsRoleGroup {
  /** null while the roles are not known yet (listZones has not answered). */
  role: DnsRole | null;
  title: string;
  hosts: DnsHostCard[];
}

export const DNS_GROUP_TITLE: Readonly<Record<DnsRole, string>> = {
  client: 'Clients',
  resolver: 'Local name server',
  root: 'Root servers',
  tld: 'Top-level domain servers',
  authoritative: 'Authoritative servers',
};

/** The DNS services apart from the others, which the panel lists as before. */
export function splitDnsServices(services: readonly ServiceInfo[]): { others: ServiceInfo[]; dns: ServiceInfo[] } {
  const others: ServiceInfo[] = [];
  const dns: ServiceInfo[] = [];
  for (const s of services) (s.protocol === DNS_SERVICE_PROTOCOL ? dns : others).push(s);
  return { others, dns };
}

/** Each DNS host's place in the hierarchy: the resolver by name, every name server from the zones it serves. */
export function dnsRolesFrom(zones: readonly ZoneFileInfo[], resolverName: string | null): Map<string, DnsHostRole> {
  const roles = new Map<string, DnsHostRole>();
  for (const z of zones) {
    const key = z.server.toLowerCase();
    const known = roles.get(key);
    if (known) known.zones.push(z.origin);
    else roles.set(key, { role: z.role, zones: [z.origin] });
  }
  if (resolverName) roles.set(resolverName.toLowerCase(), { role: 'resolver', zones: [] });
  return roles;
}

/**
 * The DNS services as host cards grouped by role (resolver, root, TLD, authoritative); hosts whose
 * role is not known yet form one group at the end. Within a group, hosts keep the order of their
 * ports, which is the order of zones.yaml.
 */
export function groupDnsHosts(dns: readonly ServiceInfo[], roles: ReadonlyMap<string, DnsHostRole>): DnsRoleGroup[] {
  const cards = new Map<string, DnsHostCard>();
  for (const s of dns) {
    let card = cards.get(s.hostname);
    if (!card) {
      const r = roles.get(s.hostname.toLowerCase());
      card = { hostname: s.hostname, virtualAddress: s.virtualAddress, wellKnownPort: s.wellKnownPort, address: s.address, port: s.port, role: r?.role ?? null, zones: r?.zones ?? [], services: [] };
      cards.set(s.hostname, card);
    }
    card.services.push(s);
  }
  for (const c of cards.values()) c.services.sort((a, b) => (a.transport === b.transport ? 0 : a.transport === 'udp' ? -1 : 1));
  const byPort = [...cards.values()].sort((a, b) => a.port - b.port || a.hostname.localeCompare(b.hostname));
  const groups: DnsRoleGroup[] = [];
  for (const role of DNS_ROLE_ORDER) {
    const hosts = byPort.filter((c) => c.role === role);
    if (hosts.length > 0) groups.push({ role, title: DNS_GROUP_TITLE[role], hosts });
  }
  const unknown = byPort.filter((c) => c.role === null);
  if (unknown.length > 0) groups.push({ role: null, title: 'Name servers', hosts: unknown });
  return groups;
}

/** The group's one-line state: `18 hosts, 36 of 36 listening`. */
export function dnsGroupSummary(dns: readonly ServiceInfo[]): string {
  const hosts = new Set(dns.map((s) => s.hostname)).size;
  const listening = dns.filter((s) => s.state === 'listening').length;
  return `${hosts} host${hosts === 1 ? '' : 's'}, ${listening} of ${dns.length} listening`;
}

/** The role as a short badge on a host card. */
export function dnsRoleBadge(role: DnsRole | null): string {
  switch (role) {
    case 'resolver':
      return 'local resolver';
    case 'root':
      return 'root';
    case 'tld':
      return 'TLD';
    case 'authoritative':
      return 'authoritative';
    case 'client':
      return 'client';
    case null:
      return 'name server';
  }
}
