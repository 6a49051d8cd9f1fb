// What an HTTP message means, in plain words, for the details pane; and the per-method, per-status
// and per-header explanations the rest of the lab (the terminal's help, the exercises) can show.

import { bytesToLatin1 } from '../core/bytes';
import type { Explanation } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext } from '../registry-types';
import { getHeader, hasToken, type HttpHeader } from './headers';
import { headerDoc } from './header-docs';
import { lineAt } from './dissect-lines';
import { clientWantsPersistence } from './persistence';
import { statusClass, statusInfo } from './status';
import { parseFieldLine, parseRequestLine, parseStatusLine } from './syntax';

const METHODS: Readonly<Record<string, { text: string; rfc: string }>> = {
  GET: { text: 'GET asks for a copy of the resource; it changes nothing on the server, so caches may answer it.', rfc: 'RFC 9110 §9.3.1' },
  HEAD: { text: 'HEAD asks for exactly the head a GET would get, without the body: a cheap way to check size, type or modification time.', rfc: 'RFC 9110 §9.3.2' },
  POST: { text: 'POST hands the body (typically form fields) to the resource to process, e.g. a script that stores a comment.', rfc: 'RFC 9110 §9.3.3' },
  PUT: { text: 'PUT uploads the body to be stored at the target path, creating or replacing it.', rfc: 'RFC 9110 §9.3.4' },
  DELETE: { text: 'DELETE asks the server to remove the resource at the target path.', rfc: 'RFC 9110 §9.3.5' },
  OPTIONS: { text: 'OPTIONS asks which methods the resource (or, with "*", the server) supports; the answer lists them in Allow.', rfc: 'RFC 9110 §9.3.7' },
  CONNECT: { text: 'CONNECT asks a proxy to open a raw tunnel to another host, typically for HTTPS.', rfc: 'RFC 9110 §9.3.6' },
  TRACE: { text: 'TRACE asks the server to echo the request back, to see what proxies changed.', rfc: 'RFC 9110 §9.3.8' },
};

export function explainMethod(method: string): { text: string; rfc: string } {
  return METHODS[method] ?? { text: `${method} is not a method this lab's server implements; it answers 501 Not Implemented.`, rfc: 'RFC 9110 §9.1' };
}

export function explainStatus(code: number): { title: string; text: string; rfc: string } {
  const info = statusInfo(code);
  return { title: `${code} ${info.reason}`, text: info.meaning, rfc: info.rfc };
}

export function explainHeader(name: string): { name: string; text: string; rfc?: string } {
  const doc = headerDoc(name);
  return doc ? { name: doc.name, text: doc.blurb, rfc: doc.rfc } : { name, text: 'A field this lab has no notes for; recipients ignore fields they do not know.' };
}

function headLines(bytes: Uint8Array): { start: string; headers: HttpHeader[]; bodyLength: number } {
  let pos = 0;
  while (pos < bytes.length && (bytes[pos] === 0x0d || bytes[pos] === 0x0a)) pos++;
  const first = lineAt(bytes, pos);
  const start = bytesToLatin1(bytes, pos, pos + first.contentLength);
  pos += first.length;
  const headers: HttpHeader[] = [];
  while (pos < bytes.length) {
    const line = lineAt(bytes, pos);
    pos += line.length;
    if (line.contentLength === 0) return { start, headers, bodyLength: bytes.length - pos };
    const f = parseFieldLine(bytesToLatin1(bytes, line.offset, line.offset + line.contentLength), false);
    if (f.ok) headers.push({ name: f.value.name, value: f.value.value });
  }
  return { start, headers, bodyLength: 0 };
}

export function explainHttp(bytes: Uint8Array, ctx: DissectContext): Explanation {
  const { start, headers, bodyLength } = headLines(bytes);
  if (ctx.dir === 'c2s') return explainRequest(start, headers, bodyLength);
  const status = parseStatusLine(start);
  if (!status.ok) {
    return {
      title: 'Data from the server',
      text: `These ${byteCount(bytes.length)} do not start with a status line. If the request was an HTTP/0.9 "GET /path", this is the answer: the bare document, ended by the server closing the connection. Otherwise they are bytes the server should not have sent, such as a body after a 204 or 304 response.`,
      rfc: 'RFC 1945 §4.1',
    };
  }
  const s = status.value;
  const info = statusInfo(s.status);
  const meaning = info.meaning.charAt(0).toLowerCase() + info.meaning.slice(1);
  const parts = [`${s.status} ${info.reason} (${statusClass(s.status) ?? 'not a valid code'}): ${meaning}`];
  const type = getHeader(headers, 'content-type');
  if (bodyLength > 0) parts.push(`The body takes ${byteCount(bodyLength)} on the wire${type ? ` (${type.split(';')[0].trim()})` : ''}.`);
  if (s.status === 304) parts.push('The client reuses the copy it already has: that is the saving of a conditional GET.');
  if (s.status >= 200) {
    const close = hasToken(headers, 'connection', 'close') || (s.version === 'HTTP/1.0' && !hasToken(headers, 'connection', 'keep-alive'));
    parts.push(close ? 'The server closes the connection after this response, so the next request needs a new TCP connection.' : 'The connection stays open, so the next request can reuse it without a new TCP handshake.');
  }
  const cache = getHeader(headers, 'x-cache');
  if (cache) parts.push(`A cache on the way says ${cache}: ${cache.toUpperCase().startsWith('HIT') ? 'it answered from its own storage without contacting the origin server' : 'it had to fetch the response from the origin server'}.`);
  return { title: `HTTP response: ${s.status} ${info.reason}`, text: parts.join(' '), rfc: info.rfc };
}

function explainRequest(start: string, headers: HttpHeader[], bodyLength: number): Explanation {
  const parsed = parseRequestLine(start);
  if (!parsed.ok) {
    return { title: 'Malformed HTTP request', text: `A server cannot read this request: ${parsed.problem.message}. It answers ${parsed.problem.status} and closes the connection.`, rfc: parsed.problem.rfc ?? 'RFC 9112 §3' };
  }
  const p = parsed.value;
  if (p.simple) {
    return {
      title: `HTTP/0.9 request: ${p.method} ${p.target}`,
      text: 'A request line with no version: the oldest HTTP, typed by hand in the course\'s telnet exercise. There are no headers; the server answers with the bare document, no status line, and closes the connection.',
      rfc: 'RFC 1945 §4.1',
    };
  }
  const host = getHeader(headers, 'host');
  const method = explainMethod(p.method);
  const parts = [`The client asks ${host ? `the site ${host}` : 'the server'} for ${p.target}. ${method.text}`];
  if (bodyLength > 0) parts.push(`It carries a body of ${byteCount(bodyLength)}${getHeader(headers, 'content-type') ? ` (${getHeader(headers, 'content-type')?.split(';')[0].trim()})` : ''}.`);
  if (p.version === 'HTTP/1.1' && host === undefined) parts.push('It has no Host header, which HTTP/1.1 requires, so a server answers 400.');
  if (getHeader(headers, 'if-none-match') !== undefined || getHeader(headers, 'if-modified-since') !== undefined) {
    parts.push('It is conditional: if the client\'s copy is still current the server answers 304 Not Modified with no body.');
  }
  parts.push(
    clientWantsPersistence(p.version, headers)
      ? `${p.version} asks for a persistent connection: more requests may follow on it.`
      : `With ${p.version}${hasToken(headers, 'connection', 'close') ? ' and Connection: close' : ''} the connection closes after the response (non-persistent HTTP).`,
  );
  return { title: `HTTP request: ${p.method} ${p.target}`, text: parts.join(' '), rfc: method.rfc };
}
