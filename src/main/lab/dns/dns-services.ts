// The `dns` protocol of the world: which handler each DNS host's UDP and TCP services run (the
// local resolver for the manifest's resolver, a name server for every other), and how the DNS
// hosts join the world read from world.yaml.

import type { LabService, ServiceContext } from '../services/service-base';
import { WorldError, type World, type WorldHost } from '../world/world';
import { DnsService } from './dns-service';
import { createResolverHandler } from './local-resolver';
import { createNameServerHandler } from './name-server';

export const DNS_SERVICE_DESCRIPTION = 'DNS (RFC 1035): a name server of the lab hierarchy, answering from its zone files.';

export function createDnsLabService(ctx: ServiceContext): LabService {
  const runtime = ctx.dns;
  if (!runtime) throw new Error(`${ctx.binding.host.name}: the lab's DNS was not loaded`);
  const host = ctx.binding.host.name;
  if (runtime.isResolver(host)) {
    return new DnsService(ctx, {
      handler: createResolverHandler(runtime),
      description: 'The local name server: answers your questions from its cache or by asking the root, TLD and authoritative servers.',
      peers: runtime.peers,
      ...(ctx.dnsTcpIdleTimeoutMs !== undefined ? { tcpIdleTimeoutMs: ctx.dnsTcpIdleTimeoutMs } : {}),
    });
  }
  const server = runtime.manifest.servers.find((s) => s.name === host);
  if (!server) throw new Error(`${host} is not a name server in zones.yaml`);
  const zones = server.zones.map((z) => z.origin).join(', ');
  return new DnsService(ctx, {
    handler: createNameServerHandler(runtime, server),
    description: `${server.role === 'root' ? 'Root' : server.role === 'tld' ? 'Top-level domain' : 'Authoritative'} name server for ${zones}`,
    peers: runtime.peers,
    ...(ctx.dnsTcpIdleTimeoutMs !== undefined ? { tcpIdleTimeoutMs: ctx.dnsTcpIdleTimeoutMs } : {}),
  });
}

/**
 * Adds the DNS hosts to the world. A host world.yaml already has (same name and address) gains the
 * DNS services; a name or address that means another host there is an error naming both files.
 */
export function addDnsHosts(world: World, dnsHosts: readonly WorldHost[]): void {
  for (const h of dnsHosts) {
    const sameName = world.hosts.find((x) => x.name === h.name || x.aliases.includes(h.name));
    const sameAddress = world.hosts.find((x) => x.address === h.address);
    if (sameName && sameName === sameAddress) {
      sameName.services.push(...h.services.filter((s) => !sameName.services.some((t) => t.port === s.port && t.transport === s.transport)));
      continue;
    }
    if (sameName) throw new WorldError('zones/zones.yaml', `${h.name} has the address ${h.address} there, but ${sameName.address} in world.yaml`);
    if (sameAddress) throw new WorldError('zones/zones.yaml', `${h.address} is ${h.name} there, but ${sameAddress.name} in world.yaml`);
    world.hosts.push(h);
  }
}
