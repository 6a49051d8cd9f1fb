// Where a request through the web cache may go: only to the servers of the lab world, found by name
// or course address through the lab's address map, on a port the world says the host serves.
// Anything else is answered by the cache itself, with the reason. This is the one place that
// decides, so the cache can never be made to connect anywhere but the lab's own listeners.

import { isIPv4 } from '../world/world';
import type { AddressMap } from '../world/address-map';
import type { WorldHost } from '../world/world';
import type { OriginTarget } from './origin-connection';

export type OriginResolution =
  | { kind: 'origin'; target: OriginTarget }
  /** The request is for the cache itself (its own name, or no host at all). */
  | { kind: 'self' }
  | { kind: 'refused'; status: 502; reason: string };

export interface ResolverOptions {
  map: AddressMap;
  /** The cache's own world host and port, so a request for it is not sent to itself. */
  selfHost: WorldHost;
  selfPort: number;
}

/** World hosts that run a web server (TCP port 80): the ones worth suggesting. */
export function webHostNames(map: AddressMap): string[] {
  return map.world.hosts.filter((h) => h.services.some((s) => s.transport === 'tcp' && s.port === 80)).map((h) => h.name);
}

function offlineReason(map: AddressMap, host: string): string {
  const known = webHostNames(map);
  const suggestion = known.length > 0 ? ` Its web servers are ${known.join(', ')}.` : ' Its world has no web server yet.';
  const what = isIPv4(host) ? `no host of the lab world has the address ${host}` : `"${host}" is not a host of the lab world`;
  return `The lab is offline: its web cache never connects to the real Internet, and it knows only the hosts of the lab world; ${what}.${suggestion}`;
}

export function resolveOrigin(options: ResolverOptions, host: string | undefined, port: number): OriginResolution {
  const { map, selfHost, selfPort } = options;
  if (host === undefined || host === '') return { kind: 'self' };
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || /^127\./.test(name) || name === '[::1]' || name === '::1') {
    return {
      kind: 'refused',
      status: 502,
      reason: `The web cache reaches the lab's servers by their names in the lab world (e.g. http://gaia.cs.umass.edu/), not by loopback addresses such as ${host}; to talk to this machine directly, leave the proxy out.`,
    };
  }
  const worldHost = isIPv4(name) ? map.hostByAddress(name) : map.hostByName(name);
  if (!worldHost) return { kind: 'refused', status: 502, reason: offlineReason(map, host) };
  if (worldHost === selfHost && (port === selfPort || !worldHost.services.some((s) => s.transport === 'tcp' && s.port === port))) return { kind: 'self' };
  const resolved = map.resolve(name, port, 'tcp');
  if ('error' in resolved) return { kind: 'refused', status: 502, reason: `${worldHost.name}:${port} cannot be reached: ${resolved.error}.` };
  if (!resolved.service) {
    const served = worldHost.services.filter((s) => s.transport === 'tcp').map((s) => `${s.protocol} on ${s.port}`);
    return {
      kind: 'refused',
      status: 502,
      reason: `${worldHost.name} runs no server on port ${port} in the lab world${served.length > 0 ? ` (it runs ${served.join(', ')})` : ''}.`,
    };
  }
  return { kind: 'origin', target: { address: resolved.address, port: resolved.port, hostname: worldHost.name, virtualAddress: worldHost.address, virtualPort: port } };
}
