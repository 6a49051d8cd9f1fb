// One TCP connection of the `http` command: requests go out as bytes, the responses come back
// through the HTTP module's ResponseParser, one awaited at a time, in the order the requests were
// sent (which is what makes pipelining work: RFC 9112 §9.3.2). It also times each exchange and
// notices when the server closes.

import { concatBytes } from '../../../../protocols/core/bytes';
import { ResponseParser, type ParsedResponse, type ResponseHead } from '../../../../protocols/http/parser';
import type { HttpProblem } from '../../../../protocols/http/problems';
import type { RawConnection, ResolvedTarget } from '../types';

/**
 * Longest silence while a response is awaited: no byte for this long and the command gives up on
 * the connection. Ten seconds is far beyond any loopback server, and short enough that a student who
 * points `http` at a server that never answers (discard) is not left waiting.
 */
export const HTTP_RESPONSE_TIMEOUT_MS = 10_000;

/**
 * Body bytes kept per response (1 MiB): every text page and image of the lab world fits. A larger
 * body is still read to its end, so the connection stays usable, and counted, but not stored.
 */
export const HTTP_MAX_KEPT_BODY = 1024 * 1024;

/**
 * After the command sends FIN on a connection it is done with, how long the server gets to close
 * its side before the connection is dropped. A server closes at once on FIN (RFC 9112 §9.6); this
 * only bounds one that does not.
 */
export const HTTP_CLOSE_GRACE_MS = 2_000;

/** The first bytes a connection received, shown when they turn out not to be HTTP. */
export const HTTP_FIRST_BYTES_SHOWN = 200;

export interface ExchangeTiming {
  /** When the request was written (performance.now()). */
  sentAt: number;
  /** From sending to the first byte of the response. */
  firstByteMs?: number;
  /** From sending to the last byte of the response. */
  totalMs?: number;
}

export type ResponseOutcome =
  | { kind: 'response'; response: ParsedResponse; interim: ParsedResponse[]; timing: ExchangeTiming }
  | { kind: 'malformed'; problem: HttpProblem; firstBytes?: Uint8Array; head?: ResponseHead }
  /** The connection closed before the response was complete; `problem` says where it was cut. */
  | { kind: 'closed'; receivedBytes: number; head?: ResponseHead; error?: string; problem?: HttpProblem }
  | { kind: 'timeout'; receivedBytes: number; head?: ResponseHead }
  | { kind: 'aborted' };

interface PendingExchange {
  timing: ExchangeTiming;
  interim: ParsedResponse[];
  /** Bytes of this response received so far (approximate across pipelined responses). */
  received: number;
}

type Settled = Exclude<ResponseOutcome, { kind: 'aborted' } | { kind: 'timeout' }>;
type ClosedOutcome = Extract<ResponseOutcome, { kind: 'closed' }>;

export class HttpConnection {
  /** Requests written on this connection so far. */
  requestsSent = 0;
  /** The server closed, or the connection failed: nothing more will arrive. */
  closed = false;
  private closeError: string | undefined;
  private readonly parser: ResponseParser;
  private readonly pending: PendingExchange[] = [];
  /** Outcomes that arrived before anyone awaited them, in order. */
  private readonly ready: Settled[] = [];
  private head: ResponseHead | undefined;
  private failed = false;
  private firstBytes: Uint8Array[] = [];
  private firstBytesLength = 0;
  private wake: (() => void) | null = null;
  private lastByteAt = 0;
  /** Final responses parsed on this connection. */
  private answered = 0;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly raw: RawConnection,
    private readonly now: () => number,
    maxKeptBody: number,
  ) {
    // The body limit is the kept limit's job here: a large body is read through, not refused.
    this.parser = new ResponseParser({ maxKeptBody, limits: { maxBody: Number.MAX_SAFE_INTEGER } });
    raw.onData((bytes) => this.received(bytes));
    raw.onClose((info) => this.onClosed(info));
  }

  get target(): ResolvedTarget {
    return this.raw.target;
  }

  /** Writes one request and tells the parser to expect its answer. */
  send(bytes: Uint8Array, method: string): void {
    this.parser.expect(method);
    this.pending.push({ timing: { sentAt: this.now() }, interim: [], received: 0 });
    this.requestsSent++;
    this.raw.write(bytes);
  }

  /**
   * The next response, in request order. Gives up after `timeoutMs` without a byte arriving, and
   * when `signal` aborts (the connection is then destroyed).
   */
  async next(signal: AbortSignal, timeoutMs: number): Promise<ResponseOutcome> {
    this.lastByteAt = this.now();
    for (;;) {
      const outcome = this.ready.shift();
      if (outcome) return outcome;
      if (signal.aborted) {
        this.destroy();
        return { kind: 'aborted' };
      }
      if (this.closed || this.failed) return { kind: 'closed', receivedBytes: 0 };
      const waited = await this.waitForEvent(signal, Math.max(0, this.lastByteAt + timeoutMs - this.now()));
      if (waited === 'timeout' && this.ready.length === 0 && !this.closed) {
        const current = this.pending[0];
        return { kind: 'timeout', receivedBytes: current?.received ?? 0, ...(this.head ? { head: this.head } : {}) };
      }
    }
  }

  /** Sends FIN and lets the server close its side; drops the connection if it has not after `graceMs`. */
  close(graceMs: number): void {
    if (this.closed || this.graceTimer !== undefined) return;
    this.raw.end();
    this.graceTimer = setTimeout(() => this.raw.destroy(), graceMs);
  }

  destroy(): void {
    this.raw.destroy();
  }

  private waitForEvent(signal: AbortSignal, ms: number): Promise<'event' | 'timeout' | 'aborted'> {
    return new Promise((resolve) => {
      const done = (result: 'event' | 'timeout' | 'aborted'): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = null;
        resolve(result);
      };
      const onAbort = (): void => done('aborted');
      // Any byte wakes the wait (and restarts the clock), so the timer firing means silence.
      const timer = setTimeout(() => done('timeout'), ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = () => done('event');
    });
  }

  private notify(): void {
    this.wake?.();
  }

  private received(bytes: Uint8Array): void {
    if (this.failed) return;
    const at = this.now();
    this.lastByteAt = at;
    if (this.firstBytesLength < HTTP_FIRST_BYTES_SHOWN) {
      const part = bytes.subarray(0, HTTP_FIRST_BYTES_SHOWN - this.firstBytesLength);
      this.firstBytes.push(part.slice());
      this.firstBytesLength += part.length;
    }
    const current = this.pending[0];
    if (current) {
      current.received += bytes.length;
      current.timing.firstByteMs ??= at - current.timing.sentAt;
    }
    this.handle(this.parser.push(bytes), at, false);
    this.notify();
  }

  private handle(events: ReturnType<ResponseParser['push']>, at: number, closing: boolean): void {
    for (const event of events) {
      switch (event.type) {
        case 'head':
          this.head = event.head;
          break;
        case 'interim':
          this.pending[0]?.interim.push(event.response);
          this.head = undefined;
          break;
        case 'response': {
          const exchange = this.pending.shift();
          this.head = undefined;
          if (!exchange) break;
          exchange.timing.totalMs = at - exchange.timing.sentAt;
          this.answered++;
          this.ready.push({ kind: 'response', response: event.response, interim: exchange.interim, timing: exchange.timing });
          // The next response began in the same segment when the parser holds bytes of it already.
          const next = this.pending[0];
          if (next && this.parser.phase !== 'idle') next.timing.firstByteMs ??= at - next.timing.sentAt;
          break;
        }
        case 'error': {
          this.failed = true;
          const exchange = this.pending.shift();
          if (closing && event.problem.code === 'incomplete-message') {
            // Not a malformed response: a complete-looking start, then the server hung up.
            this.ready.push(this.closedOutcome(exchange, event.problem));
            break;
          }
          this.ready.push({
            kind: 'malformed',
            problem: event.problem,
            ...(this.answered === 0 ? { firstBytes: concatBytes(this.firstBytes) } : {}),
            ...(this.head ? { head: this.head } : {}),
          });
          break;
        }
      }
    }
  }

  private closedOutcome(exchange: PendingExchange | undefined, problem?: HttpProblem): ClosedOutcome {
    const closed: ClosedOutcome = { kind: 'closed', receivedBytes: exchange?.received ?? 0 };
    if (this.head) closed.head = this.head;
    if (this.closeError !== undefined) closed.error = this.closeError;
    if (problem) closed.problem = problem;
    return closed;
  }

  private onClosed(info: { byPeer: boolean; error?: string }): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.graceTimer);
    this.closeError = info.error;
    if (!this.failed) this.handle(this.parser.end(), this.now(), true);
    // The response being awaited will never come; later pipelined ones neither (next() says so).
    if (!this.failed && this.pending.length > 0) this.ready.push(this.closedOutcome(this.pending.shift()));
    this.notify();
  }
}
