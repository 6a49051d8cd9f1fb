// Which engine runs each protocol of the world, over which transport. A world service whose
// protocol or transport is not here still appears in the servers panel, as failed, with the reason.

import type { TcpServerEngine, UdpServerEngine } from '../../../protocols/core/engine';
import { DaytimeTcpEngine, DaytimeUdpEngine } from '../../../protocols/daytime';
import { DiscardTcpEngine } from '../../../protocols/discard';
import { EchoTcpEngine, EchoUdpEngine } from '../../../protocols/echo';
import type { Transport } from '../../../shared/capture';
import type { ServiceInfo } from '../../../shared/lab-api';
import { DNS_SERVICE_DESCRIPTION, createDnsLabService } from '../dns/dns-services';
import { HTTP_SITES_DESCRIPTION, createSitesService } from '../http/sites-service';
import { WEB_CACHE_DESCRIPTION, WebCacheService } from '../proxy/web-cache-service';
import type { LabService, ServiceContext } from './service-base';
import { baseInfo, serviceId } from './service-base';
import { TcpService } from './tcp-service';
import { UdpService } from './udp-service';

interface CatalogEntry {
  description: string;
  tcp?: (ctx: ServiceContext) => TcpServerEngine;
  udp?: (ctx: ServiceContext) => UdpServerEngine;
  /** A protocol whose adapter is its own LabService (HTTP answers through an async app, not a sync engine). */
  service?: Partial<Record<Transport, (ctx: ServiceContext) => LabService>>;
}

export const SERVICE_CATALOG: Readonly<Record<string, CatalogEntry>> = {
  echo: {
    description: 'Echo (RFC 862): sends back every byte it receives.',
    tcp: () => new EchoTcpEngine(),
    udp: () => new EchoUdpEngine(),
  },
  discard: {
    description: 'Discard (RFC 863): reads everything and answers nothing.',
    tcp: () => new DiscardTcpEngine(),
  },
  daytime: {
    description: 'Daytime (RFC 867): says the date and time, then closes.',
    tcp: () => new DaytimeTcpEngine(),
    udp: () => new DaytimeUdpEngine(),
  },
  http: {
    description: HTTP_SITES_DESCRIPTION,
    service: { tcp: createSitesService },
  },
  dns: {
    description: DNS_SERVICE_DESCRIPTION,
    service: { udp: createDnsLabService, tcp: createDnsLabService },
  },
  'http-proxy': {
    description: WEB_CACHE_DESCRIPTION,
    service: { tcp: (ctx) => new WebCacheService(ctx) },
  },
};

/** A world service the lab has no engine for: listed, never listening, with the reason. */
class UnavailableService implements LabService {
  readonly id: string;
  constructor(
    private readonly ctx: ServiceContext,
    private readonly reason: string,
  ) {
    this.id = serviceId(ctx.binding);
  }
  info(): ServiceInfo {
    return baseInfo(this.ctx, this.id, 'failed', 0, this.reason, this.reason);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

export function createService(ctx: ServiceContext): LabService {
  const { protocol, transport } = ctx.binding.service;
  if (ctx.binding.problem) return new UnavailableService(ctx, ctx.binding.problem);
  const entry = SERVICE_CATALOG[protocol];
  if (!entry) return new UnavailableService(ctx, `${ctx.binding.host.name}: the lab has no ${protocol} server (known: ${Object.keys(SERVICE_CATALOG).join(', ')}).`);
  const own = entry.service?.[transport];
  if (own) return own(ctx);
  if (transport === 'tcp' && entry.tcp) {
    const make = entry.tcp;
    return new TcpService(ctx, () => make(ctx), entry.description);
  }
  if (transport === 'udp' && entry.udp) return new UdpService(ctx, entry.udp(ctx), entry.description);
  return new UnavailableService(ctx, `${ctx.binding.host.name}: the lab's ${protocol} server does not run over ${transport}.`);
}
