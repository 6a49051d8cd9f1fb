// Connections from the web cache to origin servers, kept alive between requests (RFC 9112 §9.3)
// and reused, a few per server, for a short idle time. A request sent on a reused connection that
// the server closed before answering is sent once more on a new connection when that is safe: only
// idempotent methods (RFC 9110 §9.2.2) may be retried automatically (RFC 9112 §9.3.1).

import { isIdempotent } from '../../../protocols/http/methods';
import type { AccessLink } from './access-link';
import { ORIGIN_POOL_IDLE_MS, ORIGIN_POOL_MAX_IDLE_PER_ORIGIN } from './limits';
import type { LinkClock } from './link-clock';
import { OriginConnection, type OriginConnectionOptions, type OriginResult, type OriginTarget } from './origin-connection';

export interface OriginPoolOptions {
  link: AccessLink;
  clock: LinkClock;
  /** Capture options for a connection to this target, or undefined when the target's own tap records it. */
  captureFor(target: OriginTarget): OriginConnectionOptions['capture'];
  /** Announces a connection to a lab origin, so its capture names the cache as the client. */
  announce?: OriginConnectionOptions['announce'];
  idleMs?: number;
  maxIdlePerOrigin?: number;
  readTimeoutMs?: number;
  maxResponseBytes?: number;
}

export class OriginPool {
  private readonly idle = new Map<string, OriginConnection[]>();
  private readonly inUse = new Set<OriginConnection>();
  private opened = 0;
  private readonly idleMs: number;
  private readonly maxIdle: number;
  private sweepTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: OriginPoolOptions) {
    this.idleMs = options.idleMs ?? ORIGIN_POOL_IDLE_MS;
    this.maxIdle = options.maxIdlePerOrigin ?? ORIGIN_POOL_MAX_IDLE_PER_ORIGIN;
  }

  /** TCP connections opened to origins so far. */
  get connectionsOpened(): number {
    return this.opened;
  }

  /** Starts counting opened connections from zero again (the panel's statistics were cleared). */
  resetCount(): void {
    this.opened = 0;
  }

  /** Idle connections kept right now. */
  get idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  /**
   * Sends a serialized request to the origin and waits for its whole response (or the reason there
   * is none). Aborting `signal` (the client hung up) closes the origin connection at once.
   */
  async fetch(target: OriginTarget, method: string, message: Uint8Array, signal?: AbortSignal): Promise<OriginResult> {
    const reused = this.takeIdle(target);
    if (reused) {
      const result = await this.send(reused, method, message, signal);
      const retry = !result.ok && result.beforeResponse && result.kind === 'closed' && isIdempotent(method);
      if (!retry) return result;
    }
    let conn: OriginConnection;
    try {
      conn = await this.open(target);
    } catch (err) {
      return { ok: false, kind: 'refused', message: err instanceof Error ? err.message : String(err), beforeResponse: true };
    }
    return this.send(conn, method, message, signal);
  }

  /** Closes every connection, idle or busy (the cache is stopping). */
  closeAll(): void {
    this.closed = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    for (const list of this.idle.values()) for (const c of list) c.destroy();
    this.idle.clear();
    for (const c of this.inUse) c.destroy();
    this.inUse.clear();
  }

  /** Allows use again after closeAll (the service was started again). */
  reopen(): void {
    this.closed = false;
  }

  private async open(target: OriginTarget): Promise<OriginConnection> {
    if (this.closed) throw new Error('the web cache is stopping');
    const { link, readTimeoutMs, maxResponseBytes } = this.options;
    const conn = await OriginConnection.open(target, { link, capture: this.options.captureFor(target), announce: this.options.announce, readTimeoutMs, maxResponseBytes });
    this.opened++;
    if (this.closed) {
      conn.destroy();
      throw new Error('the web cache is stopping');
    }
    return conn;
  }

  private async send(conn: OriginConnection, method: string, message: Uint8Array, signal: AbortSignal | undefined): Promise<OriginResult> {
    this.inUse.add(conn);
    const result = await conn.request(message, method, signal);
    this.inUse.delete(conn);
    if (result.ok && result.reusable && conn.reusable && !this.closed) this.keep(conn);
    else conn.destroy();
    return result;
  }

  private key(target: OriginTarget): string {
    return `${target.address}:${target.port}`;
  }

  private takeIdle(target: OriginTarget): OriginConnection | null {
    const list = this.idle.get(this.key(target));
    if (!list) return null;
    const now = this.options.clock.now();
    // The request will take the link's delay to get there: a connection the server might close
    // meanwhile (its idle time would pass ours) is not worth the retry.
    const delay = this.options.link.settings.delayMs;
    while (list.length > 0) {
      const conn = list.pop()!;
      if (conn.reusable && now - conn.idleSince + delay < this.idleMs) {
        if (list.length === 0) this.idle.delete(this.key(target));
        return conn;
      }
      conn.destroy();
    }
    this.idle.delete(this.key(target));
    return null;
  }

  private keep(conn: OriginConnection): void {
    const key = this.key(conn.target);
    const list = this.idle.get(key) ?? [];
    conn.idleSince = this.options.clock.now();
    list.push(conn);
    while (list.length > this.maxIdle) list.shift()!.destroy();
    this.idle.set(key, list);
    this.scheduleSweep();
  }

  /** Closes connections idle for longer than the limit; runs while any are kept. */
  private scheduleSweep(): void {
    if (this.sweepTimer || this.closed) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      const now = this.options.clock.now();
      for (const [key, list] of this.idle) {
        const keep = list.filter((c) => {
          const ok = c.reusable && now - c.idleSince < this.idleMs;
          if (!ok) c.destroy();
          return ok;
        });
        if (keep.length === 0) this.idle.delete(key);
        else this.idle.set(key, keep);
      }
      if (this.idle.size > 0) this.scheduleSweep();
    }, this.idleMs / 2);
    this.sweepTimer.unref?.();
  }
}
