// What every service adapter shares: its place in the world, its state for the servers panel,
// and the sentence a student sees when it cannot listen.

import type { HttpLimits } from '../../../protocols/http/limits';
import type { Endpoint } from '../../../shared/capture';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import type { CaptureSink } from '../capture/tap';
import type { ServiceBinding } from '../world/address-map';
import type { World } from '../world/world';

export interface ServiceContext {
  binding: ServiceBinding;
  world: World;
  sink: CaptureSink;
  bindAddress: string;
  /** Wall clock for engines (ms since the epoch); injectable for tests. */
  now: () => number;
  /** Called whenever state or connection count changes. */
  changed: () => void;
  /** The lab's data folder (writable files: uploads, databases) and its copy of content/ (the world). */
  dataDir?: string;
  worldDir?: string;
  /** Smaller HTTP limits than the defaults (src/protocols/http/limits.ts), for tests. */
  httpLimits?: Partial<HttpLimits>;
}

export interface LabService {
  readonly id: string;
  info(): ServiceInfo;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function serviceId(binding: ServiceBinding): string {
  return `${binding.host.name}/${binding.service.protocol}/${binding.service.transport}`;
}

export function serverEndpoint(ctx: ServiceContext, address: string, port: number): Endpoint {
  const { host, service } = ctx.binding;
  return { address, port, virtualAddress: host.address, virtualPort: service.port, hostname: host.name };
}

/**
 * The other end as the world shows it. A loopback peer is the student's machine (the world's
 * client host) and keeps its real ephemeral port, so captures tell connections apart.
 */
export function clientEndpoint(ctx: ServiceContext, address: string, port: number): Endpoint {
  const loopback = address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
  if (loopback) return { address, port, virtualAddress: ctx.world.client.address, virtualPort: port, hostname: ctx.world.client.name };
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
