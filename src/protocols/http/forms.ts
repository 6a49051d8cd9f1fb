// Form data as browsers send it: application/x-www-form-urlencoded (the query string of a GET, or
// a POST body: `var1=value1&var2=value2`, WHATWG URL §5) and multipart/form-data (RFC 7578, the
// MIME multipart syntax of RFC 2046 §5.1.1), which carries files. Decoders never throw: malformed
// input yields what could be read and a list of problems.

import { bytesToLatin1 } from '../core/bytes';
import { getHeader } from './headers';
import { HTTP_FORM_MAX_FIELDS, HTTP_MULTIPART_MAX_PARTS } from './limits';
import { parameter, parseMediaType, parseParameters } from './media-type';
import { parseFieldLine } from './syntax';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** ASCII without "%" (and without "+" where it means a space): percent-decoding leaves it as it is. */
const NOTHING_TO_DECODE = /^[\x00-\x24\x26-\x7f]*$/;
const NOTHING_TO_DECODE_PLUS = /^[\x00-\x24\x26-\x2a\x2c-\x7f]*$/;

/**
 * Percent-decodes `text` whose characters are bytes (latin1), `+` as a space when asked, then reads
 * the bytes as UTF-8. `ok` is false when a `%` is not followed by two hex digits (it is kept as is).
 */
export function percentDecode(text: string, plusAsSpace: boolean): { text: string; ok: boolean } {
  // ASCII with nothing to decode reads as itself (every request path without a %-escape).
  if ((plusAsSpace ? NOTHING_TO_DECODE_PLUS : NOTHING_TO_DECODE).test(text)) return { text, ok: true };
  const bytes = new Uint8Array(text.length);
  let n = 0;
  let ok = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes[n++] = parseInt(hex, 16);
        i += 2;
        continue;
      }
      ok = false;
    }
    bytes[n++] = c === 0x2b /* + */ && plusAsSpace ? 0x20 : c & 0xff;
  }
  return { text: utf8.decode(bytes.subarray(0, n)), ok };
}

export interface FormField {
  name: string;
  value: string;
  /** Offset of the `name=value` pair in the input and its length (the `&` excluded). */
  offset: number;
  length: number;
  /** Length of the raw name; the raw value starts after it and the `=` (if any). */
  nameLength: number;
  hasEquals: boolean;
  /** A `%` not followed by two hex digits was kept as is. */
  badEscape: boolean;
}

export interface UrlEncodedForm {
  fields: FormField[];
  /** More pairs than the limit; the rest were not decoded. */
  truncated: boolean;
}

/** Decodes `a=1&b=x+y&c=%C3%A9` (the input's characters are bytes, e.g. from bytesToLatin1). */
export function decodeUrlEncoded(text: string, maxFields = HTTP_FORM_MAX_FIELDS): UrlEncodedForm {
  const fields: FormField[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (fields.length >= maxFields) return { fields, truncated: true };
      const raw = text.slice(start, end);
      const eq = raw.indexOf('=');
      const rawName = eq === -1 ? raw : raw.slice(0, eq);
      const rawValue = eq === -1 ? '' : raw.slice(eq + 1);
      const name = percentDecode(rawName, true);
      const value = percentDecode(rawValue, true);
      fields.push({ name: name.text, value: value.text, offset: start, length: raw.length, nameLength: rawName.length, hasEquals: eq !== -1, badEscape: !name.ok || !value.ok });
    }
    start = end + 1;
  }
  return { fields, truncated: false };
}

/** Encodes pairs as application/x-www-form-urlencoded (spaces as +, everything else unsafe as %XX). */
export function encodeUrlEncoded(pairs: ReadonlyArray<readonly [string, string]>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

export interface MultipartHeader {
  name: string;
  value: string;
  /** Offset of the header line in the body, and its length with the line end. */
  offset: number;
  length: number;
}

export interface MultipartPart {
  /** Offset of the part (its first header line) in the body; the part runs up to the CRLF before the next delimiter. */
  offset: number;
  length: number;
  headers: MultipartHeader[];
  /** From Content-Disposition: form-data; name="..."; filename="...". */
  name?: string;
  filename?: string;
  contentType?: string;
  dataOffset: number;
  data: Uint8Array;
}

export interface MultipartDelimiter {
  offset: number;
  /** The delimiter line with its line end. */
  length: number;
  /** `--boundary--`: no parts follow. */
  close: boolean;
}

export interface MultipartBody {
  boundary: string;
  preamble: { offset: number; length: number } | null;
  delimiters: MultipartDelimiter[];
  parts: MultipartPart[];
  epilogue: { offset: number; length: number } | null;
  /** The closing delimiter was found. */
  complete: boolean;
  /** More parts than the limit; the rest were not decoded. */
  truncated: boolean;
  problems: string[];
}

/** The boundary of a multipart Content-Type, or null (RFC 2046 §5.1.1: 1 to 70 characters). */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const mt = parseMediaType(contentType);
  if (!mt || mt.type !== 'multipart') return null;
  const b = parameter(mt.params, 'boundary');
  return b && b.length >= 1 && b.length <= 70 ? b : null;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let i = hay.indexOf(first, from); i !== -1 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/** Finds `--boundary` at the start of a line (offset 0 or just after LF). */
function findDelimiter(body: Uint8Array, dash: Uint8Array, from: number): number {
  for (let at = indexOfBytes(body, dash, from); at !== -1; at = indexOfBytes(body, dash, at + 1)) {
    if (at === 0 || body[at - 1] === 0x0a) return at;
  }
  return -1;
}

function lineEnd(body: Uint8Array, from: number): number {
  const lf = body.indexOf(0x0a, from);
  return lf === -1 ? body.length : lf + 1;
}

/** Splits a multipart body into its parts (RFC 2046 §5.1.1), with every offset into `body`. */
export function parseMultipart(body: Uint8Array, boundary: string, maxParts = HTTP_MULTIPART_MAX_PARTS): MultipartBody {
  const dash = new Uint8Array(Array.from(`--${boundary}`, (c) => c.charCodeAt(0) & 0xff));
  const result: MultipartBody = { boundary, preamble: null, delimiters: [], parts: [], epilogue: null, complete: false, truncated: false, problems: [] };
  let at = findDelimiter(body, dash, 0);
  if (at === -1) {
    result.problems.push(`no "--${boundary}" delimiter line in the body`);
    if (body.length > 0) result.preamble = { offset: 0, length: body.length };
    return result;
  }
  if (at > 0) result.preamble = { offset: 0, length: at };
  while (at !== -1) {
    const afterDash = at + dash.length;
    const close = body[afterDash] === 0x2d && body[afterDash + 1] === 0x2d;
    const end = lineEnd(body, afterDash);
    result.delimiters.push({ offset: at, length: end - at, close });
    if (close) {
      result.complete = true;
      if (end < body.length) result.epilogue = { offset: end, length: body.length - end };
      return result;
    }
    if (result.parts.length >= maxParts) {
      result.truncated = true;
      result.problems.push(`more than ${maxParts} parts; the rest were not read`);
      return result;
    }
    const next = findDelimiter(body, dash, end);
    // The CRLF before a delimiter belongs to the delimiter, not to the part's data.
    let partEnd = next === -1 ? body.length : next;
    if (next !== -1 && partEnd > end && body[partEnd - 1] === 0x0a) partEnd -= partEnd - 2 >= end && body[partEnd - 2] === 0x0d ? 2 : 1;
    result.parts.push(readPart(body, end, partEnd));
    if (next === -1) result.problems.push('the body ends without the closing "--boundary--" line');
    at = next;
  }
  return result;
}

function readPart(body: Uint8Array, start: number, end: number): MultipartPart {
  const headers: MultipartHeader[] = [];
  let at = start;
  let dataOffset = end;
  while (at < end) {
    const next = Math.min(lineEnd(body, at), end);
    const text = bytesToLatin1(body, at, next).replace(/\r?\n$/, '');
    if (text.length === 0) {
      dataOffset = next;
      break;
    }
    const parsed = parseFieldLine(text, false);
    if (parsed.ok) headers.push({ name: parsed.value.name, value: parsed.value.value, offset: at, length: next - at });
    at = next;
    if (at >= end) dataOffset = end;
  }
  const part: MultipartPart = { offset: start, length: end - start, headers, dataOffset, data: body.slice(dataOffset, end) };
  const disposition = getHeader(headers, 'content-disposition');
  if (disposition) {
    const semi = disposition.indexOf(';');
    const params = semi === -1 ? [] : parseParameters(disposition, semi);
    const name = parameter(params, 'name');
    const filename = parameter(params, 'filename');
    if (name !== undefined) part.name = name;
    if (filename !== undefined) part.filename = filename;
  }
  const type = getHeader(headers, 'content-type');
  if (type !== undefined) part.contentType = type;
  return part;
}
