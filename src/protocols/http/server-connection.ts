// The sans-IO server engine for one HTTP/1.x connection. The socket adapter feeds it bytes and the
// time, hands each request to the site (or the proxy) and passes the answer to `respond`, calls
// `tick` when `deadline` passes, and writes and closes exactly as told. No sockets, no timers.
//
//   receive(bytes, now)            -> ServerEvent[]   requests, 100 Continue, protocol errors
//   respond(request, response, now) -> { bytes, close, events }   answers in request order
//   tick(now)                       -> { bytes?, close }         header/body timeout 408, idle close
//   peerEnded(now)                  -> ServerEvent[]
//
// Pipelining (RFC 9112 §9.3.2): requests that arrive while one is being answered are parsed and
// held, in order; each `respond` releases the next one, so responses leave in request order.

import { assertNever } from '../core/assert-never';
import { concatBytes, utf8ToBytes } from '../core/bytes';
import { transition } from '../core/state-machine';
import { hasToken, toHeaderList } from './headers';
import { httpLimits, type HttpLimits } from './limits';
import { RequestParser, type ParsedRequest, type RequestParserEvent } from './parser';
import { HTTP_SERVER_NAME, clientWantsPersistence, prepareResponse, type HttpResponseInit } from './persistence';
import { httpProblem, type HttpProblem } from './problems';
import { HTTP_INITIAL_STATE, HTTP_TRANSITIONS, type HttpConnectionEvent, type HttpConnectionState } from './states';
import { statusPage } from './status';
import { parseRequestTarget, type RequestTarget } from './target';
import { serializeResponse } from './serialize';
import { formatHttpDate } from './dates';

export interface HttpRequest extends ParsedRequest {
  /** 1-based position of the request on its connection. */
  index: number;
  /** When its first byte arrived, and when its last one did. */
  startedAt: number;
  receivedAt: number;
  /** The client asked for the connection to stay open (RFC 9112 §9.3). */
  keepAlive: boolean;
  parsedTarget: RequestTarget;
}

export type ServerEvent =
  /** A whole request for the application; answer it with `respond`. */
  | { type: 'request'; request: HttpRequest }
  /** Write this interim `100 Continue` now: the client waits for it before sending its body. */
  | { type: 'continue'; bytes: Uint8Array }
  /** The request stream was malformed: write the error response, then close. */
  | { type: 'error'; problem: HttpProblem; bytes: Uint8Array; close: true }
  /** Close without writing anything (the client went away while the connection was idle). */
  | { type: 'close'; reason: string };

export interface RespondResult {
  /** The response, and after it any error response for a held malformed request. */
  bytes: Uint8Array;
  /** Close once `bytes` (and the events' bytes) are written. */
  close: boolean;
  /** What the answer released: the next held request, or a 100 Continue for one now arriving. */
  events: ServerEvent[];
  /** Why nothing (or a 500) was sent: the wrong request was answered, or the response was invalid. */
  problem?: string;
}

export interface TickResult {
  bytes?: Uint8Array;
  close: boolean;
  reason?: string;
}

export interface HttpServerOptions {
  /** When the connection was accepted (ms since the epoch). */
  now: number;
  limits?: Partial<HttpLimits>;
  /** The Server header value (default HTTP_SERVER_NAME). */
  serverName?: string;
}

type Held = { kind: 'request'; request: HttpRequest } | { kind: 'error'; problem: HttpProblem };

const EMPTY = new Uint8Array(0);

export class HttpServerConnection {
  private readonly limits: HttpLimits;
  private readonly serverName: string;
  private readonly parser: RequestParser;
  private current: HttpRequest | null = null;
  private readonly held: Held[] = [];
  private paused: Uint8Array[] = [];
  private pausedBytes = 0;
  private connState: HttpConnectionState = HTTP_INITIAL_STATE;
  private nextIndex = 1;
  private served = 0;
  private idleSince: number;
  private messageStartedAt: number;
  private lastByteAt: number;
  private lastResponseAt: number;
  private peerHasEnded = false;
  /** Moves the table did not allow; kept for tests and the log, never thrown. */
  readonly faults: string[] = [];

  constructor(options: HttpServerOptions) {
    this.limits = httpLimits(options.limits);
    this.serverName = options.serverName ?? HTTP_SERVER_NAME;
    this.parser = new RequestParser({ limits: this.limits });
    this.idleSince = options.now;
    this.messageStartedAt = options.now;
    this.lastByteAt = options.now;
    this.lastResponseAt = options.now;
  }

  get state(): HttpConnectionState {
    return this.connState;
  }

  /** Requests answered so far. */
  get responsesSent(): number {
    return this.served;
  }

  /** Pipelined requests waiting behind the one being answered. */
  get heldRequests(): number {
    return this.held.length;
  }

  /** The adapter should stop reading the socket until the next `respond` (too many requests held). */
  get readPaused(): boolean {
    return this.held.length >= this.limits.maxPipelinedRequests;
  }

  /** When `tick` next has something to do, or null while the application owes a response. */
  get deadline(): number | null {
    switch (this.connState) {
      case 'idle':
        return this.idleSince + (this.served === 0 ? this.limits.headerTimeoutMs : this.limits.keepAliveTimeoutMs);
      case 'reading-head':
        return Math.max(this.messageStartedAt, this.lastResponseAt) + this.limits.headerTimeoutMs;
      case 'reading-body':
        return this.lastByteAt + this.limits.bodyTimeoutMs;
      default:
        return null;
    }
  }

  receive(bytes: Uint8Array, now: number): ServerEvent[] {
    const events: ServerEvent[] = [];
    this.ingest(bytes, now, events);
    return events;
  }

  respond(request: HttpRequest, response: HttpResponseInit, now: number): RespondResult {
    const current = this.current;
    if (this.connState === 'closed') return { bytes: EMPTY, close: true, events: [], problem: 'the connection is already closed' };
    if (!current || current.index !== request.index) {
      const problem = current
        ? `request #${request.index} was answered, but #${current.index} is the one waiting: HTTP/1.1 answers requests in the order they came`
        : `request #${request.index} was answered, but no request is waiting for an answer`;
      return { bytes: EMPTY, close: false, events: [], problem };
    }
    const responseSaysClose = response.close === true || hasToken(toHeaderList(response.headers), 'connection', 'close');
    const lastAllowed = current.index >= this.limits.maxRequestsPerConnection;
    const nothingAfter = this.peerHasEnded && this.held[0]?.kind !== 'request';
    const keepAlive = current.keepAlive && !responseSaysClose && !lastAllowed && !nothingAfter;
    const prepared = prepareResponse(current, response, {
      now,
      keepAlive,
      keepAliveTimeoutS: Math.round(this.limits.keepAliveTimeoutMs / 1000),
      remainingRequests: this.limits.maxRequestsPerConnection - current.index,
      serverName: this.serverName,
    });
    this.served++;
    this.current = null;
    this.lastResponseAt = now;
    const base = prepared.problem ? { problem: prepared.problem } : {};
    if (!keepAlive) {
      this.move('respond-close');
      this.held.length = 0;
      this.paused = [];
      this.pausedBytes = 0;
      return { bytes: prepared.bytes, close: true, events: [], ...base };
    }
    this.move('respond-keep-alive');
    this.idleSince = now;
    const events: ServerEvent[] = [];
    const extra = this.release(now, events);
    const closed = this.state === 'closed';
    return { bytes: extra.length > 0 ? concatBytes([prepared.bytes, ...extra]) : prepared.bytes, close: closed, events, ...base };
  }

  tick(now: number): TickResult {
    const deadline = this.deadline;
    if (deadline === null || now < deadline) return { close: false };
    switch (this.connState) {
      case 'idle': {
        const waited = this.served === 0 ? this.limits.headerTimeoutMs : this.limits.keepAliveTimeoutMs;
        this.move('idle-timeout');
        return { close: true, reason: `no request for ${waited / 1000} s: the idle connection was closed` };
      }
      case 'reading-head': {
        const problem = httpProblem('header-timeout', `the request's header section was not finished within ${this.limits.headerTimeoutMs / 1000} s (a blank line ends it)`, { rfc: 'RFC 9110 §15.5.9' });
        this.move('header-timeout');
        return { bytes: this.errorBytes(problem, now), close: true, reason: problem.message };
      }
      case 'reading-body': {
        const problem = httpProblem('body-timeout', `no byte of the request body arrived for ${this.limits.bodyTimeoutMs / 1000} s`, { rfc: 'RFC 9110 §15.5.9' });
        this.move('body-timeout');
        return { bytes: this.errorBytes(problem, now), close: true, reason: problem.message };
      }
      default:
        return { close: false };
    }
  }

  peerEnded(now: number): ServerEvent[] {
    this.peerHasEnded = true;
    switch (this.connState) {
      case 'idle':
        this.parser.end();
        this.move('peer-end');
        return [{ type: 'close', reason: 'the client closed the connection' }];
      case 'reading-head':
      case 'reading-body': {
        const ended = this.parser.end();
        const problem = ended.find((e): e is Extract<RequestParserEvent, { type: 'error' }> => e.type === 'error')?.problem
          ?? httpProblem('incomplete-message', 'the connection ended in the middle of the request');
        this.move('peer-end');
        return [{ type: 'error', problem, bytes: this.errorBytes(problem, now), close: true }];
      }
      case 'awaiting-response':
        this.move('peer-end');
        return [];
      case 'draining':
      case 'closed':
        return [];
      default:
        return assertNever(this.connState, 'connection state');
    }
  }

  private move(event: HttpConnectionEvent): boolean {
    // The table itself first (a few moves per request); `transition` words the error for a move it lacks.
    const to = HTTP_TRANSITIONS[this.connState]?.[event];
    if (to !== undefined) {
      this.connState = to;
      return true;
    }
    const step = transition(HTTP_TRANSITIONS, this.connState, event);
    if (!step.ok) {
      this.faults.push(step.error);
      return false;
    }
    this.connState = step.to;
    return true;
  }

  private errorBytes(problem: HttpProblem, now: number): Uint8Array {
    return errorResponseBytes(problem, now, this.serverName);
  }

  private ingest(bytes: Uint8Array, now: number, events: ServerEvent[]): void {
    if (this.connState === 'closed' || bytes.length === 0) return;
    if (this.readPaused || this.holdsError()) {
      this.paused.push(bytes.slice());
      this.pausedBytes += bytes.length;
      if (this.pausedBytes > this.limits.maxHeldBytes) {
        this.held.length = 0;
        this.current = null;
        this.connState = 'closed';
        events.push({ type: 'close', reason: `the client sent more than ${this.limits.maxHeldBytes} bytes while its earlier requests were still being answered` });
      }
      return;
    }
    if (this.parser.phase === 'idle') this.messageStartedAt = now;
    this.lastByteAt = now;
    const parsed = this.parser.push(bytes);
    for (let i = 0; i < parsed.length; i++) {
      const ev = parsed[i];
      switch (ev.type) {
        case 'head': {
          const completesNow = parsed[i + 1]?.type === 'request';
          const h = ev.head;
          const hasBody = h.framing.kind === 'chunked' || (h.framing.kind === 'length' && h.framing.length > 0);
          if (!completesNow && hasBody && h.version === 'HTTP/1.1' && this.isFront() && hasToken(h.headers, 'expect', '100-continue')) {
            events.push({ type: 'continue', bytes: serializeResponse({ status: 100, headers: [] }) });
          }
          break;
        }
        case 'request': {
          const request = toHttpRequest(ev.request, this.nextIndex++, this.messageStartedAt, now);
          this.messageStartedAt = now;
          if (this.isFront()) this.makeCurrent(request, events);
          else this.held.push({ kind: 'request', request });
          break;
        }
        case 'error':
          if (this.isFront()) this.emitError(ev.problem, now, events);
          else this.held.push({ kind: 'error', problem: ev.problem });
          break;
      }
    }
    this.syncInputState();
  }

  /** A malformed request waits behind the ones being answered: nothing after it is parsed. */
  private holdsError(): boolean {
    for (const h of this.held) if (h.kind === 'error') return true;
    return false;
  }

  /** Nothing is being answered or waiting: the next message is the one at the front. */
  private isFront(): boolean {
    return this.current === null && this.held.length === 0 && this.connState !== 'closed';
  }

  private makeCurrent(request: HttpRequest, events: ServerEvent[]): void {
    this.current = request;
    if (this.connState !== 'draining') this.move('request-complete');
    events.push({ type: 'request', request });
  }

  private emitError(problem: HttpProblem, now: number, events: ServerEvent[]): void {
    this.move('protocol-error');
    events.push({ type: 'error', problem, bytes: this.errorBytes(problem, now), close: true });
  }

  /** After an answer: the next held request, a held error (its bytes returned), then any paused input. */
  private release(now: number, events: ServerEvent[]): Uint8Array[] {
    const extra: Uint8Array[] = [];
    while (this.current === null && this.connState !== 'closed') {
      const next = this.held.shift();
      if (!next) break;
      if (next.kind === 'request') this.makeCurrent(next.request, events);
      else {
        this.move('protocol-error');
        extra.push(this.errorBytes(next.problem, now));
      }
    }
    if (this.current === null && this.connState !== 'closed' && this.paused.length > 0) {
      const input = concatBytes(this.paused);
      this.paused = [];
      this.pausedBytes = 0;
      const before = events.length;
      this.ingest(input, now, events);
      // An error found in the paused bytes goes out with this answer, in order.
      for (let i = before; i < events.length; i++) {
        const ev = events[i];
        if (ev.type === 'error') {
          extra.push(ev.bytes);
          events.splice(i, 1);
          i--;
        }
      }
    }
    if (this.current === null && this.connState === 'draining') this.move('drained');
    this.syncInputState();
    return extra;
  }

  /** Follows the parser into reading-head / reading-body for the request at the front. */
  private syncInputState(): void {
    if (!this.isFront()) return;
    const phase = this.parser.phase;
    if (this.connState === 'idle' && (phase === 'head' || phase === 'body')) this.move('request-bytes');
    if (this.connState === 'reading-head' && phase === 'body') this.move('head-with-body');
  }
}

/**
 * The parsed request with its place on the connection. Written out rather than spread: this runs
 * once per request, and spreading the parsed request was the largest single cost of a static GET.
 */
function toHttpRequest(parsed: ParsedRequest, index: number, startedAt: number, receivedAt: number): HttpRequest {
  const request: HttpRequest = {
    head: parsed.head,
    headers: parsed.headers,
    framing: parsed.framing,
    body: parsed.body,
    chunks: parsed.chunks,
    trailers: parsed.trailers,
    wireLength: parsed.wireLength,
    notes: parsed.notes,
    method: parsed.method,
    target: parsed.target,
    targetForm: parsed.targetForm,
    version: parsed.version,
    versionText: parsed.versionText,
    simple: parsed.simple,
    index,
    startedAt,
    receivedAt,
    keepAlive: clientWantsPersistence(parsed.version, parsed.headers),
    parsedTarget: parseRequestTarget(parsed.target, parsed.targetForm),
  };
  if (parsed.droppedBody !== undefined) request.droppedBody = parsed.droppedBody;
  return request;
}

/** The educational error response for a problem: its status, a page saying what was wrong, and Connection: close. */
export function errorResponseBytes(problem: HttpProblem, now: number, serverName = HTTP_SERVER_NAME): Uint8Array {
  const page = statusPage(problem.status, { detail: problem.message });
  const body = utf8ToBytes(page.body);
  return serializeResponse({
    status: problem.status,
    headers: [
      { name: 'Date', value: formatHttpDate(now) },
      { name: 'Server', value: serverName },
      { name: 'Content-Length', value: String(body.length) },
      { name: 'Connection', value: 'close' },
      { name: 'Content-Type', value: page.contentType },
    ],
    body,
  });
}
