// `http [OPTIONS] URL...`: a minimal curl that shows its work. For each URL it says whether it
// opens a new TCP connection or reuses the one left open, shows the request byte for byte, the
// response head the same way and the body (a preview, or a summary for binary data), times the
// exchange, and says whether the connection stays open and why: persistent and non-persistent
// HTTP, pipelining, proxies and cookies as the course teaches them, on the lab's own servers.
// Every connection goes through the shell's connector, so the capture sees it like any other.

import { getHeaderValues } from '../../../../protocols/http/headers';
import { isIdempotent } from '../../../../protocols/http/methods';
import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';
import type { ResolvedTarget } from '../types';
import { HTTP_HELP, HTTP_USAGE, parseHttpArgs, type HttpInvocation, type HttpUrl } from './http-args';
import { HTTP_CLOSE_GRACE_MS, HTTP_MAX_KEPT_BODY, HTTP_RESPONSE_TIMEOUT_MS, HttpConnection, type ResponseOutcome } from './http-connection';
import { CookieJar } from './http-cookies';
import { buildRequest, connectionAfter, type BuiltRequest, type ConnectionVerdict } from './http-request';
import { describeFraming, formatBytes, formatHead, formatMs, RECEIVED_PREFIX, safeText, SENT_PREFIX, viewBody } from './http-show';
import { describeNameLookup, nameLookupOf } from './name-lookup';
import { refusedHint } from './open';

export interface HttpCommandOptions {
  /** Silence allowed while a response is awaited (default HTTP_RESPONSE_TIMEOUT_MS). */
  responseTimeoutMs?: number;
  /** Body bytes kept per response (default HTTP_MAX_KEPT_BODY). */
  maxKeptBody?: number;
  /** Time the server gets to close after the command's FIN (default HTTP_CLOSE_GRACE_MS). */
  closeGraceMs?: number;
  /** Monotonic milliseconds, for timing exchanges. */
  now?: () => number;
  /** Wall-clock milliseconds since the epoch, for cookie expiry. */
  wallClock?: () => number;
}

interface Settings {
  responseTimeoutMs: number;
  maxKeptBody: number;
  closeGraceMs: number;
  now: () => number;
  wallClock: () => number;
}

/** Where a request's TCP connection goes: the URL's server, or the proxy for every URL with -x. */
interface Endpoint {
  key: string;
  host: string;
  port: number;
  proxy: boolean;
}

function endpointOf(inv: HttpInvocation, url: HttpUrl): Endpoint {
  if (inv.proxy) return { key: `proxy ${inv.proxy.host}:${inv.proxy.port}`, host: inv.proxy.host, port: inv.proxy.port, proxy: true };
  return { key: `${url.host}:${url.port}`, host: url.host, port: url.port, proxy: false };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `gaia.cs.umass.edu (128.119.245.12) port 80`, with the proxy named as such. */
function describePlace(target: ResolvedTarget, proxy: boolean): string {
  const name = target.hostname ?? target.host;
  const address = name === target.virtualAddress ? '' : ` (${target.virtualAddress})`;
  return `${proxy ? 'the proxy ' : ''}${name}${address} port ${target.virtualPort}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

class HttpRun {
  private open: { endpoint: Endpoint; connection: HttpConnection } | undefined;
  private readonly jar: CookieJar | undefined;

  constructor(
    private readonly ctx: ShellContext,
    private readonly inv: HttpInvocation,
    private readonly settings: Settings,
  ) {
    this.jar = inv.cookieJar ? new CookieJar() : undefined;
  }

  private get aborted(): boolean {
    return this.ctx.signal.aborted;
  }

  private say(text: string): void {
    this.ctx.println(`* ${text}`);
  }

  async run(): Promise<void> {
    try {
      if (this.inv.pipeline) {
        await this.pipelined(this.inv.urls);
      } else {
        const urls = this.inv.urls;
        for (let i = 0; i < urls.length && !this.aborted; i++) await this.fetchOne(urls[i]!, urls[i + 1]);
      }
    } finally {
      // Ctrl-C: nothing of this command may outlive it.
      if (this.aborted) this.open?.connection.destroy();
    }
  }

  // --- one URL at a time ----------------------------------------------------------------------

  private async fetchOne(url: HttpUrl, next: HttpUrl | undefined): Promise<void> {
    const endpoint = endpointOf(this.inv, url);
    const connection = await this.connectionFor(endpoint);
    if (!connection) return;
    const reused = connection.requestsSent > 0;
    const request = this.buildFor(url);
    if (!this.send(connection, request)) return;
    let outcome = await connection.next(this.ctx.signal, this.settings.responseTimeoutMs);
    const closedUnanswered = reused && outcome.kind === 'closed' && outcome.receivedBytes === 0 && !outcome.head && !this.aborted;
    if (closedUnanswered && !isIdempotent(request.method)) {
      // The server may have acted on it before closing: only the student can decide to send it again.
      this.say(`the server closed that connection without answering (its keep-alive time may have run out); a ${request.method} is not sent again on its own, as the server may already have acted on it (RFC 9112 §9.3.1): run the command again to resend it`);
    } else if (closedUnanswered) {
      // The server closed the idle connection just as the request went out (RFC 9112 §9.3.1
      // allows a client to retry an idempotent request then); curl does the same.
      this.say('the server had closed that connection before it read the request (its keep-alive time ran out): sending it again on a new connection');
      this.drop();
      const fresh = await this.connectionFor(endpoint);
      if (!fresh || !this.send(fresh, request)) return;
      outcome = await fresh.next(this.ctx.signal, this.settings.responseTimeoutMs);
    }
    if (this.aborted || !this.open) return;
    const verdict = this.report(outcome, request);
    this.afterExchange(verdict, endpoint, next);
  }

  /** The open connection when it goes to the same place and is still open, else a new one. */
  private async connectionFor(endpoint: Endpoint): Promise<HttpConnection | undefined> {
    const open = this.open;
    if (open && open.endpoint.key === endpoint.key) {
      if (!open.connection.closed) {
        this.say(`reusing the open connection to ${describePlace(open.connection.target, endpoint.proxy)} (request ${open.connection.requestsSent + 1} on it)`);
        return open.connection;
      }
      this.say('the server has closed the connection it had kept open: opening a new one');
    }
    this.drop();
    return this.connect(endpoint);
  }

  private async connect(endpoint: Endpoint): Promise<HttpConnection | undefined> {
    const { connector } = this.ctx;
    let target: ResolvedTarget;
    try {
      target = await connector.resolve(endpoint.host, endpoint.port);
    } catch (error) {
      const lookup = nameLookupOf(error);
      if (lookup) this.ctx.println(describeNameLookup(lookup));
      if (errorCode(error) === 'ENOTFOUND') this.ctx.println(`http: unknown host '${endpoint.host}' — 'hosts' lists the lab's hosts`);
      else if (errorCode(error) === 'EHOSTUNREACH') this.ctx.println(`http: ${errorMessage(error)}`);
      else this.ctx.println(`http: cannot resolve '${endpoint.host}': ${errorMessage(error)}`);
      return undefined;
    }
    if (this.aborted) return undefined;
    if (target.lookup) this.ctx.println(describeNameLookup(target.lookup));
    const place = describePlace(target, endpoint.proxy);
    const started = this.settings.now();
    let connection: HttpConnection;
    try {
      connection = new HttpConnection(await connector.connect(target), this.settings.now, this.settings.maxKeptBody);
    } catch (error) {
      if (errorCode(error) === 'ECONNREFUSED') {
        this.ctx.println(`http: cannot connect to ${place}: connection refused`);
        this.ctx.println(refusedHint(target, connector));
      } else {
        this.ctx.println(`http: cannot connect to ${place}: ${errorMessage(error)}`);
      }
      return undefined;
    }
    if (this.aborted) {
      connection.destroy();
      return undefined;
    }
    const lab = target.address !== target.virtualAddress || target.port !== target.virtualPort ? ` (lab: ${target.address}:${target.port})` : '';
    this.say(`new TCP connection to ${place}${lab}: connected in ${formatMs(this.settings.now() - started)}`);
    this.open = { endpoint, connection };
    return connection;
  }

  /** Forgets the open connection, dropping it if it is still open. */
  private drop(): void {
    this.open?.connection.destroy();
    this.open = undefined;
  }

  private buildFor(url: HttpUrl): BuiltRequest {
    const cookie = this.jar?.header(url.host, url.path, this.settings.wallClock());
    return buildRequest(this.inv, url, cookie);
  }

  /** Shows the request as it goes out and writes it; false when the connection would not take it. */
  private send(connection: HttpConnection, request: BuiltRequest): boolean {
    const head = request.bytes.subarray(0, request.bytes.length - request.body.length);
    this.ctx.write(formatHead(head, SENT_PREFIX));
    if (request.body.length > 0) {
      const text = new TextDecoder().decode(request.body);
      this.ctx.write(text.split('\n').map((line) => `${SENT_PREFIX}${safeText(line)}\n`).join(''));
      this.say(`${formatBytes(request.body.length)} of body, no line end after it: Content-Length tells the server where it stops`);
    }
    try {
      connection.send(request.bytes, request.method);
      return true;
    } catch (error) {
      this.say(`the request could not be sent: ${errorMessage(error)}`);
      this.drop();
      return false;
    }
  }

  /** Shows what came back; the verdict on the connection when a response came, else undefined. */
  private report(outcome: ResponseOutcome, request: BuiltRequest): ConnectionVerdict | undefined {
    switch (outcome.kind) {
      case 'aborted':
        return undefined;
      case 'response': {
        const { response, timing } = outcome;
        for (const interim of outcome.interim) {
          this.ctx.write(formatHead(interim.head, RECEIVED_PREFIX));
          this.say(`interim response ${interim.status} ${interim.reason}: the final response follows`);
        }
        this.ctx.write(formatHead(response.head, RECEIVED_PREFIX));
        const body = viewBody(response, this.inv.fullBody);
        this.ctx.write(body.text);
        for (const note of body.notes) this.say(note);
        const times = [timing.firstByteMs === undefined ? '' : `first byte after ${formatMs(timing.firstByteMs)}`, timing.totalMs === undefined ? '' : `complete after ${formatMs(timing.totalMs)}`].filter((t) => t !== '');
        this.say(`${response.status} ${response.reason}: ${describeFraming(response)}${times.length > 0 ? `; ${times.join(', ')}` : ''}`);
        for (const note of response.notes) this.say(`note: ${note.message}`);
        if (this.jar) {
          const setCookies = getHeaderValues(response.headers, 'set-cookie');
          for (const note of this.jar.store(setCookies, request.url.host, request.url.path, this.settings.wallClock())) this.say(note);
        }
        return connectionAfter(request, response);
      }
      case 'malformed': {
        const rfc = outcome.problem.rfc ? ` (${outcome.problem.rfc})` : '';
        this.say(`the answer is not a valid HTTP response: ${outcome.problem.message}${rfc}`);
        if (outcome.head) this.say(`(its head said ${outcome.head.status} ${outcome.head.reason})`);
        if (outcome.firstBytes && outcome.firstBytes.length > 0) {
          this.say('what the server sent first:');
          this.ctx.write(formatHead(outcome.firstBytes, RECEIVED_PREFIX));
        }
        return undefined;
      }
      case 'closed': {
        const error = outcome.error ? ` (${outcome.error})` : '';
        if (outcome.receivedBytes === 0 && !outcome.head) {
          this.say(`the server closed the connection without answering${error}`);
        } else {
          const head = outcome.head ? `, a ${outcome.head.status} ${outcome.head.reason} response` : '';
          this.say(`the server closed the connection before the response was complete${error}: ${formatBytes(outcome.receivedBytes)} of it came${head}`);
          if (outcome.problem) this.say(outcome.problem.message);
        }
        return undefined;
      }
      case 'timeout': {
        const got = outcome.receivedBytes > 0 ? `after ${formatBytes(outcome.receivedBytes)} of a response${outcome.head ? ` (${outcome.head.status} ${outcome.head.reason})` : ''}` : 'and nothing came';
        this.say(`no byte for ${this.settings.responseTimeoutMs / 1000} s ${got}: giving up on this connection`);
        return undefined;
      }
    }
  }

  /** Says whether the connection stays open and what happens next, and does it. */
  private afterExchange(verdict: ConnectionVerdict | undefined, endpoint: Endpoint, next: HttpUrl | undefined): void {
    const open = this.open;
    if (!open) return;
    const nextEndpoint = next ? endpointOf(this.inv, next) : undefined;
    if (!verdict) {
      this.drop();
      if (next) this.say(`next: ${next.text}, on a new connection`);
      return;
    }
    if (!verdict.keep) {
      this.say(`the connection closes: ${verdict.reason}.${open.connection.closed ? ' The server has closed it.' : ''}`);
      this.closeOpen();
      if (next) this.say(`next: ${next.text}, on a new TCP connection`);
      return;
    }
    if (open.connection.closed) {
      // Allowed at any time (RFC 9112 §9.6), e.g. a server shutting down; the rules alone would have kept it.
      this.say(`the connection could stay open (${verdict.reason}), but the server has closed it.`);
      this.open = undefined;
      if (next) this.say(`next: ${next.text}, on a new TCP connection`);
      return;
    }
    this.say(`the connection stays open: ${verdict.reason}.`);
    if (verdict.keepAlive) this.say(`${verdict.keepAlive}.`);
    if (nextEndpoint && nextEndpoint.key === endpoint.key) {
      this.say(`next: ${next!.text}, on this same connection`);
      return;
    }
    if (next) this.say(`next: ${next.text} is on another server, so this connection is closed (FIN) and a new one opened`);
    else this.say('no more URLs: closing it (FIN)');
    this.closeOpen();
  }

  private closeOpen(): void {
    const open = this.open;
    this.open = undefined;
    if (!open) return;
    try {
      open.connection.close(this.settings.closeGraceMs);
    } catch {
      open.connection.destroy();
    }
  }

  // --- pipelining -----------------------------------------------------------------------------

  /** Every request on one connection before any response is read (RFC 9112 §9.3.2). */
  private async pipelined(urls: readonly HttpUrl[]): Promise<void> {
    const endpoint = endpointOf(this.inv, urls[0]!);
    const connection = await this.connectionFor(endpoint);
    if (!connection) return;
    this.say(`pipelining: sending all ${urls.length} requests before reading any response`);
    const requests: BuiltRequest[] = [];
    for (const url of urls) {
      const request = this.buildFor(url);
      if (!this.send(connection, request)) return;
      requests.push(request);
    }
    let verdict: ConnectionVerdict | undefined;
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      this.say(`response ${i + 1} of ${requests.length}, to ${request.method} ${request.url.text}:`);
      const outcome = await connection.next(this.ctx.signal, this.settings.responseTimeoutMs);
      if (this.aborted) return;
      verdict = this.report(outcome, request);
      const unanswered = requests.slice(i + 1);
      if (!verdict || (!verdict.keep && unanswered.length > 0)) {
        if (verdict) this.say(`the connection closes: ${verdict.reason}.`);
        if (unanswered.length > 0) this.say(`${plural(unanswered.length, 'request')} sent after it never got an answer: ${unanswered.map((r) => r.url.text).join(', ')}`);
        if (verdict) this.closeOpen();
        else this.drop();
        return;
      }
    }
    this.afterExchange(verdict, endpoint, undefined);
  }
}

export function createHttpCommand(options: HttpCommandOptions = {}): ShellCommand {
  const settings: Settings = {
    responseTimeoutMs: options.responseTimeoutMs ?? HTTP_RESPONSE_TIMEOUT_MS,
    maxKeptBody: options.maxKeptBody ?? HTTP_MAX_KEPT_BODY,
    closeGraceMs: options.closeGraceMs ?? HTTP_CLOSE_GRACE_MS,
    now: options.now ?? (() => performance.now()),
    wallClock: options.wallClock ?? (() => Date.now()),
  };
  return {
    name: 'http',
    usage: HTTP_USAGE,
    summary: "fetch web pages, showing every byte sent and received (see 'http --help')",
    async run(args: string[], ctx: ShellContext): Promise<void> {
      const inv = parseHttpArgs(args);
      if (inv.help) {
        for (const line of HTTP_HELP) ctx.println(line);
        return;
      }
      if (inv.pipeline) {
        const first = endpointOf(inv, inv.urls[0]!);
        const other = inv.urls.find((url) => endpointOf(inv, url).key !== first.key);
        if (other) throw new UsageError(`--pipeline sends every request on one connection, so every URL must be on one server (or go through -x); ${other.text} is not on ${first.host}:${first.port}`);
      }
      await new HttpRun(ctx, inv, settings).run();
    },
  };
}

export const httpCommand: ShellCommand = createHttpCommand();
