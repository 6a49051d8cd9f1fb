// Header fields as data: a list of name/value pairs in the order they came (RFC 9110 §5.3 lets a
// field appear more than once, and order matters for repeated fields), with the lookups the
// engine, the cache and the dissector need. Names compare case-insensitively (RFC 9110 §5.1).

export interface HttpHeader {
  name: string;
  value: string;
}

/** Header input in the shape callers find handiest: objects or `[name, value]` pairs. */
export type HeaderInput = ReadonlyArray<HttpHeader | readonly [string, string]>;

export function toHeaderList(input: HeaderInput | undefined): HttpHeader[] {
  if (!input) return [];
  return input.map((h) => (Array.isArray(h) ? { name: h[0], value: h[1] } : { name: (h as HttpHeader).name, value: (h as HttpHeader).value }));
}

/** RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** A field value may hold visible characters, obs-text, spaces and tabs, but no CR, LF or NUL (RFC 9110 §5.5). */
export function isValidFieldValue(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}

function sameName(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

// The lookups below are plain loops: the server runs several of them per request.

export function hasHeader(headers: readonly HttpHeader[], name: string): boolean {
  for (const h of headers) if (sameName(h.name, name)) return true;
  return false;
}

/** The first value of `name`, or undefined. */
export function getHeader(headers: readonly HttpHeader[], name: string): string | undefined {
  for (const h of headers) if (sameName(h.name, name)) return h.value;
  return undefined;
}

/** Every value of `name`, one per field line, in order. */
export function getHeaderValues(headers: readonly HttpHeader[], name: string): string[] {
  const out: string[] = [];
  for (const h of headers) if (sameName(h.name, name)) out.push(h.value);
  return out;
}

/**
 * The members of a comma-separated list field across all its lines (RFC 9110 §5.6.1), trimmed,
 * empty members dropped; commas inside quoted strings do not split.
 */
export function getListMembers(headers: readonly HttpHeader[], name: string): string[] {
  return getHeaderValues(headers, name).flatMap(splitList);
}

/** Whether a list field such as Connection holds `token` (case-insensitive). */
export function hasToken(headers: readonly HttpHeader[], name: string, token: string): boolean {
  const want = token.toLowerCase();
  for (const h of headers) {
    if (!sameName(h.name, name)) continue;
    for (const m of splitList(h.value)) if (m.toLowerCase() === want) return true;
  }
  return false;
}

/** Splits `a, "b,c", d` into members, keeping quoted strings whole. */
export function splitList(value: string): string[] {
  return splitListWithOffsets(value).map((m) => m.text);
}

export interface ListMember {
  text: string;
  /** Offset of the member's first character in the field value. */
  offset: number;
}

/** The members of a list value with where each starts, for dissectors. */
export function splitListWithOffsets(value: string): ListMember[] {
  const out: ListMember[] = [];
  let start = 0;
  let quoted = false;
  const flush = (end: number) => {
    const raw = value.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text.length > 0) out.push({ text, offset: start + lead });
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      flush(i);
      start = i + 1;
    }
  }
  flush(value.length);
  return out;
}

/** A copy without any field named in `names`. */
export function withoutHeaders(headers: readonly HttpHeader[], names: readonly string[]): HttpHeader[] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter((h) => !drop.has(h.name.toLowerCase()));
}

/** A copy with every `name` field replaced by one line holding `value`, at the first one's place (or the end). */
export function withHeader(headers: readonly HttpHeader[], name: string, value: string): HttpHeader[] {
  const out: HttpHeader[] = [];
  let placed = false;
  for (const h of headers) {
    if (!sameName(h.name, name)) out.push({ name: h.name, value: h.value });
    else if (!placed) {
      out.push({ name: h.name, value });
      placed = true;
    }
  }
  if (!placed) out.push({ name, value });
  return out;
}

/** Removes surrounding quotes and backslash escapes from a quoted-string (RFC 9110 §5.6.4). */
export function unquote(text: string): string {
  if (text.length < 2 || text[0] !== '"' || text[text.length - 1] !== '"') return text;
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * Hop-by-hop fields: they belong to one connection and are never forwarded or stored (RFC 9110
 * §7.6.1 names Connection, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding and Upgrade; the
 * proxy authentication pair is per hop too, as RFC 2616 §13.5.1 listed).
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
];

/** A copy without hop-by-hop fields, including those the Connection field names (RFC 9110 §7.6.1). */
export function withoutHopByHop(headers: readonly HttpHeader[]): HttpHeader[] {
  const named = getListMembers(headers, 'connection').map((m) => m.toLowerCase());
  return withoutHeaders(headers, [...HOP_BY_HOP_HEADERS, ...named]);
}
