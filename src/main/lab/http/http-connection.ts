// One accepted HTTP socket: bytes in go to the sans-IO engine (HttpServerConnection), each whole
// request goes to the app, each answer goes back through the engine, which says what to write and
// whether to close. The engine keeps no timers; this keeps exactly one per connection, set to the
// engine's `deadline`, so a slow client gets its 408 and an idle one its close on time.

import type net from 'node:net';
import type { HttpLimits } from '../../../protocols/http/limits';
import type { HttpResponseInit } from '../../../protocols/http/persistence';
import { statusResponse } from '../../../protocols/http/responses';
import { HttpServerConnection, type HttpRequest, type ServerEvent } from '../../../protocols/http/server-connection';
import type { HttpApp, HttpExchange } from './app';

/**
 * After the server ends a connection it keeps reading (and dropping) what the client still sends
 * for this long before it resets the socket. Closing a socket with unread input makes TCP send a
 * reset, which can destroy the response the client has not read yet (RFC 9112 §9.6); Apache's
 * lingering close waits 2 s (SECONDS_TO_LINGER) the same way.
 */
export const HTTP_LINGER_MS = 2_000;

export interface HttpConnectionOptions {
  socket: net.Socket;
  app: HttpApp;
  now: () => number;
  listener: HttpExchange['listener'];
  limits?: Partial<HttpLimits>;
  serverName?: string;
  /** Something went wrong that only the log should hear about (an app failure, an invalid response). */
  log: (message: string) => void;
}

export class HttpSocketConnection {
  private readonly engine: HttpServerConnection;
  private readonly socket: net.Socket;
  private timer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;
  private readingPaused = false;
  private ending = false;

  constructor(private readonly options: HttpConnectionOptions) {
    this.socket = options.socket;
    const engineOptions: ConstructorParameters<typeof HttpServerConnection>[0] = { now: options.now(), limits: options.limits ?? {} };
    if (options.serverName !== undefined) engineOptions.serverName = options.serverName;
    this.engine = new HttpServerConnection(engineOptions);
    this.socket.on('data', (chunk: Buffer) => this.guarded(() => this.handle(this.engine.receive(chunk, this.options.now()))));
    this.socket.on('end', () => this.guarded(() => this.handle(this.engine.peerEnded(this.options.now()))));
    this.socket.once('close', () => this.clearTimers());
    this.settle();
  }

  /** Stops the timers; the service destroys the socket itself. */
  dispose(): void {
    this.clearTimers();
  }

  /** An engine bug must cost one connection, not the lab: the socket is reset with the reason. */
  private guarded(step: () => void): void {
    if (this.socket.destroyed) return;
    try {
      step();
      this.settle();
    } catch (err) {
      this.clearTimers();
      this.socket.destroy(new Error(`the HTTP engine failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  private handle(events: readonly ServerEvent[]): void {
    for (const ev of events) {
      if (this.ending) return;
      switch (ev.type) {
        case 'request':
          this.answer(ev.request);
          break;
        case 'continue':
          this.write(ev.bytes);
          break;
        case 'error':
          this.write(ev.bytes);
          this.finish();
          break;
        case 'close':
          this.finish();
          break;
      }
    }
  }

  /** Hands the request to the app; its answer (or a 500 when it fails) goes back through the engine. */
  private answer(request: HttpRequest): void {
    const exchange: HttpExchange = {
      request,
      listener: this.options.listener,
      client: { address: this.socket.remoteAddress ?? '', port: this.socket.remotePort ?? 0 },
      now: this.options.now(),
    };
    Promise.resolve()
      .then(() => this.options.app(exchange))
      .catch((err: unknown): HttpResponseInit => {
        const why = err instanceof Error ? err.message : String(err);
        this.options.log(`${request.method} ${request.target} failed: ${why}`);
        return statusResponse(500, { method: request.method, target: request.target, detail: `the site failed while answering: ${why}`, close: true });
      })
      .then((response) =>
        this.guarded(() => {
          if (this.ending) return;
          const result = this.engine.respond(request, response, this.options.now());
          if (result.problem) this.options.log(`${request.method} ${request.target}: ${result.problem}`);
          this.write(result.bytes);
          if (result.close) this.finish();
          else this.handle(result.events);
        }),
      );
  }

  private write(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.socket.destroyed || this.socket.writableEnded) return;
    // Respect backpressure: a client that does not read its responses is not read from either.
    if (!this.socket.write(bytes) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.socket.once('drain', () => {
        this.waitingForDrain = false;
        this.settle();
      });
    }
  }

  /** Ends our side, then lingers: reads and drops the rest until the client closes, or resets after HTTP_LINGER_MS. */
  private finish(): void {
    if (this.ending) return;
    this.ending = true;
    this.clearTimer();
    this.socket.end();
    this.lingerTimer = setTimeout(() => this.socket.destroy(), HTTP_LINGER_MS);
    this.lingerTimer.unref();
  }

  /** After every step: reading paused or not, and the one timer set to the engine's next deadline. */
  private settle(): void {
    if (this.socket.destroyed) return;
    const pause = !this.ending && (this.waitingForDrain || this.engine.readPaused);
    if (pause !== this.readingPaused) {
      this.readingPaused = pause;
      if (pause) this.socket.pause();
      else this.socket.resume();
    }
    this.clearTimer();
    const deadline = this.ending ? null : this.engine.deadline;
    if (deadline === null) return;
    // At least 1 ms: a timer that fires a hair early (timers and Date.now() differ) just sets itself again.
    this.timer = setTimeout(() => this.onDeadline(), Math.max(1, deadline - this.options.now()));
    this.timer.unref();
  }

  private onDeadline(): void {
    this.timer = null;
    this.guarded(() => {
      const result = this.engine.tick(this.options.now());
      if (result.bytes) this.write(result.bytes);
      if (result.close) this.finish();
    });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private clearTimers(): void {
    this.clearTimer();
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }
}
