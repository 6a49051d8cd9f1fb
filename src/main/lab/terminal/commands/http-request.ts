// The request `http` sends for one URL, and the rules that say whether the connection stays open
// after the response (RFC 9112 §9.3, and RFC 1945 with RFC 2068 §19.7.1 for HTTP/1.0 keep-alive).

import { bytesToBase64, utf8ToBytes } from '../../../../protocols/core/bytes';
import { hostFieldValue } from '../../../../protocols/http/authority';
import { getHeader, hasToken, withHeader, withoutHeaders, type HttpHeader } from '../../../../protocols/http/headers';
import type { ParsedResponse } from '../../../../protocols/http/parser';
import { serializeRequest } from '../../../../protocols/http/serialize';
import type { HttpInvocation, HttpUrl, HttpVersionChoice } from './http-args';

/** What the command calls itself in User-Agent (RFC 9110 §10.1.5). */
export const HTTP_USER_AGENT = 'protolab-http/1.0';

/** -d without a Content-Type of the student's own: the type an HTML form's POST uses (HTML §4.10.21.7). */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface BuiltRequest {
  url: HttpUrl;
  method: string;
  /** origin-form `/path?q`, or absolute-form `http://host/path?q` when sent to a proxy (RFC 9112 §3.2.2). */
  target: string;
  version: HttpVersionChoice;
  headers: HttpHeader[];
  body: Uint8Array;
  /** Exactly what goes on the wire. */
  bytes: Uint8Array;
}

/** The Host value: the port only when it is not the default (RFC 9110 §7.2). */
export function hostHeaderValue(url: HttpUrl): string {
  return hostFieldValue(url.host, url.port);
}

export function requestMethod(inv: HttpInvocation): string {
  if (inv.method !== undefined) return inv.method;
  if (inv.head) return 'HEAD';
  return inv.data !== undefined ? 'POST' : 'GET';
}

/**
 * The request for `url`: Host, User-Agent, Accept, then the fields the options ask for, then the
 * student's own -H lines, which replace a field of the same name where it stands.
 */
export function buildRequest(inv: HttpInvocation, url: HttpUrl, cookie: string | undefined): BuiltRequest {
  const method = requestMethod(inv);
  const body = inv.data === undefined ? new Uint8Array(0) : utf8ToBytes(inv.data);
  let headers: HttpHeader[] = [
    { name: 'Host', value: hostHeaderValue(url) },
    { name: 'User-Agent', value: HTTP_USER_AGENT },
    { name: 'Accept', value: '*/*' },
  ];
  const user = inv.user ?? url.userinfo;
  if (user !== undefined) headers.push({ name: 'Authorization', value: `Basic ${bytesToBase64(utf8ToBytes(user))}` });
  const cookies = [...inv.cookies, ...(cookie === undefined ? [] : [cookie])];
  if (cookies.length > 0) headers.push({ name: 'Cookie', value: cookies.join('; ') });
  if (inv.connection !== undefined) headers.push({ name: 'Connection', value: inv.connection });
  if (inv.data !== undefined) {
    headers.push({ name: 'Content-Type', value: FORM_CONTENT_TYPE });
    headers.push({ name: 'Content-Length', value: String(body.length) });
  }
  for (const h of inv.headers) headers = h.remove ? withoutHeaders(headers, [h.name]) : withHeader(headers, h.name, h.value);
  const target = inv.proxy ? `http://${hostHeaderValue(url)}${url.path}` : url.path;
  const bytes = serializeRequest({ method, target, version: inv.version, headers, body });
  return { url, method, target, version: inv.version, headers, body, bytes };
}

export interface ConnectionVerdict {
  /** The connection can carry the next request. */
  keep: boolean;
  /** Why, in the terms of the rules. */
  reason: string;
  /** The server's Keep-Alive parameters in words, when it sent them. */
  keepAlive?: string;
}

/** `Keep-Alive: timeout=5, max=99` in words (RFC 2068 §19.7.1.1). */
export function describeKeepAlive(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const params = new Map<string, string>();
  for (const part of value.split(',')) {
    const [name, v] = part.split('=').map((s) => s.trim());
    if (name && v !== undefined) params.set(name.toLowerCase(), v);
  }
  const said: string[] = [];
  const timeout = params.get('timeout');
  const max = params.get('max');
  if (max !== undefined) said.push(`allows ${max} more request${max === '1' ? '' : 's'} on it`);
  if (timeout !== undefined) said.push(`closes it after ${timeout} s idle`);
  return said.length > 0 ? `Keep-Alive: the server ${said.join(' and ')}` : undefined;
}

/**
 * Whether the connection stays open after `response` to `request`. The first rule that applies
 * decides: a body that only the close can end, either side's `Connection: close`, then the
 * version rules (HTTP/1.1 persistent by default, HTTP/1.0 only with `Connection: keep-alive` on
 * both sides).
 */
export function connectionAfter(request: BuiltRequest, response: ParsedResponse): ConnectionVerdict {
  const keepAlive = describeKeepAlive(getHeader(response.headers, 'keep-alive'));
  const verdict = (keep: boolean, reason: string): ConnectionVerdict => (keep && keepAlive ? { keep, reason, keepAlive } : { keep, reason });
  if (response.simple) return verdict(false, 'an HTTP/0.9 answer ends when the server closes the connection');
  if (response.status === 101) return verdict(false, 'after 101 Switching Protocols the connection no longer speaks HTTP/1.x');
  if (response.framing === 'close') return verdict(false, 'the body had neither Content-Length nor chunked coding, so only closing the connection could mark its end');
  if (hasToken(response.headers, 'connection', 'close')) return verdict(false, 'the server said Connection: close');
  if (hasToken(request.headers, 'connection', 'close')) return verdict(false, 'the request said Connection: close');
  if (request.version === 'HTTP/1.0' && !hasToken(request.headers, 'connection', 'keep-alive')) {
    return verdict(false, 'an HTTP/1.0 request without Connection: keep-alive asks for a non-persistent connection');
  }
  if (response.version === 'HTTP/1.0') {
    return hasToken(response.headers, 'connection', 'keep-alive')
      ? verdict(true, 'the HTTP/1.0 response said Connection: keep-alive')
      : verdict(false, 'an HTTP/1.0 response without Connection: keep-alive means the server closes');
  }
  if (request.version === 'HTTP/1.0') return verdict(true, 'the HTTP/1.0 request asked for Connection: keep-alive and the server agreed');
  return verdict(true, 'HTTP/1.1 connections are persistent unless one side says Connection: close');
}
