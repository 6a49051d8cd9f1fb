// What every service adapter shares: its place in the world, its state for the servers panel,
// and the sentence a student sees when it cannot listen.

import type { HttpLimits } from '../../../protocols/http/limits';
import type { Endpoint } from '../../../shared/capture';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import type { WebCacheState } from '../../../shared/web-cache';
import type { CaptureSink } from '../capture/tap';
import type { LabClientRegistry } from './lab-clients';
import type { DnsRuntime } from '../dns/dns-runtime';
import type { AddressMap, ServiceBinding } from '../world/address-map';
import type { World, WorldService } from '../world/world';

export interface ServiceContext {
  binding: ServiceBinding;
  world: World;
  sink: CaptureSink;
  bindAddress: string;
  /** Wall clock for engines (ms since the epoch); injectable for tests. */
  now: () => number;
  /** Called whenever state or connection count changes. */
  changed: () => void;
  /** Connections the lab's own clients announced, so captures name the right host (see lab-clients.ts). */
  labClients?: LabClientRegistry;
  /** The lab's data folder (writable files: uploads, databases) and its copy of content/ (the world). */
  dataDir?: string;
  worldDir?: string;
  /** Smaller HTTP limits than the defaults (src/protocols/http/limits.ts), for tests. */
  httpLimits?: Partial<HttpLimits>;
  /** A shorter idle timeout for DNS over TCP than DNS_TCP_IDLE_TIMEOUT_MS (dns-service.ts), for tests. */
  dnsTcpIdleTimeoutMs?: number;
  /** The lab's address map: how the lab's own clients (the web cache) reach world hosts on loopback. */
  map: AddressMap;
  /** Whether a loopback TCP port is one of the lab's listening services (its tap already records connections to it). */
  isLabListener?: (port: number) => boolean;
  /** The lab's DNS: zones, the resolver's cache and mode, the lookup log (dns services only). */
  dns?: DnsRuntime;
  /** The web cache's state changed (the cache coalesces these). */
  onWebCache?: (state: WebCacheState) => void;
  /** Which world services the web cache may send HTTP requests to (default: the `http` ones); tests add their own origin's. */
  isWebCacheOrigin?: (service: WorldService) => boolean;
}

/** What the lab asks of its web cache: the LabApi's web cache commands. */
export interface WebCacheControls {
  webCacheState(): WebCacheState;
  /** Validates and applies new access link settings. */
  setAccessLink(input: unknown): WebCacheState;
  /** Empties the store and zeroes the statistics. */
  clear(): WebCacheState;
}

export interface LabService {
  readonly id: string;
  info(): ServiceInfo;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Present on the web cache only. */
  readonly webCache?: WebCacheControls;
}

export function serviceId(binding: ServiceBinding): string {
  return `${binding.host.name}/${binding.service.protocol}/${binding.service.transport}`;
}

export function serverEndpoint(ctx: ServiceContext, address: string, port: number): Endpoint {
  const { host, service } = ctx.binding;
  return { address, port, virtualAddress: host.address, virtualPort: service.port, hostname: host.name };
}

/** Whether a peer's address is this machine (IPv4 127/8, IPv6 ::1, or 127.0.0.1 mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * The other end as the world shows it. A loopback peer is the student's machine (the world's
 * client host) and keeps its real ephemeral port, so captures tell connections apart.
 */
export function clientEndpoint(ctx: ServiceContext, address: string, port: number): Endpoint {
  if (isLoopbackAddress(address)) {
    // One of the lab's own clients (the web cache, say) announced this connection: it is that host.
    const labClient = ctx.binding.service.transport === 'tcp' ? ctx.labClients?.claim(ctx.binding.labPort, port) : undefined;
    if (labClient) return { address, port, virtualAddress: labClient.address, virtualPort: port, hostname: labClient.name };
    return { address, port, virtualAddress: ctx.world.client.address, virtualPort: port, hostname: ctx.world.client.name };
  }
  return { address, port, virtualAddress: address.replace(/^::ffff:/, ''), virtualPort: port };
}

export function describeListenError(ctx: ServiceContext, port: number, err: NodeJS.ErrnoException): string {
  const what = `${ctx.binding.host.name} ${ctx.binding.service.protocol} (${ctx.binding.service.transport})`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `${what} could not listen on ${ctx.bindAddress}:${port}: another program already uses that port. Stop it, or start the lab with a different --port-offset.`;
    case 'EACCES':
      return `${what} may not listen on ${ctx.bindAddress}:${port}: the system reserves ports below 1024 for administrators; use a --port-offset of 1024 or more.`;
    case 'EADDRNOTAVAIL':
      return `${what} could not listen on ${ctx.bindAddress}:${port}: this computer has no such address.`;
    default:
      return `${what} could not listen on ${ctx.bindAddress}:${port}: ${err.message}`;
  }
}

export function baseInfo(ctx: ServiceContext, id: string, state: ServiceState, connections: number, description: string, error?: string): ServiceInfo {
  const { host, service, labPort } = ctx.binding;
  const info: ServiceInfo = {
    id,
    protocol: service.protocol,
    transport: service.transport,
    hostname: host.name,
    virtualAddress: host.address,
    wellKnownPort: service.port,
    address: ctx.bindAddress,
    port: labPort,
    state,
    connections,
    description,
  };
  if (error) info.error = error;
  return info;
}
