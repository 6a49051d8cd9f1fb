// The web cache as a lab service: listens on its world host's port (cache.poly.edu:3128 ->
// 127.0.0.1:13128), speaks HTTP/1.x to browsers and curl through the HTTP module's server
// connection engine, and hands each request to the WebCacheHandler. It owns the store, the
// access link, the origin pool and the statistics the panel shows, and tells the lab when they
// change (coalesced, at most four times a second).

import net from 'node:net';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import type { AccessLinkSettings, WebCacheEntryInfo, WebCacheState } from '../../../shared/web-cache';
import { WEB_CACHE_STATE_MAX_ENTRIES } from '../../../shared/web-cache';
import { freshness } from '../../../protocols/http/cache-rules';
import { getHeader } from '../../../protocols/http/headers';
import { bodyBytes } from '../../../protocols/http/serialize';
import type { HttpRequest } from '../../../protocols/http/server-connection';
import { tapTcpSocket } from '../capture/tap';
import { HttpSocketConnection } from '../http/http-connection';
import type { LabService, ServiceContext } from '../services/service-base';
import { baseInfo, clientEndpoint, describeListenError, serverEndpoint, serviceId } from '../services/service-base';
import { AddressMap } from '../world/address-map';
import { AccessLink } from './access-link';
import { WebCacheStore } from './cache-store';
import { webCacheHomePage } from './home-page';
import { WEB_CACHE_DECAY_EVENT_MS, WEB_CACHE_EVENT_INTERVAL_MS } from './limits';
import { systemLinkClock, type LinkClock } from './link-clock';
import { parseAccessLinkSettings } from './link-settings';
import type { OriginTarget } from './origin-connection';
import { OriginPool } from './origin-pool';
import { resolveOrigin, webHostNames } from './origin-resolver';
import { WebCacheHandler, type WebCacheAnswer } from './web-cache-handler';
import { WebCacheStats } from './web-cache-stats';

/** What the cache calls itself in Server (on its own pages) and in Via comments. */
export const WEB_CACHE_SERVER_NAME = 'Protolab-cache/1.0';

export const WEB_CACHE_DESCRIPTION = 'Web cache (RFC 9111): point a browser or curl -x at it to reach the lab\'s web sites through a caching proxy and a simulated access link.';

/** What the lab gives the cache after creating it: which ports are its own listeners (their taps record them already). */
export interface WebCacheLabHooks {
  isLabListener(port: number): boolean;
  /** Called with the new state when it changes (coalesced). */
  onState(state: WebCacheState): void;
}

/**
 * The port offset the world was mapped with: the binding's loopback port less the slot it was
 * given (its portSlot, or its well-known port), which is how AddressMap.labPortOf computed it.
 */
function portOffsetOf(ctx: ServiceContext): number {
  return ctx.binding.labPort - (ctx.binding.service.portSlot ?? ctx.binding.service.port);
}

export class WebCacheService implements LabService {
  readonly id: string;
  readonly link: AccessLink;
  readonly store: WebCacheStore;
  private readonly stats = new WebCacheStats();
  private readonly pool: OriginPool;
  private readonly handler: WebCacheHandler;
  private readonly map: AddressMap;
  private readonly clock: LinkClock;
  private hooks: WebCacheLabHooks = { isLabListener: () => false, onState: () => {} };
  private server: net.Server | null = null;
  private readonly connections = new Map<net.Socket, HttpSocketConnection>();
  private state: ServiceState = 'stopped';
  private error: string | undefined;
  private starting: Promise<void> | null = null;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotified = Number.NEGATIVE_INFINITY;

  constructor(private readonly ctx: ServiceContext) {
    this.id = serviceId(ctx.binding);
    this.clock = systemLinkClock;
    this.map = new AddressMap(ctx.world, portOffsetOf(ctx), ctx.bindAddress);
    this.link = new AccessLink({ clock: this.clock });
    this.store = new WebCacheStore();
    const self = ctx.binding.host;
    this.pool = new OriginPool({
      link: this.link,
      clock: this.clock,
      captureFor: (target) => (this.hooks.isLabListener(target.port) ? undefined : { sink: ctx.sink, client: { virtualAddress: self.address, hostname: self.name } }),
    });
    this.handler = new WebCacheHandler({
      store: this.store,
      resolve: (host, port) => resolveOrigin({ map: this.map, selfHost: self, selfPort: ctx.binding.service.port }, host, port),
      fetch: (target: OriginTarget, method, message) => this.pool.fetch(target, method, message),
      now: () => ctx.now(),
      viaName: `${self.name}:${ctx.binding.service.port} (${WEB_CACHE_SERVER_NAME})`,
      selfPage: (request) => {
        const s = this.stats.snapshot();
        return webCacheHomePage(
          { hostname: self.name, wellKnownPort: ctx.binding.service.port, address: ctx.bindAddress, port: ctx.binding.labPort, webHosts: webHostNames(this.map), entries: this.store.count, requests: s.requests, hitRate: s.hitRate },
          request.method,
        );
      },
    });
  }

  /** The lab's hooks; called once, right after the lab creates its services. */
  attach(hooks: WebCacheLabHooks): void {
    this.hooks = hooks;
  }

  info(): ServiceInfo {
    return baseInfo(this.ctx, this.id, this.state, this.connections.size, WEB_CACHE_DESCRIPTION, this.error);
  }

  webCacheState(): WebCacheState {
    const s = this.stats.snapshot();
    const { binding } = this.ctx;
    return {
      proxy: { hostname: binding.host.name, virtualAddress: binding.host.address, wellKnownPort: binding.service.port, address: this.ctx.bindAddress, port: binding.labPort, listening: this.state === 'listening' },
      link: this.link.settings,
      limits: { ...this.store.limits },
      usage: { entries: this.store.count, bytes: this.store.bytes },
      entries: this.entryInfos(),
      stats: {
        ...s,
        bytesToOrigins: this.link.bytesToOrigins,
        bytesFromOrigins: this.link.bytesFromOrigins,
        originConnections: this.pool.connectionsOpened,
        linkThroughputBps: this.link.throughputBps(),
        linkUtilization: this.link.utilization(),
        utilizationWindowMs: this.link.utilizationWindowMs,
      },
      recent: this.stats.recent(),
    };
  }

  /** Validates and applies new link settings (they take effect for bytes sent from now on). */
  setAccessLink(input: unknown): WebCacheState {
    const settings: AccessLinkSettings = parseAccessLinkSettings(input);
    this.link.configure(settings);
    this.changed();
    return this.webCacheState();
  }

  /** Empties the store and zeroes the statistics; the link settings stay. */
  clear(): WebCacheState {
    this.store.clear();
    this.stats.reset();
    this.link.resetCounters();
    this.changed();
    return this.webCacheState();
  }

  private entryInfos(): WebCacheEntryInfo[] {
    const now = this.ctx.now();
    return this.store.entries(WEB_CACHE_STATE_MAX_ENTRIES).map((e) => {
      const f = freshness(e.stored, now);
      const h = e.stored.headers;
      return {
        url: e.stored.url,
        variant: e.variant,
        status: e.stored.status,
        contentType: getHeader(h, 'content-type') ?? null,
        bodyBytes: e.stored.body.length,
        storedBytes: e.size,
        ageSeconds: f.age.seconds,
        lifetimeSeconds: f.lifetime.seconds,
        lifetimeSource: f.lifetime.source,
        freshnessLeftSeconds: f.remaining,
        fresh: f.fresh,
        etag: getHeader(h, 'etag') ?? null,
        lastModified: getHeader(h, 'last-modified') ?? null,
        hits: e.hits,
        storedAt: e.storedAt,
        lastUsedAt: e.lastUsedAt,
      };
    });
  }

  /** Tells the lab the state changed: at once if it has been quiet for a while, else at the next allowed moment. */
  private changed(): void {
    if (this.notifyTimer) return;
    const wait = Math.max(0, this.lastNotified + WEB_CACHE_EVENT_INTERVAL_MS - this.clock.now());
    this.notifyTimer = setTimeout(() => this.notify(), wait);
    this.notifyTimer.unref?.();
  }

  private notify(): void {
    this.notifyTimer = null;
    this.lastNotified = this.clock.now();
    try {
      this.hooks.onState(this.webCacheState());
    } catch (err) {
      console.error('protolab: a webCache listener failed:', err);
    }
    // Utilization is an average over a window: keep the panel current until the window has emptied.
    if (this.link.hasRecentTraffic() && !this.notifyTimer) {
      this.notifyTimer = setTimeout(() => this.notify(), WEB_CACHE_DECAY_EVENT_MS);
      this.notifyTimer.unref?.();
    }
  }

  private setState(state: ServiceState, error?: string): void {
    this.state = state;
    this.error = error;
    this.ctx.changed();
    this.changed();
  }

  start(): Promise<void> {
    this.starting ??= this.listen().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private listen(): Promise<void> {
    if (this.state === 'listening') return Promise.resolve();
    this.setState('starting');
    this.pool.reopen();
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    return new Promise((resolve) => {
      const fail = (err: NodeJS.ErrnoException) => {
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve();
      };
      server.once('error', fail);
      try {
        server.listen({ host: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, () => {
          server.off('error', fail);
          server.on('error', () => {});
          this.server = server;
          this.setState('listening');
          resolve();
        });
      } catch (err) {
        fail(err as NodeJS.ErrnoException);
      }
    });
  }

  async stop(): Promise<void> {
    await this.starting;
    const server = this.server;
    this.server = null;
    for (const [socket, connection] of this.connections) {
      connection.dispose();
      socket.destroy();
    }
    this.pool.closeAll();
    this.link.dispose();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    this.setState('stopped');
  }

  private accept(socket: net.Socket): void {
    const local = serverEndpoint(this.ctx, socket.localAddress ?? this.ctx.bindAddress, socket.localPort ?? this.ctx.binding.labPort);
    const remote = clientEndpoint(this.ctx, socket.remoteAddress ?? '127.0.0.1', socket.remotePort ?? 0);
    // Browsers and curl speak HTTP to the cache: the capture dissects it as HTTP.
    tapTcpSocket(socket, this.ctx.sink, { side: 'server', protocol: 'http', serviceId: this.id, client: remote, server: local });
    socket.on('error', () => {}); // the tap records it; the close handler cleans up
    // The same socket adapter as the lab's web servers: the engine's timeouts, backpressure, lingering close.
    const connection = new HttpSocketConnection({
      socket,
      app: async ({ request }) => (await this.serve(request)).response,
      now: this.ctx.now,
      listener: { host: this.ctx.binding.host, service: this.ctx.binding.service, labPort: this.ctx.binding.labPort },
      ...(this.ctx.httpLimits ? { limits: this.ctx.httpLimits } : {}),
      serverName: WEB_CACHE_SERVER_NAME,
      log: (message) => console.error(`protolab: ${this.id}: ${message}`),
    });
    this.connections.set(socket, connection);
    this.ctx.changed();
    socket.once('close', () => {
      connection.dispose();
      this.connections.delete(socket);
      this.ctx.changed();
    });
  }

  /** Answers one request and records how it went. */
  private async serve(request: HttpRequest): Promise<WebCacheAnswer> {
    const startedAt = this.clock.now();
    const at = this.ctx.now();
    let answer: WebCacheAnswer;
    try {
      answer = await this.handler.handle(request);
    } catch (err) {
      const reason = `the web cache failed while handling this request: ${err instanceof Error ? err.message : String(err)}`;
      answer = { response: { status: 500, headers: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }], body: `${reason}\n` }, outcome: 'ERROR', url: request.target, reason };
    }
    if (answer.outcome !== null) {
      const bytes = request.method === 'HEAD' || answer.response.status === 304 ? 0 : bodyBytes(answer.response.body).length;
      this.stats.record({ at, method: request.method, url: answer.url, outcome: answer.outcome, status: answer.response.status, responseMs: this.clock.now() - startedAt, bytes, reason: answer.reason });
    }
    this.changed();
    return answer;
  }
}

/** Gives the lab's hooks to the web cache among `services`, and returns it (null when the world has none). */
export function attachWebCache(services: readonly LabService[], hooks: WebCacheLabHooks): WebCacheService | null {
  const cache = services.find((s): s is WebCacheService => s instanceof WebCacheService) ?? null;
  cache?.attach(hooks);
  return cache;
}

/** What a face is told when the world has no web cache (an older world file kept in the data folder). */
export const NO_WEB_CACHE_MESSAGE =
  'this lab world has no web cache: no host runs the http-proxy service. The shipped world has cache.poly.edu; reset the data folder to get it back, or add a host with { protocol: http-proxy, port: 3128 } to world.yaml.';
