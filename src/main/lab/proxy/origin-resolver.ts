// Where a request through the web cache may go: only to the web servers of the lab world, found by
// name or course address through the lab's address map, on a port where the world says the host
// runs an HTTP server. Anything else is answered by the cache itself, with the reason. This is the
// one place that decides, so the cache can never be made to connect anywhere but the lab's own
// web servers: not to another program on this machine, and not to the lab's servers of other
// protocols, where the lines of an HTTP request (a POST body above all) could be read as that
// protocol's commands (a cross-protocol attack: an HTML form posting "QUIT" to a mail server).

import { normalizeHostName } from '../../../protocols/http/authority';
import type { AddressMap } from '../world/address-map';
import { isIPv4, type WorldHost, type WorldService } from '../world/world';
import type { OriginTarget } from './origin-connection';

export type OriginResolution =
  | { kind: 'origin'; target: OriginTarget }
  /** The request is for the cache itself (its own name or address, or no host at all). */
  | { kind: 'self' }
  | { kind: 'refused'; status: 502; reason: string };

/** Whether a world service is a web server the cache may send HTTP requests to. */
export type HttpServicePredicate = (service: WorldService) => boolean;

/** The lab's web servers are the world's `http` services. */
export const isWorldHttpService: HttpServicePredicate = (service) => service.transport === 'tcp' && service.protocol === 'http';

export interface ResolverOptions {
  map: AddressMap;
  /** The cache's own world host and port, so a request for it is not sent to itself. */
  selfHost: WorldHost;
  selfPort: number;
  /** The loopback port the cache really listens on: `Host: 127.0.0.1:13128` is the cache too. */
  selfLabPort: number;
  /** Which services take HTTP (default isWorldHttpService); tests name their own origin's protocol. */
  isHttpService?: HttpServicePredicate;
}

/** World hosts that run a web server: the ones worth suggesting. */
export function webHostNames(map: AddressMap, isHttpService: HttpServicePredicate = isWorldHttpService): string[] {
  return map.world.hosts.filter((h) => h.services.some(isHttpService)).map((h) => h.name);
}

function offlineReason(map: AddressMap, host: string, isHttpService: HttpServicePredicate): string {
  const known = webHostNames(map, isHttpService);
  const suggestion = known.length > 0 ? ` Its web servers are ${known.join(', ')}.` : ' Its world has no web server yet.';
  const what = isIPv4(host) ? `no host of the lab world has the address ${host}` : `"${host}" is not a host of the lab world`;
  return `The lab is offline: its web cache never connects to the real Internet, and it knows only the hosts of the lab world; ${what}.${suggestion}`;
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || /^127\./.test(name) || name === '[::1]' || name === '::1';
}

export function resolveOrigin(options: ResolverOptions, host: string | undefined, port: number): OriginResolution {
  const { map, selfHost, selfPort } = options;
  const isHttpService = options.isHttpService ?? isWorldHttpService;
  if (host === undefined || host === '') return { kind: 'self' };
  const name = normalizeHostName(host);
  if (isLoopbackName(name)) {
    // A browser opened the cache's own address (http://127.0.0.1:13128/): it gets the cache's page.
    if (port === options.selfLabPort) return { kind: 'self' };
    return {
      kind: 'refused',
      status: 502,
      reason: `The web cache reaches the lab's servers by their names in the lab world (e.g. http://gaia.cs.umass.edu/), not by loopback addresses such as ${host}; to talk to this machine directly, leave the proxy out.`,
    };
  }
  const worldHost = isIPv4(name) ? map.hostByAddress(name) : map.hostByName(name);
  if (!worldHost) return { kind: 'refused', status: 502, reason: offlineReason(map, host, isHttpService) };
  if (worldHost === selfHost && (port === selfPort || !worldHost.services.some((s) => s.transport === 'tcp' && s.port === port))) return { kind: 'self' };
  const resolved = map.resolve(name, port, 'tcp');
  if ('error' in resolved) return { kind: 'refused', status: 502, reason: `${worldHost.name}:${port} cannot be reached: ${resolved.error}.` };
  const served = worldHost.services.filter((s) => s.transport === 'tcp').map((s) => `${s.protocol} on ${s.port}`);
  const runs = served.length > 0 ? ` (it runs ${served.join(', ')})` : '';
  if (!resolved.service) return { kind: 'refused', status: 502, reason: `${worldHost.name} runs no server on port ${port} in the lab world${runs}.` };
  if (!isHttpService(resolved.service)) {
    return {
      kind: 'refused',
      status: 502,
      reason: `${worldHost.name} port ${port} is its ${resolved.service.protocol} server, not a web server${runs}. The web cache speaks HTTP to web servers only: the lines of an HTTP request sent to a server of another protocol would be read as that protocol's commands.`,
    };
  }
  return { kind: 'origin', target: { address: resolved.address, port: resolved.port, hostname: worldHost.name, virtualAddress: worldHost.address, virtualPort: port } };
}
