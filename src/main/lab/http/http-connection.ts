// One accepted HTTP socket: bytes in go to the sans-IO engine (HttpServerConnection), each whole
// request goes to the app, each answer goes back through the engine, which says what to write and
// whether to close. The engine keeps no timers; this keeps exactly one per connection, set to the
// engine's `deadline`, so a slow client gets its 408 and an idle one its close on time. The timer
// is re-armed lazily: a deadline that moves later (every answered request moves the idle one)
// leaves it as it is, and when it fires early it just sets itself to the deadline of that moment.

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
  /**
   * Take a client that ends its side (FIN) while answers are owed as gone, and abort the exchange
   * signal, as proxies do (Squid's half_closed_clients off, nginx's 499): a client that quits sends
   * no more than a FIN, which TCP cannot tell from a half-close until something is written back.
   * Off, only a closed or reset connection aborts it, and a half-closed client still gets its answer.
   */
  abortOnClientEnd?: boolean;
}

export class HttpSocketConnection {
  private readonly engine: HttpServerConnection;
  private readonly socket: net.Socket;
  private timer: NodeJS.Timeout | null = null;
  /** When `timer` fires (ms on the `now` clock). */
  private timerAt = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;
  private readingPaused = false;
  private ending = false;
  /** Aborted when the client is gone: the apps still answering this connection may give up. */
  private readonly closed = new AbortController();
  /** Requests handed to the app and not yet answered. */
  private owed = 0;
  /** Answers the app gave at once, waiting for writeAnswersAtOnce (see answer()). */
  private readonly answeredAtOnce: Array<{ request: HttpRequest; response: HttpResponseInit }> = [];
  private writingAnswers = false;

  constructor(private readonly options: HttpConnectionOptions) {
    this.socket = options.socket;
    const engineOptions: ConstructorParameters<typeof HttpServerConnection>[0] = { now: options.now(), limits: options.limits ?? {} };
    if (options.serverName !== undefined) engineOptions.serverName = options.serverName;
    this.engine = new HttpServerConnection(engineOptions);
    this.socket.on('data', (chunk: Buffer) => this.guarded(() => this.handle(this.engine.receive(chunk, this.options.now()))));
    this.socket.on('end', () => {
      if (this.options.abortOnClientEnd && this.owed > 0) this.closed.abort(new Error('the client closed its side of the connection before its answer'));
      this.guarded(() => this.handle(this.engine.peerEnded(this.options.now())));
    });
    this.socket.once('close', () => {
      this.clearTimers();
      this.closed.abort(new Error('the client closed the connection'));
    });
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
      signal: this.closed.signal,
    };
    this.owed++;
    let answered: Promise<HttpResponseInit> | HttpResponseInit;
    try {
      answered = this.options.app(exchange);
    } catch (err) {
      answered = Promise.reject(err);
    }
    // An answer given at once (a page in the memory cache) is written at once: a promise turn per
    // request cost a fifth of a keep-alive GET. It is queued, not written from here, because
    // writing it releases the next pipelined request, whose answer would come back through here:
    // one chunk can hold hundreds of requests, and the stack would grow by one answer each.
    if (!isPromiseLike(answered)) {
      this.answeredAtOnce.push({ request, response: answered });
      if (!this.writingAnswers) this.writeAnswersAtOnce();
      return;
    }
    answered.then(
      (response) => this.respond(request, response),
      (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        this.options.log(`${request.method} ${request.target} failed: ${why}`);
        this.respond(request, statusResponse(500, { method: request.method, target: request.target, detail: `the site failed while answering: ${why}`, close: true }));
      },
    );
  }

  /** Writes the queued answers in order, and those their writing released; one loop, however many. */
  private writeAnswersAtOnce(): void {
    this.writingAnswers = true;
    try {
      for (let next = this.answeredAtOnce.shift(); next; next = this.answeredAtOnce.shift()) this.respond(next.request, next.response);
    } finally {
      // Only a throw leaves answers here (guarded() catches all today): never write them later, out of order.
      this.writingAnswers = false;
      this.answeredAtOnce.length = 0;
    }
  }

  private respond(request: HttpRequest, response: HttpResponseInit): void {
    this.owed--;
    this.guarded(() => {
      if (this.ending) return;
      const result = this.engine.respond(request, response, this.options.now());
      if (result.problem) this.options.log(`${request.method} ${request.target}: ${result.problem}`);
      this.write(result.bytes);
      if (result.close) this.finish();
      else this.handle(result.events);
    });
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

  /**
   * After every step: reading paused or not, and the one timer set no later than the engine's next
   * deadline. A timer already set to fire at or before the deadline is kept (it re-arms when it
   * fires); with no deadline (a response is owed) a set timer is kept too and finds nothing to do.
   */
  private settle(): void {
    if (this.socket.destroyed) return;
    const pause = !this.ending && (this.waitingForDrain || this.engine.readPaused);
    if (pause !== this.readingPaused) {
      this.readingPaused = pause;
      if (pause) this.socket.pause();
      else this.socket.resume();
    }
    const deadline = this.ending ? null : this.engine.deadline;
    if (deadline === null || (this.timer !== null && this.timerAt <= deadline)) return;
    this.clearTimer();
    // At least 1 ms: a timer that fires a hair early (timers and Date.now() differ) just sets itself again.
    const delay = Math.max(1, deadline - this.options.now());
    this.timerAt = this.options.now() + delay;
    this.timer = setTimeout(() => this.onDeadline(), delay);
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

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
