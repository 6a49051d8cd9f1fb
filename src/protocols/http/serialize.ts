// Writing HTTP/1.1 messages (RFC 9112): start line, one field per line, CRLF everywhere, a blank
// line, then the body. Header names and values are checked first, so a value holding CR LF can
// never smuggle in a header or a second message.

import type { ByteSlab } from '../core/byte-slab';
import { concatBytes, utf8ToBytes } from '../core/bytes';
import { isToken, isValidFieldValue, toHeaderList, type HeaderInput, type HttpHeader } from './headers';
import { reasonPhrase } from './status';

export type BodyInput = Uint8Array | string;

/** One empty body for every message without one (nothing can be written into zero bytes). */
const NO_BODY = new Uint8Array(0);

export function bodyBytes(body: BodyInput | undefined): Uint8Array {
  if (body === undefined) return NO_BODY;
  return typeof body === 'string' ? utf8ToBytes(body) : body;
}

/** Why a header list cannot be sent, or null when every name is a token and no value holds CR, LF or NUL. */
export function headerProblem(headers: readonly HttpHeader[]): string | null {
  for (const h of headers) {
    if (!isToken(h.name)) return `header name ${JSON.stringify(h.name)} is not a token`;
    if (!isValidFieldValue(h.value)) return `the value of ${h.name} holds CR, LF or NUL`;
  }
  return null;
}

const asciiEncoder = new TextEncoder();

/** Writes `text` as latin1 octets at `out[at]` (out must have room for text.length bytes). */
function writeLatin1(text: string, out: Uint8Array, at: number): void {
  // ASCII is the same in UTF-8 and latin1, and the native encoder is several times faster than a
  // loop over the characters. Heads are nearly always ASCII; when the UTF-8 did not come out one
  // byte per character, some character was not, and the loop writes the whole text again.
  const ascii = asciiEncoder.encodeInto(text, at === 0 && out.length === text.length ? out : out.subarray(at, at + text.length));
  if (ascii.read === text.length && ascii.written === text.length) return;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Field values are octets (RFC 9110 §5.5); characters past U+00FF cannot be sent as one.
    out[at + i] = c > 0xff ? 0x3f : c;
  }
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  writeLatin1(text, out, 0);
  return out;
}

function headText(startLine: string, headers: readonly HttpHeader[]): string {
  let text = `${startLine}\r\n`;
  for (const h of headers) text += `${h.name}: ${h.value}\r\n`;
  return `${text}\r\n`;
}

/** The head of a message: start line, fields, blank line. Values are sent as latin1 octets. */
export function serializeHead(startLine: string, headers: readonly HttpHeader[]): Uint8Array {
  return latin1Bytes(headText(startLine, headers));
}

/** Head and body in one buffer, written once (no head copy joined to the body afterwards); carved from `slab` when given. */
export function serializeMessage(startLine: string, headers: readonly HttpHeader[], body: Uint8Array, slab?: ByteSlab): Uint8Array {
  const text = headText(startLine, headers);
  const out = slab ? slab.alloc(text.length + body.length) : new Uint8Array(text.length + body.length);
  writeLatin1(text, out, 0);
  out.set(body, text.length);
  return out;
}

export interface ResponseToWrite {
  version?: string;
  status: number;
  reason?: string;
  headers?: HeaderInput;
  body?: BodyInput;
}

/** A response exactly as given (no fields added): for the proxy, tests and the terminal. */
export function serializeResponse(r: ResponseToWrite): Uint8Array {
  return serializeMessage(`${r.version ?? 'HTTP/1.1'} ${r.status} ${r.reason ?? reasonPhrase(r.status)}`, toHeaderList(r.headers), bodyBytes(r.body));
}

export interface RequestToWrite {
  method: string;
  target: string;
  version?: string;
  headers?: HeaderInput;
  body?: BodyInput;
}

/** A request exactly as given (no fields added); version `HTTP/0.9` writes the simple `GET /path` line. */
export function serializeRequest(r: RequestToWrite): Uint8Array {
  if (r.version === 'HTTP/0.9') return latin1Bytes(`${r.method} ${r.target}\r\n`);
  return serializeMessage(`${r.method} ${r.target} ${r.version ?? 'HTTP/1.1'}`, toHeaderList(r.headers), bodyBytes(r.body));
}

/** A body in the chunked transfer coding (RFC 9112 §7.1): hex size lines, data, a zero chunk, trailers. */
export function encodeChunked(body: BodyInput, chunkSize = 4096, trailers: HeaderInput = []): Uint8Array {
  const bytes = bodyBytes(body);
  const size = Math.max(1, Math.floor(chunkSize));
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + size));
    parts.push(utf8ToBytes(`${chunk.length.toString(16)}\r\n`), chunk, utf8ToBytes('\r\n'));
  }
  let tail = '0\r\n';
  for (const t of toHeaderList(trailers)) tail += `${t.name}: ${t.value}\r\n`;
  parts.push(latin1Bytes(`${tail}\r\n`));
  return concatBytes(parts);
}
