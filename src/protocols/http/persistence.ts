// Whether a connection stays open after a response (RFC 9112 §9.3), and the response fields the
// server adds for it: Date (RFC 9110 §6.6.1), Server (§10.2.4), Content-Length (§8.6) and
// Connection / Keep-Alive (RFC 9112 §9.3, RFC 2068 §19.7.1.1 for the Keep-Alive parameters).

import { ByteSlab } from '../core/byte-slab';
import { formatHttpDate } from './dates';
import { hasToken, toHeaderList, type HeaderInput, type HttpHeader } from './headers';
import { bodyBytes, headerProblem, serializeMessage, type BodyInput } from './serialize';
import { reasonPhrase, statusPage } from './status';
import type { HttpVersion } from './syntax';

/** Where responses are serialized: each is written to its socket and let go of (see byte-slab.ts). */
const RESPONSE_BYTES = new ByteSlab();

/** What the server says it is in the Server header. */
export const HTTP_SERVER_NAME = 'Protolab-httpd/1.0';

/**
 * Does the client want the connection kept open after this request? HTTP/1.1 keeps it unless
 * `Connection: close`; HTTP/1.0 closes unless `Connection: keep-alive`; HTTP/0.9 always closes.
 */
export function clientWantsPersistence(version: HttpVersion, headers: readonly HttpHeader[]): boolean {
  if (version === 'HTTP/0.9') return false;
  if (hasToken(headers, 'connection', 'close')) return false;
  if (version === 'HTTP/1.1') return true;
  return hasToken(headers, 'connection', 'keep-alive');
}

export interface HttpResponseInit {
  status: number;
  /** Defaults to the status table's phrase. */
  reason?: string;
  /** The resource's own fields (Content-Type, Last-Modified, ETag, Location, ...). */
  headers?: HeaderInput;
  /** The body as it would be sent to GET; the engine leaves it out where no body is allowed. */
  body?: BodyInput;
  /** End the connection after this response. */
  close?: boolean;
}

export interface ResponseContext {
  now: number;
  /** Keep the connection open after this response. */
  keepAlive: boolean;
  /** Seconds advertised in `Keep-Alive: timeout=`. */
  keepAliveTimeoutS: number;
  /** Requests still allowed on the connection after this one, advertised as `max=`. */
  remainingRequests: number;
  serverName?: string;
}

export interface PreparedResponse {
  status: number;
  reason: string;
  headers: HttpHeader[];
  /** The body actually sent (empty for HEAD, 1xx, 204, 304). */
  body: Uint8Array;
  /** Head and body as written to the socket. */
  bytes: Uint8Array;
  /** Why the response given could not be sent as is (a 500 was built instead). */
  problem?: string;
}

/** The fields the engine manages itself; a response's own values for them are replaced. */
const MANAGED = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection'];

/** A request as far as building its response goes. */
export interface RequestShape {
  method: string;
  version: HttpVersion;
  simple: boolean;
}

/** The response's own fields sorted for the head: one pass, each name lowercased once. */
interface SortedFields {
  hasDate: boolean;
  hasServer: boolean;
  /** The first Content-Length given, if any (a HEAD or 304 may state the GET length). */
  givenLength: string | undefined;
  /** Everything but the managed fields and Content-Type, in order. */
  rest: HttpHeader[];
  contentType: HttpHeader[];
}

function sortFields(given: readonly HttpHeader[]): SortedFields {
  const sorted: SortedFields = { hasDate: false, hasServer: false, givenLength: undefined, rest: [], contentType: [] };
  for (const h of given) {
    const name = h.name.toLowerCase();
    if (name === 'content-type') sorted.contentType.push(h);
    else if (name === 'content-length') sorted.givenLength ??= h.value;
    else if (!MANAGED.includes(name)) {
      if (name === 'date') sorted.hasDate = true;
      else if (name === 'server') sorted.hasServer = true;
      sorted.rest.push(h);
    }
  }
  return sorted;
}

/**
 * Builds the response bytes for a request: adds Date and Server when missing, Content-Length,
 * Connection and Keep-Alive; leaves the body out for HEAD (keeping the GET length), 1xx, 204
 * and 304 (RFC 9110 §9.3.2, §15.3.5, §15.4.5). An HTTP/0.9 request gets the bare body.
 */
export function prepareResponse(request: RequestShape, init: HttpResponseInit, ctx: ResponseContext): PreparedResponse {
  let given = toHeaderList(init.headers);
  let status = init.status;
  let reason = init.reason ?? reasonPhrase(status);
  let body = bodyBytes(init.body);
  let problem: string | undefined;
  const invalid = !Number.isInteger(status) || status < 100 || status > 599 ? `status ${status} is not a three-digit code from 100 to 599` : (headerProblem(given) ?? (/[\r\n]/.test(reason) ? 'the reason phrase holds CR or LF' : null));
  if (invalid) {
    problem = `the response could not be sent as given: ${invalid}`;
    const page = statusPage(500, { detail: problem });
    status = 500;
    reason = reasonPhrase(500);
    given = [{ name: 'Content-Type', value: page.contentType }];
    body = bodyBytes(page.body);
  }
  if (request.simple) {
    // HTTP/0.9 had no status line and no headers: the answer is the document itself.
    return { status, reason, headers: [], body, bytes: body, ...(problem ? { problem } : {}) };
  }
  const { hasDate, hasServer, givenLength, rest, contentType } = sortFields(given);
  const noBody = (status >= 100 && status < 200) || status === 204 || status === 304;
  let length: string | undefined;
  if (status === 304) length = givenLength; // a 304 may repeat the length a 200 would have had
  else if (!noBody) length = request.method === 'HEAD' && body.length === 0 && givenLength !== undefined ? givenLength : String(body.length);
  const sentBody = noBody || request.method === 'HEAD' ? bodyBytes(undefined) : body;

  // In the order of the course's example response: Date, Server, the response's own fields,
  // Content-Length, Keep-Alive, Connection, then Content-Type.
  const headers: HttpHeader[] = [];
  if (!hasDate) headers.push({ name: 'Date', value: formatHttpDate(ctx.now) });
  if (!hasServer) headers.push({ name: 'Server', value: ctx.serverName ?? HTTP_SERVER_NAME });
  for (const h of rest) headers.push(h);
  if (length !== undefined) headers.push({ name: 'Content-Length', value: length });
  if (status >= 200) {
    if (ctx.keepAlive) {
      headers.push({ name: 'Keep-Alive', value: `timeout=${ctx.keepAliveTimeoutS}, max=${ctx.remainingRequests}` });
      headers.push({ name: 'Connection', value: 'keep-alive' });
    } else {
      headers.push({ name: 'Connection', value: 'close' });
    }
  }
  for (const h of contentType) headers.push(h);
  const bytes = serializeMessage(`HTTP/1.1 ${status} ${reason}`, headers, sentBody, RESPONSE_BYTES);
  return { status, reason, headers, body: sentBody, bytes, ...(problem ? { problem } : {}) };
}
