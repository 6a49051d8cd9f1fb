// One TCP connection from the web cache to an origin server, through the simulated access link:
// the request goes out over the link, the response bytes come back over it and are parsed by the
// HTTP module's ResponseParser. One request at a time; a connection the origin keeps alive goes
// back to the pool for the next request to the same server.

import net from 'node:net';
import type { Endpoint } from '../../../shared/capture';
import { hasToken } from '../../../protocols/http/headers';
import { ResponseParser, type ParsedResponse } from '../../../protocols/http/parser';
import { tapTcpSocket, type CaptureSink } from '../capture/tap';
import type { AccessLink, LinkFlow } from './access-link';
import { ORIGIN_CONNECT_TIMEOUT_MS, ORIGIN_READ_TIMEOUT_MS, WEB_CACHE_MAX_RESPONSE_BYTES } from './limits';
import type { LabClientTicket } from '../services/lab-clients';

/** Where an origin really listens, and who it is in the lab world (for the capture and the messages). */
export interface OriginTarget {
  /** The lab's own listener: always the lab's bind address (loopback unless opted out). */
  address: string;
  port: number;
  hostname: string;
  virtualAddress: string;
  virtualPort: number;
}

/**
 * Why there is no response: nothing listens, the origin went silent, closed, sent something that
 * is not HTTP, sent more than the cache passes on, or the client that asked hung up first.
 */
export type OriginFailureKind = 'refused' | 'timeout' | 'closed' | 'invalid' | 'too-large' | 'cancelled';

export type OriginResult =
  | { ok: true; response: ParsedResponse; reusable: boolean }
  | { ok: false; kind: OriginFailureKind; message: string; /** no byte of an answer had arrived */ beforeResponse: boolean };

export interface OriginConnectionOptions {
  link: AccessLink;
  /** Tap the socket for the capture as the cache's own client connection; omitted when the origin is a lab service (its own tap records it). */
  capture?: { sink: CaptureSink; client: Omit<Endpoint, 'address' | 'port' | 'virtualPort'> };
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Largest response body passed on (default WEB_CACHE_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Tells a lab origin's tap that this connection is the cache's (see services/lab-clients.ts). */
  announce?: (target: OriginTarget) => LabClientTicket | undefined;
}

type Pending = {
  resolve: (r: OriginResult) => void;
  sawBytes: boolean;
  /** The request has crossed the link to the origin: from then on the answer is the origin's to send. */
  delivered: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  stopListening: () => void;
};

export class OriginConnection {
  private readonly parser: ResponseParser;
  private flow: LinkFlow | null = null;
  private pending: Pending | null = null;
  private dead = false;
  private peerEnded = false;
  private readonly readTimeoutMs: number;
  private readonly maxResponseBytes: number;
  /** When it last finished a response (for the pool's idle limit), on the link's clock. */
  idleSince = 0;

  private constructor(
    readonly target: OriginTarget,
    private readonly socket: net.Socket,
    private readonly options: OriginConnectionOptions,
  ) {
    this.readTimeoutMs = options.readTimeoutMs ?? ORIGIN_READ_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? WEB_CACHE_MAX_RESPONSE_BYTES;
    this.parser = new ResponseParser({ limits: { maxBody: this.maxResponseBytes } });
  }

  /** Opens a connection; rejects with a sentence when the origin refuses or does not answer. */
  static open(target: OriginTarget, options: OriginConnectionOptions): Promise<OriginConnection> {
    const connectTimeout = options.connectTimeoutMs ?? ORIGIN_CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      // Announced before dialling: the origin may accept before this socket sees 'connect'.
      const ticket = options.announce?.(target);
      const socket = net.connect({ host: target.address, port: target.port, allowHalfOpen: true });
      socket.once('error', () => ticket?.cancel());
      socket.once('connect', () => ticket?.connected(socket.localPort ?? 0));
      socket.setTimeout(connectTimeout, () => socket.destroy(new Error(`${target.hostname} did not accept the connection within ${connectTimeout / 1000} s`)));
      socket.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'ECONNREFUSED' ? new Error(`${target.hostname} refused the connection: no server is listening on its port ${target.virtualPort} (loopback port ${target.port}). Start it in the Servers panel.`) : err);
      });
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeAllListeners('error');
        const conn = new OriginConnection(target, socket, options);
        conn.attach();
        resolve(conn);
      });
    });
  }

  get alive(): boolean {
    return !this.dead && !this.peerEnded && !this.socket.destroyed;
  }

  /** Open, and nothing of it left on the link either way: it may carry the next request. */
  get reusable(): boolean {
    return this.alive && this.pending === null && (this.flow?.idle ?? false);
  }

  private attach(): void {
    const { socket, target, options } = this;
    if (options.capture) {
      const client: Endpoint = { ...options.capture.client, address: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0, virtualPort: socket.localPort ?? 0 };
      const server: Endpoint = { address: target.address, port: target.port, virtualAddress: target.virtualAddress, virtualPort: target.virtualPort, hostname: target.hostname };
      tapTcpSocket(socket, options.capture.sink, { side: 'client', protocol: 'http', client, server });
    }
    this.flow = options.link.openFlow({
      toOrigin: (bytes) => {
        if (!socket.destroyed && !socket.writableEnded) socket.write(bytes);
        if (this.pending) {
          this.pending.delivered = true;
          this.rearmReadTimer();
        }
      },
      toCache: (bytes) => this.arrived(bytes),
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.pending) this.pending.sawBytes = true;
      this.flow?.sendToCache(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      // The origin has spoken; while its bytes cross the link, the wait is the link's, not the origin's.
      this.rearmReadTimer();
    });
    socket.on('end', () => {
      this.peerEnded = true;
      this.flow?.endToCache();
    });
    socket.on('error', () => {}); // the close that follows ends the stream
    socket.on('close', () => {
      // A reset arrives without an 'end': the stream still has to end, after whatever was sent before it.
      if (!this.peerEnded) {
        this.peerEnded = true;
        this.flow?.endToCache();
      }
      if (!this.pending) this.destroy();
    });
  }

  /**
   * Sends one request (already serialized) and resolves with its response or the reason there is
   * none. Aborting `signal` (the client hung up) closes the connection, which drops whatever of
   * the answer is still on the link.
   */
  request(bytes: Uint8Array, method: string, signal?: AbortSignal): Promise<OriginResult> {
    if (this.pending) throw new Error('an origin connection carries one request at a time');
    if (signal?.aborted) return Promise.resolve(cancelled(this.target));
    if (!this.alive) return Promise.resolve({ ok: false, kind: 'closed', message: `the connection to ${this.target.hostname} had closed`, beforeResponse: true });
    return new Promise((resolve) => {
      const onAbort = () => {
        this.finish(cancelled(this.target));
        this.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = { resolve, sawBytes: false, delivered: false, timer: null, stopListening: () => signal?.removeEventListener('abort', onAbort) };
      this.parser.expect(method);
      this.flow!.sendToOrigin(bytes);
    });
  }

  /**
   * The read timer measures the origin's silence only: it runs once the request has reached the
   * origin and while none of the origin's bytes are still waiting for or crossing the simulated
   * link. A slow link holds a response far longer than any timeout; that is not the origin's fault.
   */
  private rearmReadTimer(): void {
    const p = this.pending;
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    if (!p.delivered || (this.flow?.inTransitToCache ?? 0) > 0) return;
    p.timer = setTimeout(() => {
      this.finish({ ok: false, kind: 'timeout', message: `${this.target.hostname} sent nothing for ${this.readTimeoutMs / 1000} s`, beforeResponse: !p.sawBytes });
      this.destroy();
    }, this.readTimeoutMs);
    p.timer.unref?.();
  }

  /** Bytes (or the end) that crossed the link from the origin. */
  private arrived(bytes: Uint8Array | null): void {
    if (this.dead) return;
    if (!this.pending) {
      // Nothing was asked: an idle connection's end is normal, stray bytes are not.
      this.destroy();
      return;
    }
    const events = bytes ? this.parser.push(bytes) : this.parser.end();
    for (const ev of events) {
      if (ev.type === 'response') {
        const r = ev.response;
        const keepAlive = bytes !== null && r.framing !== 'close' && !hasToken(r.headers, 'connection', 'close') && (r.version === 'HTTP/1.1' || hasToken(r.headers, 'connection', 'keep-alive'));
        const reusable = keepAlive && this.alive && this.parser.buffered === 0 && (this.flow?.idle ?? false);
        this.finish({ ok: true, response: r, reusable });
        if (!reusable) this.destroy();
        return;
      }
      if (ev.type === 'error') {
        const tooLarge = ev.problem.code === 'body-too-large';
        this.finish({
          ok: false,
          kind: tooLarge ? 'too-large' : 'invalid',
          message: tooLarge
            ? `the response from ${this.target.hostname} is larger than ${this.maxResponseBytes} bytes, the most the web cache passes on in one response (${ev.problem.message})`
            : `${this.target.hostname} sent an answer that is not valid HTTP: ${ev.problem.message}`,
          beforeResponse: false,
        });
        this.destroy();
        return;
      }
    }
    if (bytes === null && this.pending) {
      const before = !this.pending.sawBytes;
      this.finish({ ok: false, kind: 'closed', message: before ? `${this.target.hostname} closed the connection without answering` : `${this.target.hostname} closed the connection in the middle of its answer`, beforeResponse: before });
      this.destroy();
      return;
    }
    this.rearmReadTimer();
  }

  private finish(result: OriginResult): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    if (p.timer) clearTimeout(p.timer);
    p.stopListening();
    p.resolve(result);
  }

  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    this.flow?.close();
    this.socket.destroy();
    this.finish({ ok: false, kind: 'closed', message: `the connection to ${this.target.hostname} was closed`, beforeResponse: true });
  }
}

function cancelled(target: OriginTarget): OriginResult {
  return { ok: false, kind: 'cancelled', message: `the client closed its connection before ${target.hostname} had answered, so the cache stopped waiting`, beforeResponse: true };
}
