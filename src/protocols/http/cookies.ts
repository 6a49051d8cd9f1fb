// Cookies (RFC 6265): the server hands the browser state with Set-Cookie, and the browser sends it
// back with Cookie on later requests to the same site, which is how a stateless protocol
// remembers a shopping cart or a login. Parsers keep offsets for the breakdown and never throw.

import { formatHttpDate, parseHttpDate } from './dates';
import { isToken } from './headers';

export type SameSite = 'Strict' | 'Lax' | 'None';

export interface CookieAttribute {
  /** As written, e.g. `Max-Age`. */
  name: string;
  value?: string;
  /** Offset within the Set-Cookie value, and the attribute's length. */
  offset: number;
  length: number;
  /** Why the attribute is ignored (RFC 6265 §5.2), if it is. */
  ignored?: string;
}

export interface SetCookie {
  name: string;
  value: string;
  /** The `name=value` pair's length from offset 0 of the field value. */
  pairLength: number;
  attributes: CookieAttribute[];
  /** Expires as ms since the epoch, when valid. */
  expires?: number;
  maxAge?: number;
  domain?: string;
  path?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: SameSite;
  problems: string[];
}

const KNOWN_ATTRIBUTES = ['expires', 'max-age', 'domain', 'path', 'secure', 'httponly', 'samesite'];

/** Parses one Set-Cookie value (RFC 6265 §5.2); null when there is no `name=value` pair at all. */
export function parseSetCookie(value: string): SetCookie | null {
  const semi = value.indexOf(';');
  const pair = semi === -1 ? value : value.slice(0, semi);
  const eq = pair.indexOf('=');
  if (eq === -1) return null;
  const name = pair.slice(0, eq).trim();
  const cookie: SetCookie = { name, value: stripQuotes(pair.slice(eq + 1).trim()), pairLength: pair.trimEnd().length, attributes: [], secure: false, httpOnly: false, problems: [] };
  if (name.length === 0) cookie.problems.push('the cookie has no name');
  else if (!isToken(name)) cookie.problems.push(`the cookie name "${name}" is not a token`);
  let at = semi;
  while (at !== -1 && at < value.length) {
    const next = value.indexOf(';', at + 1);
    const raw = value.slice(at + 1, next === -1 ? value.length : next);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text.length > 0) cookie.attributes.push(readAttribute(cookie, text, at + 1 + lead));
    at = next;
  }
  return cookie;
}

function stripQuotes(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function readAttribute(cookie: SetCookie, text: string, offset: number): CookieAttribute {
  const eq = text.indexOf('=');
  const name = (eq === -1 ? text : text.slice(0, eq)).trim();
  const attr: CookieAttribute = { name, offset, length: text.length };
  if (eq !== -1) attr.value = text.slice(eq + 1).trim();
  const v = attr.value ?? '';
  switch (name.toLowerCase()) {
    case 'expires': {
      const ms = parseHttpDate(v);
      if (ms === null) attr.ignored = `"${v}" is not a date`;
      else cookie.expires = ms;
      break;
    }
    case 'max-age':
      if (/^-?\d+$/.test(v)) cookie.maxAge = Number(v);
      else attr.ignored = `"${v}" is not a whole number of seconds`;
      break;
    case 'domain':
      if (v.length === 0) attr.ignored = 'an empty Domain is ignored';
      else cookie.domain = v.replace(/^\./, '').toLowerCase();
      break;
    case 'path':
      if (!v.startsWith('/')) attr.ignored = 'a Path must start with "/"; the default path is used';
      else cookie.path = v;
      break;
    case 'secure':
      cookie.secure = true;
      break;
    case 'httponly':
      cookie.httpOnly = true;
      break;
    case 'samesite': {
      const s = v.toLowerCase();
      if (s === 'strict') cookie.sameSite = 'Strict';
      else if (s === 'lax') cookie.sameSite = 'Lax';
      else if (s === 'none') cookie.sameSite = 'None';
      else attr.ignored = `"${v}" is not Strict, Lax or None`;
      break;
    }
    default:
      attr.ignored = 'not an attribute browsers know';
  }
  if (attr.ignored && KNOWN_ATTRIBUTES.includes(name.toLowerCase())) cookie.problems.push(`${name}: ${attr.ignored}`);
  return attr;
}

/** What an attribute tells the browser, in a sentence. */
export function explainCookieAttribute(attr: CookieAttribute): string {
  if (attr.ignored) return `ignored: ${attr.ignored}`;
  switch (attr.name.toLowerCase()) {
    case 'expires':
      return 'the browser keeps the cookie until this date (without Expires or Max-Age it is a session cookie, gone when the browser closes)';
    case 'max-age':
      return Number(attr.value) <= 0 ? 'zero or less: the browser deletes the cookie now' : `the browser keeps the cookie for ${attr.value} s; Max-Age wins over Expires`;
    case 'domain':
      return `sent back to ${attr.value?.replace(/^\./, '')} and all its subdomains`;
    case 'path':
      return `sent back only for paths under ${attr.value}`;
    case 'secure':
      return 'sent back only over HTTPS';
    case 'httponly':
      return 'hidden from page scripts (document.cookie), which blunts cookie theft by injected scripts';
    case 'samesite':
      return 'whether the cookie goes along on requests that other sites start (Strict: never, Lax: on top-level links, None: always, with Secure)';
    default:
      return 'not a cookie attribute';
  }
}

export interface CookiePair {
  name: string;
  value: string;
  /** Offset within the Cookie value and the pair's length. */
  offset: number;
  length: number;
}

/** The pairs of a Cookie request header (RFC 6265 §4.2: `a=1; b=2`). */
export function parseCookieHeader(value: string): CookiePair[] {
  const pairs: CookiePair[] = [];
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(';', start);
    if (end === -1) end = value.length;
    const raw = value.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text.length > 0) {
      const eq = text.indexOf('=');
      pairs.push({ name: eq === -1 ? '' : text.slice(0, eq).trim(), value: stripQuotes(eq === -1 ? text : text.slice(eq + 1).trim()), offset: start + lead, length: text.length });
    }
    start = end + 1;
  }
  return pairs;
}

export interface SetCookieInit {
  name: string;
  value: string;
  expires?: number;
  maxAge?: number;
  domain?: string;
  path?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: SameSite;
}

const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

export type SerializedCookie = { ok: true; value: string } | { ok: false; error: string };

/**
 * A Set-Cookie value (RFC 6265 §4.1). A value with characters a cookie cannot carry (space, quote,
 * comma, semicolon, backslash, non-ASCII) is percent-encoded; a name that is not a token is an error.
 */
export function serializeSetCookie(c: SetCookieInit): SerializedCookie {
  if (!isToken(c.name)) return { ok: false, error: `cookie name ${JSON.stringify(c.name)} is not a token` };
  for (const [attr, v] of [['Domain', c.domain], ['Path', c.path]] as const) {
    if (v !== undefined && /[;\x00-\x1f\x7f]/.test(v)) return { ok: false, error: `${attr} ${JSON.stringify(v)} holds a semicolon or control character` };
  }
  const value = COOKIE_VALUE.test(c.value) ? c.value : encodeURIComponent(c.value);
  const parts = [`${c.name}=${value}`];
  if (c.expires !== undefined) parts.push(`Expires=${formatHttpDate(c.expires)}`);
  if (c.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(c.maxAge)}`);
  if (c.domain !== undefined) parts.push(`Domain=${c.domain}`);
  if (c.path !== undefined) parts.push(`Path=${c.path}`);
  if (c.secure) parts.push('Secure');
  if (c.httpOnly) parts.push('HttpOnly');
  if (c.sameSite !== undefined) parts.push(`SameSite=${c.sameSite}`);
  return { ok: true, value: parts.join('; ') };
}
