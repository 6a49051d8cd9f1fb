// The simulated access link between the web cache and the origin servers: the institution's link
// of the course's caching example. Requests going out are held for the one-way delay; responses
// coming back are cut into segments that take turns on the link (round robin, so concurrent
// transfers share the bandwidth as TCP flows roughly do), each taking bits / bandwidth to send,
// then the one-way delay to arrive. A transfer therefore takes delay + size / its share of the
// bandwidth, and a busy link makes everyone wait: the effect the example is about.
//
// Only the download direction is paced: requests are a few hundred bytes, and the example loads
// the link with the objects coming back. Off (no delay, unlimited) the link passes bytes through
// at once, with no timer.

import type { AccessLinkSettings } from '../../../shared/web-cache';
import { ACCESS_LINK_OFF } from '../../../shared/web-cache';
import { LINK_SCHEDULE_AHEAD_MS, LINK_SEGMENT_BYTES } from './limits';
import { systemLinkClock, type LinkClock, type LinkTimer } from './link-clock';
import { UtilizationMeter, type MeterOptions } from './utilization-meter';

export interface LinkFlowHandlers {
  /** Request bytes arriving at the origin's end of the link. */
  toOrigin(bytes: Uint8Array): void;
  /** Response bytes arriving at the cache's end; null when the origin's end of stream (its FIN) arrives. */
  toCache(bytes: Uint8Array | null): void;
}

export interface AccessLinkOptions {
  clock?: LinkClock;
  settings?: AccessLinkSettings;
  segmentBytes?: number;
  scheduleAheadMs?: number;
  meter?: MeterOptions;
}

interface Delivery {
  at: number;
  seq: number;
  run: () => void;
}

/** One connection's traffic over the link; its bytes arrive in the order they were sent, each way. */
export class LinkFlow {
  /** Segments waiting for their turn on the link towards the cache. */
  readonly queued: (Uint8Array | null)[] = [];
  lastToCache = Number.NEGATIVE_INFINITY;
  lastToOrigin = Number.NEGATIVE_INFINITY;
  /** Deliveries scheduled and not yet made, each way. */
  pendingToCache = 0;
  pendingToOrigin = 0;
  private closedFlag = false;

  constructor(
    private readonly link: AccessLink,
    readonly handlers: LinkFlowHandlers,
  ) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Response bytes (or the end marker) of this flow still waiting for the link or crossing it. */
  get inTransitToCache(): number {
    return this.queued.length + this.pendingToCache;
  }

  /** Nothing of this flow is on the link either way: a connection may carry a new request. */
  get idle(): boolean {
    return this.inTransitToCache === 0 && this.pendingToOrigin === 0;
  }

  sendToOrigin(bytes: Uint8Array): void {
    if (!this.closedFlag && bytes.length > 0) this.link.carryToOrigin(this, bytes);
  }

  sendToCache(bytes: Uint8Array): void {
    if (!this.closedFlag && bytes.length > 0) this.link.carryToCache(this, bytes);
  }

  /** The origin ended its side: delivered after every byte it sent. */
  endToCache(): void {
    if (!this.closedFlag) this.link.carryToCache(this, null);
  }

  /** The connection is gone: anything still on the link for it is dropped. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.queued.length = 0;
    this.link.forget(this);
  }
}

export class AccessLink {
  private readonly clock: LinkClock;
  private current: AccessLinkSettings;
  private readonly segmentBytes: number;
  private readonly aheadMs: number;
  private readonly meter: UtilizationMeter;
  /** Flows with segments waiting, served round robin from `turn`. */
  private readonly active: LinkFlow[] = [];
  /** Every flow not yet closed. */
  private readonly open = new Set<LinkFlow>();
  private turn = 0;
  /** When the transmitter finishes the last segment committed to it. */
  private linkFreeAt = Number.NEGATIVE_INFINITY;
  private readonly deliveries: Delivery[] = [];
  private nextSeq = 0;
  private timer: { handle: LinkTimer; due: number } | null = null;
  private toOriginBytes = 0;
  private toCacheBytes = 0;

  constructor(options: AccessLinkOptions = {}) {
    this.clock = options.clock ?? systemLinkClock;
    this.current = { ...(options.settings ?? ACCESS_LINK_OFF) };
    this.segmentBytes = options.segmentBytes ?? LINK_SEGMENT_BYTES;
    this.aheadMs = options.scheduleAheadMs ?? LINK_SCHEDULE_AHEAD_MS;
    this.meter = new UtilizationMeter(this.clock.now(), options.meter);
  }

  get settings(): AccessLinkSettings {
    return { ...this.current };
  }

  /** Bytes that crossed towards the origins and back since the link was made (or cleared). */
  get bytesToOrigins(): number {
    return this.toOriginBytes;
  }

  get bytesFromOrigins(): number {
    return this.toCacheBytes;
  }

  get utilizationWindowMs(): number {
    return this.meter.windowMs;
  }

  /** New settings apply to bytes sent from now on; bytes already on the link keep their times. */
  configure(settings: AccessLinkSettings): void {
    const bandwidthChanged = settings.bandwidthBps !== this.current.bandwidthBps;
    this.current = { delayMs: settings.delayMs, bandwidthBps: settings.bandwidthBps };
    // Bits measured against the old bandwidth say nothing about the new one.
    if (bandwidthChanged) this.meter.reset(this.clock.now());
    this.pump();
  }

  openFlow(handlers: LinkFlowHandlers): LinkFlow {
    const flow = new LinkFlow(this, handlers);
    this.open.add(flow);
    return flow;
  }

  /** Responses with bytes waiting for the link or crossing it now (a closed connection's are dropped). */
  get transfersInProgress(): number {
    let n = 0;
    for (const f of this.open) if (f.inTransitToCache > 0) n++;
    return n;
  }

  /** Bits per second that arrived over the sliding window. */
  throughputBps(): number {
    return this.meter.bitsPerSecond(this.clock.now());
  }

  /** Throughput as a share of the bandwidth, at most 1; null while the bandwidth is unlimited. */
  utilization(): number | null {
    const bw = this.current.bandwidthBps;
    if (bw === null) return null;
    return Math.min(1, this.throughputBps() / bw);
  }

  /** Whether traffic is still inside the utilization window (the panel keeps refreshing until it is not). */
  hasRecentTraffic(): boolean {
    return this.meter.hasTraffic(this.clock.now());
  }

  /** Zero the byte counters and the utilization window (the settings stay). */
  resetCounters(): void {
    this.toOriginBytes = 0;
    this.toCacheBytes = 0;
    this.meter.reset(this.clock.now());
  }

  /** Drops everything on the link and its timer (the lab is stopping). */
  dispose(): void {
    if (this.timer) this.clock.clearTimer(this.timer.handle);
    this.timer = null;
    for (const f of this.active) f.queued.length = 0;
    this.active.length = 0;
    this.open.clear();
    this.deliveries.length = 0;
  }

  /** @internal by LinkFlow */
  carryToOrigin(flow: LinkFlow, bytes: Uint8Array): void {
    this.toOriginBytes += bytes.length;
    const now = this.clock.now();
    if (this.current.delayMs === 0 && flow.pendingToOrigin === 0) {
      flow.lastToOrigin = now;
      flow.handlers.toOrigin(bytes);
      return;
    }
    const at = Math.max(now + this.current.delayMs, flow.lastToOrigin);
    flow.lastToOrigin = at;
    flow.pendingToOrigin++;
    this.schedule(at, () => {
      flow.pendingToOrigin--;
      if (!flow.closed) flow.handlers.toOrigin(bytes);
    });
    this.arm();
  }

  /** @internal by LinkFlow; null is the end-of-stream marker. */
  carryToCache(flow: LinkFlow, bytes: Uint8Array | null): void {
    const { delayMs, bandwidthBps } = this.current;
    if (delayMs === 0 && bandwidthBps === null && flow.queued.length === 0 && flow.pendingToCache === 0) {
      // The link is off and nothing of this flow is still on it: pass straight through.
      const now = this.clock.now();
      if (bytes) {
        this.toCacheBytes += bytes.length;
        this.meter.record(now, bytes.length * 8);
      }
      flow.lastToCache = now;
      flow.handlers.toCache(bytes);
      return;
    }
    if (bytes === null || bandwidthBps === null) flow.queued.push(bytes);
    else for (let at = 0; at < bytes.length; at += this.segmentBytes) flow.queued.push(bytes.subarray(at, Math.min(bytes.length, at + this.segmentBytes)));
    if (!this.active.includes(flow)) this.active.push(flow);
    this.pump();
  }

  /** @internal by LinkFlow.close */
  forget(flow: LinkFlow): void {
    this.open.delete(flow);
    const i = this.active.indexOf(flow);
    if (i === -1) return;
    this.active.splice(i, 1);
    if (this.turn > i) this.turn--;
    if (this.turn >= this.active.length) this.turn = 0;
  }

  /** Commits waiting segments to the link, a flow at a time, up to `aheadMs` past now. */
  private pump(): void {
    const now = this.clock.now();
    const { delayMs, bandwidthBps } = this.current;
    while (this.active.length > 0 && this.linkFreeAt <= now + this.aheadMs) {
      if (this.turn >= this.active.length) this.turn = 0;
      const flow = this.active[this.turn];
      const segment = flow.queued.shift();
      const bits = segment ? segment.length * 8 : 0;
      const start = Math.max(now, this.linkFreeAt);
      const finish = bandwidthBps === null ? start : start + (bits * 1000) / bandwidthBps;
      this.linkFreeAt = finish;
      if (segment) {
        this.toCacheBytes += segment.length;
        this.meter.record(finish, bits);
      }
      const at = Math.max(finish + delayMs, flow.lastToCache);
      flow.lastToCache = at;
      flow.pendingToCache++;
      this.schedule(at, () => {
        flow.pendingToCache--;
        if (!flow.closed) flow.handlers.toCache(segment ?? null);
      });
      if (flow.queued.length === 0) this.active.splice(this.turn, 1);
      else this.turn++;
    }
    this.arm();
  }

  private schedule(at: number, run: () => void): void {
    const d: Delivery = { at, seq: this.nextSeq++, run };
    // Deliveries are nearly always due after every earlier one: search from the end.
    let i = this.deliveries.length;
    while (i > 0 && this.deliveries[i - 1].at > at) i--;
    this.deliveries.splice(i, 0, d);
  }

  /** One timer for whatever is due first: the next delivery, or the next chance to commit segments. */
  private arm(): void {
    let due = this.deliveries.length > 0 ? this.deliveries[0].at : Number.POSITIVE_INFINITY;
    if (this.active.length > 0) due = Math.min(due, this.linkFreeAt - this.aheadMs / 2);
    if (!Number.isFinite(due)) return;
    if (this.timer && this.timer.due <= due) return;
    if (this.timer) this.clock.clearTimer(this.timer.handle);
    const handle = this.clock.setTimer(() => this.fire(), due - this.clock.now());
    this.timer = { handle, due };
  }

  private fire(): void {
    this.timer = null;
    const now = this.clock.now();
    while (this.deliveries.length > 0 && this.deliveries[0].at <= now) {
      const d = this.deliveries.shift()!;
      try {
        d.run();
      } catch (err) {
        console.error('protolab: an access-link delivery failed:', err);
      }
    }
    this.pump();
  }
}
