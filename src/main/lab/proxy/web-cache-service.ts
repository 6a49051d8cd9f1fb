// The web cache as a lab service: an HttpService (the same listener, capture tap and socket adapter
// as the lab's web servers) on its world host's port (cache.poly.edu:3128 -> 127.0.0.1:13128),
// whose app hands each request to the WebCacheHandler. It owns the store, the access link, the
// origin pool and the statistics the panel shows, and tells the lab when they change (coalesced,
// at most four times a second).

import type { ServiceInfo } from '../../../shared/lab-api';
import type { AccessLinkSettings, WebCacheEntryInfo, WebCacheState } from '../../../shared/web-cache';
import { WEB_CACHE_STATE_MAX_ENTRIES } from '../../../shared/web-cache';
import { freshness } from '../../../protocols/http/cache-rules';
import { getHeader } from '../../../protocols/http/headers';
import { bodyBytes } from '../../../protocols/http/serialize';
import type { HttpExchange } from '../http/app';
import { HttpService } from '../http/http-service';
import type { LabService, ServiceContext, WebCacheControls } from '../services/service-base';
import { AccessLink } from './access-link';
import { WebCacheStore } from './cache-store';
import { webCacheHomePage } from './home-page';
import { WEB_CACHE_DECAY_EVENT_MS, WEB_CACHE_EVENT_INTERVAL_MS } from './limits';
import { systemLinkClock, type LinkClock } from './link-clock';
import { parseAccessLinkSettings } from './link-settings';
import { OriginPool, type OriginPoolOptions } from './origin-pool';
import { isWorldHttpService, resolveOrigin, webHostNames } from './origin-resolver';
import { WebCacheHandler, type WebCacheAnswer } from './web-cache-handler';
import { WebCacheStats } from './web-cache-stats';

/** What the cache calls itself in Server (on its own pages) and in Via comments. */
export const WEB_CACHE_SERVER_NAME = 'Protolab-cache/1.0';

export const WEB_CACHE_DESCRIPTION = 'Web cache (RFC 9111): point a browser or curl -x at it to reach the lab\'s web sites through a caching proxy and a simulated access link.';

/** Smaller origin timeouts and sizes than the defaults in limits.ts, for tests. */
export type WebCacheServiceOptions = Pick<OriginPoolOptions, 'readTimeoutMs' | 'maxResponseBytes'>;

export class WebCacheService implements LabService, WebCacheControls {
  readonly id: string;
  readonly webCache: WebCacheControls = this;
  readonly link: AccessLink;
  readonly store: WebCacheStore;
  private readonly stats = new WebCacheStats();
  private readonly pool: OriginPool;
  private readonly handler: WebCacheHandler;
  private readonly http: HttpService;
  private readonly clock: LinkClock;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotified = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: ServiceContext,
    options: WebCacheServiceOptions = {},
  ) {
    this.clock = systemLinkClock;
    this.link = new AccessLink({ clock: this.clock });
    this.store = new WebCacheStore();
    const self = ctx.binding.host;
    const isHttpService = ctx.isWebCacheOrigin ?? isWorldHttpService;
    const isLabListener = ctx.isLabListener ?? (() => false);
    this.pool = new OriginPool({
      link: this.link,
      clock: this.clock,
      // A lab web server's own tap records the connection; anything else is recorded as the cache's client side.
      captureFor: (target) => (isLabListener(target.port) ? undefined : { sink: ctx.sink, client: { virtualAddress: self.address, hostname: self.name } }),
      announce: (target) => (isLabListener(target.port) ? ctx.labClients?.expect(target.port, { name: self.name, address: self.address }) : undefined),
      ...options,
    });
    this.handler = new WebCacheHandler({
      store: this.store,
      resolve: (host, port) => resolveOrigin({ map: ctx.map, selfHost: self, selfPort: ctx.binding.service.port, selfLabPort: ctx.binding.labPort, isHttpService }, host, port),
      fetch: (target, method, message, signal) => this.pool.fetch(target, method, message, signal),
      now: () => ctx.now(),
      viaName: `${self.name}:${ctx.binding.service.port} (${WEB_CACHE_SERVER_NAME})`,
      selfPage: (request) => {
        const s = this.stats.snapshot();
        return webCacheHomePage(
          { hostname: self.name, wellKnownPort: ctx.binding.service.port, address: ctx.bindAddress, port: ctx.binding.labPort, webHosts: webHostNames(ctx.map, isHttpService), entries: this.store.count, requests: s.requests, hitRate: s.hitRate },
          request.method,
        );
      },
    });
    this.http = new HttpService(
      {
        ...ctx,
        changed: () => {
          ctx.changed();
          this.changed();
        },
      },
      {
        description: WEB_CACHE_DESCRIPTION,
        serverName: WEB_CACHE_SERVER_NAME,
        // Browsers and curl speak HTTP to the cache: the capture dissects it as HTTP.
        captureProtocol: 'http',
        // A client that quits while a slow miss crosses the link sends a FIN: stop the fetch, free the link.
        abortOnClientEnd: true,
        ...(ctx.httpLimits ? { limits: ctx.httpLimits } : {}),
        openApp: async () => {
          this.pool.reopen();
          return {
            app: async (exchange: HttpExchange) => (await this.serve(exchange)).response,
            release: async () => {
              this.pool.closeAll();
              this.link.dispose();
            },
          };
        },
      },
    );
    this.id = this.http.id;
  }

  info(): ServiceInfo {
    return this.http.info();
  }

  start(): Promise<void> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  webCacheState(): WebCacheState {
    const s = this.stats.snapshot();
    const { binding } = this.ctx;
    return {
      proxy: { hostname: binding.host.name, virtualAddress: binding.host.address, wellKnownPort: binding.service.port, address: this.ctx.bindAddress, port: binding.labPort, listening: this.info().state === 'listening' },
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
        linkTransfers: this.link.transfersInProgress,
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

  /** Empties the store and zeroes the statistics (requests, bytes, connections opened); the link settings stay. */
  clear(): WebCacheState {
    this.store.clear();
    this.stats.reset();
    this.link.resetCounters();
    this.pool.resetCount();
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
      this.ctx.onWebCache?.(this.webCacheState());
    } catch (err) {
      console.error('protolab: a webCache listener failed:', err);
    }
    // Utilization is an average over a window: keep the panel current until the window has emptied.
    if (this.link.hasRecentTraffic() && !this.notifyTimer) {
      this.notifyTimer = setTimeout(() => this.notify(), WEB_CACHE_DECAY_EVENT_MS);
      this.notifyTimer.unref?.();
    }
  }

  /** Answers one request and records how it went. */
  private async serve(exchange: HttpExchange): Promise<WebCacheAnswer> {
    const { request, signal } = exchange;
    const startedAt = this.clock.now();
    const at = this.ctx.now();
    let answer: WebCacheAnswer;
    try {
      answer = await this.handler.handle(request, signal);
    } catch (err) {
      const reason = `the web cache failed while handling this request: ${err instanceof Error ? err.message : String(err)}`;
      answer = { response: { status: 500, headers: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }], body: `${reason}\n` }, outcome: 'ERROR', url: request.target, reason };
    }
    if (answer.outcome !== null) {
      const bytes = request.method === 'HEAD' || answer.response.status === 304 || signal.aborted ? 0 : bodyBytes(answer.response.body).length;
      this.stats.record({ at, method: request.method, url: answer.url, outcome: answer.outcome, status: answer.response.status, responseMs: this.clock.now() - startedAt, bytes, reason: answer.reason });
    }
    this.changed();
    return answer;
  }
}

/** What a face is told when the world has no web cache (an older world file kept in the data folder). */
export const NO_WEB_CACHE_MESSAGE =
  'this lab world has no web cache: no host runs the http-proxy service. The shipped world has cache.poly.edu; reset the data folder to get it back, or add a host with { protocol: http-proxy, port: 3128 } to world.yaml.';
