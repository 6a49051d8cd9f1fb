// The HTTP/1.1 message grammar (RFC 9112) one line at a time, stateless, shared by the incremental
// parsers, the capture framer and the dissector, so all three read a message the same way. Lines
// come in as latin1 strings (one character per byte), so string offsets are byte offsets.

import { getHeaderValues, isToken, splitList, type HttpHeader } from './headers';
import { httpProblem, type HttpProblem } from './problems';

export type HttpVersion = 'HTTP/0.9' | 'HTTP/1.0' | 'HTTP/1.1';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: HttpProblem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: HttpProblem): Parsed<T> => ({ ok: false, problem });

/** Shows a line the way a student typed it, quoted and cut, for problem messages. */
export function quoteLine(text: string, max = 60): string {
  const escaped = text.replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${escaped.length > max ? `${escaped.slice(0, max)}…` : escaped}'`;
}

export type TargetForm = 'origin' | 'absolute' | 'authority' | 'asterisk';

export interface RequestLineParts {
  method: string;
  target: string;
  targetForm: TargetForm;
  /** The version as written; null for an HTTP/0.9 simple request, which has none. */
  versionText: string | null;
  version: HttpVersion;
  /** Offsets within the line. */
  targetOffset: number;
  versionOffset: number | null;
  /** HTTP/0.9: `GET /path` and nothing else (RFC 1945 §4.1). */
  simple: boolean;
  /** HTTP/1.x with x > 1: served as HTTP/1.1 (RFC 9110 §2.5). */
  newerMinor: boolean;
}

const VERSION = /^HTTP\/(\d)\.(\d)$/;
const MAJOR_ONLY = /^HTTP\/(\d+)$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Reads an HTTP-version (RFC 9112 §2.3); `what` names the line for messages. */
export function parseVersion(text: string, offset: number, rfc: string): Parsed<{ version: HttpVersion; major: number; minor: number; newerMinor: boolean }> {
  const m = VERSION.exec(text);
  if (m) {
    const major = Number(m[1]);
    const minor = Number(m[2]);
    if (major === 1) return ok({ version: minor === 0 ? 'HTTP/1.0' : 'HTTP/1.1', major, minor, newerMinor: minor > 1 });
    return fail(
      httpProblem(
        'unsupported-version',
        major === 0
          ? `the version '${text}' is not sent on the wire: an HTTP/0.9 request is just "GET /path" with no version at all`
          : `the request line names ${text}, and this server speaks HTTP/1.0 and HTTP/1.1 only`,
        { offset, length: text.length, rfc: 'RFC 9110 §2.5' },
      ),
    );
  }
  const major = MAJOR_ONLY.exec(text);
  if (major && major[1] !== '1') {
    return fail(httpProblem('unsupported-version', `the request line names ${text}, and this server speaks HTTP/1.0 and HTTP/1.1 only`, { offset, length: text.length, rfc: 'RFC 9110 §2.5' }));
  }
  if (/^http\/\d\.\d$/i.test(text)) {
    return fail(httpProblem('bad-version', `the version '${text}' must be written in capitals, as ${text.toUpperCase()}: HTTP-version is case-sensitive`, { offset, length: text.length, rfc }));
  }
  return fail(httpProblem('bad-version', `${quoteLine(text)} is not an HTTP version; a version looks like HTTP/1.1`, { offset, length: text.length, rfc }));
}

function targetForm(method: string, target: string): TargetForm | null {
  if (target.startsWith('/')) return 'origin';
  if (target === '*') return method === 'OPTIONS' ? 'asterisk' : null;
  if (SCHEME.test(target)) return 'absolute';
  if (method === 'CONNECT' && /^[^/?#\s]+:\d+$/.test(target)) return 'authority';
  return null;
}

/** A request line (RFC 9112 §3), or the HTTP/0.9 simple request `GET /path` (RFC 1945 §4.1). */
export function parseRequestLine(line: string): Parsed<RequestLineParts> {
  const rfc = 'RFC 9112 §3';
  if (line.length === 0) return fail(httpProblem('bad-request-line', 'the request line is empty', { offset: 0, length: 0, rfc }));
  if (/^[ \t]/.test(line)) {
    return fail(httpProblem('bad-request-line', `the request line ${quoteLine(line)} starts with white space; it must start with the method`, { offset: 0, length: line.length, rfc }));
  }
  const words = line.split(' ');
  const method = words[0];
  if (!isToken(method)) {
    return fail(httpProblem('bad-method', `the method ${quoteLine(method)} holds characters a method may not have (letters, digits and a few marks only)`, { offset: 0, length: method.length, rfc: 'RFC 9110 §9.1' }));
  }
  if (words.length === 1) {
    return fail(httpProblem('bad-request-line', `the request line ${quoteLine(line)} has a method but no target: write it as "${method} /path HTTP/1.1"`, { offset: 0, length: line.length, rfc }));
  }
  if (words.some((w, i) => w.length === 0 && i > 0)) {
    return fail(httpProblem('bad-request-line', `the request line ${quoteLine(line)} has more than one space in a row (or one at the end); its three parts are separated by single spaces`, { offset: 0, length: line.length, rfc }));
  }
  if (words.length > 3) {
    return fail(httpProblem('bad-target', `the request line ${quoteLine(line)} has more than three parts; a space inside the target must be written %20`, { offset: 0, length: line.length, rfc }));
  }
  const target = words[1];
  const targetOffset = method.length + 1;
  if (/[\x00-\x20\x7f-\xff]/.test(target)) {
    return fail(httpProblem('bad-target', `the target ${quoteLine(target)} holds control or non-ASCII characters; those must be percent-encoded (e.g. é as %C3%A9)`, { offset: targetOffset, length: target.length, rfc: 'RFC 9112 §3.2' }));
  }
  const form = targetForm(method, target);
  if (form === null) {
    const why = target === '*' ? `"*" is a target only for OPTIONS` : `the target ${quoteLine(target)} must start with "/" (or be a full http:// URL when talking to a proxy)`;
    return fail(httpProblem('bad-target', why, { offset: targetOffset, length: target.length, rfc: 'RFC 9112 §3.2' }));
  }
  if (words.length === 2) {
    if (method !== 'GET') {
      return fail(httpProblem('simple-request-not-get', `the request line ${quoteLine(line)} has no version; only GET may be sent that way (an HTTP/0.9 simple request). Add " HTTP/1.1" and a Host header`, { offset: 0, length: line.length, rfc: 'RFC 1945 §4.1' }));
    }
    return ok({ method, target, targetForm: form, versionText: null, version: 'HTTP/0.9', targetOffset, versionOffset: null, simple: true, newerMinor: false });
  }
  const versionOffset = targetOffset + target.length + 1;
  const v = parseVersion(words[2], versionOffset, 'RFC 9112 §2.3');
  if (!v.ok) return fail(v.problem);
  return ok({ method, target, targetForm: form, versionText: words[2], version: v.value.version, targetOffset, versionOffset, simple: false, newerMinor: v.value.newerMinor });
}

export interface StatusLineParts {
  versionText: string;
  version: HttpVersion;
  status: number;
  reason: string;
  statusOffset: number;
  reasonOffset: number;
}

/** A status line (RFC 9112 §4); a missing reason phrase is accepted (it is optional in meaning). */
export function parseStatusLine(line: string): Parsed<StatusLineParts> {
  const rfc = 'RFC 9112 §4';
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
  if (!m) return fail(httpProblem('bad-status-line', `${quoteLine(line)} is not a status line such as "HTTP/1.1 200 OK"`, { offset: 0, length: line.length, rfc }));
  const v = parseVersion(m[1], 0, rfc);
  if (!v.ok) return fail(httpProblem('bad-status-line', v.problem.message, { offset: 0, length: m[1].length, rfc }));
  const status = Number(m[2]);
  if (status < 100) return fail(httpProblem('bad-status-line', `status code ${m[2]} is out of range: codes run from 100 to 599`, { offset: 9, length: 3, rfc: 'RFC 9110 §15' }));
  return ok({ versionText: m[1], version: v.value.version, status, reason: m[3] ?? '', statusOffset: m[1].length + 1, reasonOffset: m[1].length + 5 });
}

export interface FieldLineParts {
  name: string;
  value: string;
  /** Offsets within the line: the name starts at 0. */
  valueOffset: number;
}

/** A field line `name: value` (RFC 9112 §5). `first` is the line after the start line. */
export function parseFieldLine(line: string, first: boolean): Parsed<FieldLineParts> {
  if (/^[ \t]/.test(line)) {
    return first
      ? fail(httpProblem('space-before-first-header', `the first header line ${quoteLine(line)} starts with white space; nothing may come between the start line and the first field`, { offset: 0, length: line.length, rfc: 'RFC 9112 §2.2' }))
      : fail(httpProblem('obs-fold', `the line ${quoteLine(line)} starts with white space, which continues the previous header on a new line ("line folding"); that form is obsolete and rejected: write each header on one line`, { offset: 0, length: line.length, rfc: 'RFC 9112 §5.2' }));
  }
  const colon = line.indexOf(':');
  if (colon === -1) {
    return fail(httpProblem('no-colon', `the header line ${quoteLine(line)} has no colon; a header is written "Name: value"`, { offset: 0, length: line.length, rfc: 'RFC 9112 §5' }));
  }
  const name = line.slice(0, colon);
  if (name.length === 0) {
    return fail(httpProblem('bad-field-name', `the header line ${quoteLine(line)} has no name before its colon`, { offset: 0, length: line.length, rfc: 'RFC 9112 §5' }));
  }
  if (/[ \t]$/.test(name)) {
    return fail(httpProblem('space-before-colon', `the header ${quoteLine(name.trimEnd())} has white space before its colon; RFC 9112 §5.1 forbids it (it once let requests be read two ways)`, { offset: 0, length: colon, rfc: 'RFC 9112 §5.1' }));
  }
  if (!isToken(name)) {
    return fail(httpProblem('bad-field-name', `the header name ${quoteLine(name)} holds characters a name may not have`, { offset: 0, length: colon, rfc: 'RFC 9110 §5.1' }));
  }
  const { value, start, bad } = fieldValueAt(line, colon + 1);
  if (bad >= 0) {
    const what = value[bad] === '\r' ? 'a carriage return (CR) that does not end the line' : 'a NUL byte';
    return fail(httpProblem('bad-field-value', `the value of ${name} holds ${what}`, { offset: start + bad, length: 1, rfc: 'RFC 9110 §5.5' }));
  }
  return ok({ name, value, valueOffset: start });
}

/**
 * The value of a field line whose name ends before `from` (RFC 9112 §5: optional white space
 * around it is not part of it), where it starts in the line, and where in it the first CR or NUL
 * is (-1 for none): either makes the line invalid (RFC 9110 §5.5).
 */
export function fieldValueAt(line: string, from: number): { value: string; start: number; bad: number } {
  let start = from;
  while (start < line.length && (line.charCodeAt(start) === 0x20 || line.charCodeAt(start) === 0x09)) start++;
  let end = line.length;
  while (end > start && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  const value = start === 0 && end === line.length ? line : line.slice(start, end);
  return { value, start, bad: value.search(/[\r\0]/) };
}

export interface ChunkExtension {
  name: string;
  value?: string;
  /** Offset within the line. */
  offset: number;
  length: number;
}

export interface ChunkSizeLineParts {
  size: number;
  sizeText: string;
  extensions: ChunkExtension[];
}

/** Hex digits beyond this are refused outright: 12 already reach 2^48 bytes. */
const MAX_CHUNK_SIZE_DIGITS = 12;

/** chunk-size [ chunk-ext ] (RFC 9112 §7.1): hex size, then `;name=value` extensions. */
export function parseChunkSizeLine(line: string): Parsed<ChunkSizeLineParts> {
  const rfc = 'RFC 9112 §7.1';
  const m = /^([0-9A-Fa-f]+)/.exec(line);
  if (!m) return fail(httpProblem('bad-chunk-size', `the chunk-size line ${quoteLine(line)} does not start with a hexadecimal size`, { offset: 0, length: line.length, rfc }));
  if (m[1].length > MAX_CHUNK_SIZE_DIGITS) return fail(httpProblem('bad-chunk-size', `the chunk size ${quoteLine(m[1])} has too many digits`, { offset: 0, length: m[1].length, rfc }));
  const extensions: ChunkExtension[] = [];
  const rest = line.slice(m[1].length);
  // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
  const ext = /[ \t]*;[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?:[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[!#$%&'*+\-.^_`|~0-9A-Za-z]+))?/y;
  let at = 0;
  while (at < rest.length) {
    ext.lastIndex = at;
    const e = ext.exec(rest);
    if (!e) break;
    const x: ChunkExtension = { name: e[1], offset: m[1].length + at + e[0].indexOf(';'), length: e[0].length - e[0].indexOf(';') };
    if (e[2] !== undefined) x.value = e[2];
    extensions.push(x);
    at = ext.lastIndex;
  }
  if (!/^[ \t]*$/.test(rest.slice(at))) {
    return fail(httpProblem('bad-chunk-size', `the chunk-size line ${quoteLine(line)} has text after the size that is not a ";name=value" extension`, { offset: m[1].length + at, length: rest.length - at, rfc }));
  }
  return ok({ size: parseInt(m[1], 16), sizeText: m[1], extensions });
}

/** A Content-Length the rules below accept as it is: digits only, at most 15 of them. */
const PLAIN_LENGTH = /^\d{1,15}$/;

/** Content-Length values across all its lines: one number, or a list of identical ones (RFC 9112 §6.3 rule 5). */
export function parseContentLength(values: readonly string[]): Parsed<{ length: number; repeated: boolean }> {
  // Nearly always one plain number: read it without splitting (the same answer as below).
  if (values.length === 1 && PLAIN_LENGTH.test(values[0])) return ok({ length: Number(values[0]), repeated: false });
  const rfc = 'RFC 9112 §6.3';
  const members = values.flatMap((v) => v.split(',').map((m) => m.trim()));
  for (const m of members) {
    if (!/^\d+$/.test(m)) return fail(httpProblem('bad-content-length', `Content-Length ${quoteLine(m)} is not a whole number of bytes`, { rfc: 'RFC 9110 §8.6' }));
    if (m.length > 15) return fail(httpProblem('bad-content-length', `Content-Length ${m} is too large to be real`, { rfc: 'RFC 9110 §8.6' }));
  }
  const distinct = new Set(members.map((m) => Number(m)));
  if (distinct.size !== 1) {
    return fail(httpProblem('conflicting-content-length', `the request gives ${members.length} different Content-Length values (${members.join(', ')}); the server cannot tell where the body ends`, { rfc }));
  }
  return ok({ length: [...distinct][0], repeated: members.length > 1 });
}

export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number; repeated: boolean } | { kind: 'chunked' } | { kind: 'close' };

/** The transfer codings of Transfer-Encoding, lowercased, in order. */
export function transferCodings(headers: readonly HttpHeader[]): string[] {
  return codingsOf(getHeaderValues(headers, 'transfer-encoding'));
}

/** The transfer codings named by Transfer-Encoding values, in order, lower case, parameters dropped. */
export function codingsOf(values: readonly string[]): string[] {
  return values.flatMap(splitList).map((c) => c.split(';')[0].trim().toLowerCase());
}

/** How a request body is framed (RFC 9112 §6.3 rules 3-7, server side). */
export function requestBodyFraming(headers: readonly HttpHeader[], version: HttpVersion): Parsed<BodyFraming> {
  const te = getHeaderValues(headers, 'transfer-encoding');
  const cl = getHeaderValues(headers, 'content-length');
  if (te.length > 0) {
    if (cl.length > 0) {
      return fail(httpProblem('content-length-and-chunked', 'the request has both Transfer-Encoding and Content-Length; the two disagree on where the body ends, and such a request is how "request smuggling" attacks work, so it is refused', { rfc: 'RFC 9112 §6.3' }));
    }
    if (version !== 'HTTP/1.1') {
      return fail(httpProblem('transfer-encoding-in-http10', 'an HTTP/1.0 request has a Transfer-Encoding header, which HTTP/1.0 does not have; its framing cannot be trusted', { rfc: 'RFC 9112 §6.1' }));
    }
    const codings = transferCodings(headers);
    if (codings[codings.length - 1] !== 'chunked') {
      return fail(httpProblem('chunked-not-final', `Transfer-Encoding is "${te.join(', ')}", but the last coding of a request body must be chunked, or the server cannot find its end`, { rfc: 'RFC 9112 §6.3' }));
    }
    const other = codings.filter((c) => c !== 'chunked');
    if (other.length > 0 || codings.length > 1) {
      return fail(httpProblem('unsupported-transfer-coding', `this server implements only the chunked transfer coding, not ${other.length > 0 ? other.join(', ') : 'chunked applied twice'}`, { rfc: 'RFC 9112 §6.1' }));
    }
    return ok({ kind: 'chunked' });
  }
  if (cl.length > 0) {
    const parsed = parseContentLength(cl);
    if (!parsed.ok) return parsed;
    return ok({ kind: 'length', length: parsed.value.length, repeated: parsed.value.repeated });
  }
  return ok({ kind: 'none' });
}

/** How a response body is framed (RFC 9112 §6.3 rules 1-8, client side). */
export function responseBodyFraming(headers: readonly HttpHeader[], status: number, requestMethod: string): Parsed<BodyFraming> {
  if (requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return ok({ kind: 'none' });
  if (requestMethod === 'CONNECT' && status >= 200 && status < 300) return ok({ kind: 'close' });
  const codings = transferCodings(headers);
  if (codings.length > 0) {
    // Rule 4: chunked last means chunked (Content-Length is ignored); otherwise read until close.
    return ok(codings[codings.length - 1] === 'chunked' ? { kind: 'chunked' } : { kind: 'close' });
  }
  const cl = getHeaderValues(headers, 'content-length');
  if (cl.length > 0) {
    const parsed = parseContentLength(cl);
    if (!parsed.ok) return parsed;
    return ok({ kind: 'length', length: parsed.value.length, repeated: parsed.value.repeated });
  }
  return ok({ kind: 'close' });
}

/** uri-host [ ":" port ] (RFC 9110 §7.2), loosely: no spaces, slashes, @ or other delimiters. */
const HOST_VALUE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]*)(?::\d*)?$/;

export function isValidHostValue(value: string): boolean {
  return HOST_VALUE.test(value);
}

/** The Host rules for a request (RFC 9112 §3.2): exactly one, and valid, in HTTP/1.1. */
export function checkHost(headers: readonly HttpHeader[], version: HttpVersion): HttpProblem | null {
  const hosts = getHeaderValues(headers, 'host');
  if (hosts.length === 0) {
    if (version === 'HTTP/1.1') {
      return httpProblem('missing-host', 'an HTTP/1.1 request must say which site it wants with a Host header (e.g. "Host: gaia.cs.umass.edu"): one server address can hold many sites', { rfc: 'RFC 9112 §3.2' });
    }
    return null;
  }
  if (hosts.length > 1) return httpProblem('duplicate-host', `the request has ${hosts.length} Host headers; it must have exactly one`, { rfc: 'RFC 9112 §3.2' });
  if (!isValidHostValue(hosts[0])) return httpProblem('bad-host', `Host ${quoteLine(hosts[0])} is not a host name with an optional :port`, { rfc: 'RFC 9110 §7.2' });
  return null;
}
