// Header fields for the HTTP dissector: one node per field line (name, value, line end), and
// inside the value what it is made of: list members and weights, dates, entity tags, cache
// directives, cookies and their attributes, media type parameters, credentials.

import { base64ToBytes, bytesToLatin1, bytesToUtf8, utf8ToBytes } from '../core/bytes';
import { field, type ExpertInfo, type FieldDef, type FieldNode } from '../core/field';
import { previewText } from '../core/summary';
import { explainDirective, parseCacheControl } from './cache-control';
import { explainCookieAttribute, parseCookieHeader, parseSetCookie } from './cookies';
import { formatDuration, parseHttpDateDetailed } from './dates';
import { parseEntityTag } from './etag';
import { splitListWithOffsets } from './headers';
import { headerDoc, type HeaderValueKind } from './header-docs';
import { HTTP_ALL_FIELDS, HTTP_EXPERT, HTTP_FIELDS as F, expertError, expertNote, expertWarn } from './fields';
import { parseMediaType } from './media-type';
import { parseFieldLine } from './syntax';
import { lineEndNode, type Line } from './dissect-lines';

/** Characters of a value shown in a details-tree line before it is cut. */
const VALUE_DISPLAY_CHARS = 160;

export interface DissectedHeader {
  name: string;
  value: string;
  /** Offset of the value in the message. */
  valueOffset: number;
  node: FieldNode;
}

function latin1Bytes(text: string): Uint8Array {
  return new Uint8Array(Array.from(text, (c) => c.charCodeAt(0) & 0xff));
}

/** Wire text for display (one character per byte): escaped, cut, and read as UTF-8 when it is. */
export function showValue(text: string, max = VALUE_DISPLAY_CHARS): string {
  return previewText(latin1Bytes(text), max);
}

/** Already decoded text (a form field, a decoded path) for display: escaped and cut. */
export function showText(text: string, max = VALUE_DISPLAY_CHARS): string {
  return previewText(utf8ToBytes(text), max);
}

function fieldFor(name: string): FieldDef {
  const doc = headerDoc(name);
  return doc ? HTTP_ALL_FIELDS[`http.header.${doc.id}`] : F['http.header.other'];
}

/** One header line; `side` says which message it is in (cache directives mean different things). */
export function headerNode(bytes: Uint8Array, line: Line, first: boolean, side: 'request' | 'response'): { node: FieldNode; header?: DissectedHeader } {
  const text = bytesToLatin1(bytes, line.offset, line.offset + line.contentLength);
  const end = lineEndNode(line);
  const parsed = parseFieldLine(text, first);
  if (!parsed.ok) {
    const expert = parsed.problem.code === 'obs-fold' ? HTTP_EXPERT.obsFold : expertError(`${parsed.problem.message} (a server answers ${parsed.problem.status})`);
    const children = end ? [end] : [];
    return { node: field(F['http.header.invalid'], line.offset, line.length, text, `Malformed header line: ${showValue(text)}`, { expert, children }) };
  }
  const { name, value, valueOffset } = parsed.value;
  const def = fieldFor(name);
  const absValue = line.offset + valueOffset;
  const kind: HeaderValueKind = headerDoc(name)?.kind ?? 'text';
  const parts = valueParts(kind, value, absValue, side, name);
  const valueNode = field(F['http.header.value'], absValue, value.length, value, `Value: ${showValue(value)}`, { children: parts.children });
  const children: FieldNode[] = [field(F['http.header.name'], line.offset, name.length, name, `Name: ${name}`), valueNode];
  if (end) children.push(end);
  const node = field(def, line.offset, line.length, value, `${name}: ${showValue(value)}`, { children, expert: parts.expert });
  return { node, header: { name, value, valueOffset: absValue, node } };
}

interface ValueParts {
  children: FieldNode[];
  expert?: ExpertInfo;
}

function valueParts(kind: HeaderValueKind, value: string, at: number, side: 'request' | 'response', name: string): ValueParts {
  switch (kind) {
    case 'text':
      return { children: [] };
    case 'number':
      return /^\d+$/.test(value) ? { children: [] } : { children: [], expert: (name.toLowerCase() === 'content-length' ? expertError : expertWarn)(`${name} must be a whole number, not "${value}"`) };
    case 'date':
      return dateParts(value, at);
    case 'list':
      return { children: splitListWithOffsets(value).map((m) => field(F['http.header.member'], at + m.offset, m.text.length, m.text, `Member: ${showValue(m.text)}${memberMeaning(name, m.text)}`)) };
    case 'q-list':
      return { children: splitListWithOffsets(value).map((m) => weightedMember(m.text, at + m.offset)) };
    case 'media-type':
      return mediaTypeParts(value, at);
    case 'cache-control':
      return {
        children: parseCacheControl(value).map((d) => {
          const raw = value.slice(d.offset, d.offset + d.length);
          return field(F['http.cache_control.directive'], at + d.offset, d.length, raw, `${raw}: ${explainDirective(d, side)}`);
        }),
      };
    case 'keep-alive':
      return { children: splitListWithOffsets(value).map((m) => field(F['http.keep_alive.param'], at + m.offset, m.text.length, m.text, `${m.text}: ${keepAliveMeaning(m.text)}`)) };
    case 'cookie':
      return {
        children: parseCookieHeader(value).map((c) => field(F['http.cookie'], at + c.offset, c.length, `${c.name}=${c.value}`, `Cookie: ${showValue(c.name)} = ${showValue(c.value)}`)),
      };
    case 'set-cookie':
      return setCookieParts(value, at);
    case 'etag': {
      const tag = parseEntityTag(value);
      if (!tag) return { children: [], expert: expertWarn(`"${value}" is not an entity tag (a quoted string, optionally with W/ before it)`) };
      return { children: [etagNode(tag, at, value.length)] };
    }
    case 'etag-list':
      if (value.trim() === '*') return { children: [field(F['http.header.member'], at, value.length, '*', 'Member: * (any current version of the resource)')] };
      return {
        children: splitListWithOffsets(value).map((m) => {
          const tag = parseEntityTag(m.text);
          return tag ? etagNode(tag, at + m.offset, m.text.length) : field(F['http.header.member'], at + m.offset, m.text.length, m.text, `Member: ${showValue(m.text)}`, { expert: expertWarn('not an entity tag') });
        }),
      };
    case 'authorization':
      return authorizationParts(value, at);
    case 'challenge': {
      const sp = value.indexOf(' ');
      const scheme = sp === -1 ? value : value.slice(0, sp);
      const children = [field(F['http.authorization.scheme'], at, scheme.length, scheme, `Scheme: ${scheme}`)];
      if (sp !== -1) {
        const rest = value.slice(sp + 1);
        for (const m of splitListWithOffsets(rest)) children.push(field(F['http.header.param'], at + sp + 1 + m.offset, m.text.length, m.text, `Parameter: ${showValue(m.text)}`));
      }
      return { children };
    }
  }
}

const CONNECTION_TOKENS: Readonly<Record<string, string>> = {
  close: 'the sender closes the connection after this message',
  'keep-alive': 'keep the connection open for more requests (HTTP/1.0 needs this; HTTP/1.1 does it anyway)',
  upgrade: 'the Upgrade header applies to this connection only',
  te: 'the TE header applies to this connection only',
};

const CODINGS: Readonly<Record<string, string>> = {
  chunked: 'the body comes in chunks, each preceded by its size in hexadecimal',
  gzip: 'compressed with gzip',
  deflate: 'compressed with zlib deflate',
  br: 'compressed with Brotli',
  identity: 'no transformation',
};

function memberMeaning(header: string, member: string): string {
  const h = header.toLowerCase();
  const m = member.toLowerCase();
  const meaning = h === 'connection' ? CONNECTION_TOKENS[m] : h === 'transfer-encoding' || h === 'content-encoding' ? CODINGS[m] : undefined;
  return meaning ? ` (${meaning})` : '';
}

function weightedMember(text: string, at: number): FieldNode {
  const semi = text.indexOf(';');
  const item = (semi === -1 ? text : text.slice(0, semi)).trim();
  const q = /;\s*q\s*=\s*([0-9.]+)/i.exec(text);
  const weight = q ? Number(q[1]) : 1;
  const children: FieldNode[] = [];
  if (q) children.push(field(F['http.header.weight'], at + q.index, q[0].length, weight, `Weight: ${weight}${weight === 0 ? ' (not acceptable)' : ''}`));
  const valid = Number.isFinite(weight) && weight >= 0 && weight <= 1;
  return field(F['http.header.member'], at, text.length, item, `Member: ${showValue(item)} (weight ${q ? q[1] : '1'})`, {
    children,
    expert: valid ? undefined : expertWarn(`q=${q?.[1]} is not a weight between 0 and 1`),
  });
}

function keepAliveMeaning(param: string): string {
  const m = /^(\w+)\s*=\s*(\S+)$/.exec(param);
  if (!m) {
    return /^\d+$/.test(param) ? `a bare number: old browsers (like the course's Firefox 3.6) meant "keep it open ${param} s"` : 'not a parameter servers know';
  }
  const n = Number(m[2]);
  switch (m[1].toLowerCase()) {
    case 'timeout':
      return Number.isFinite(n) ? `the server closes the connection after ${formatDuration(n)} without a request` : 'not a number of seconds';
    case 'max':
      return Number.isFinite(n) ? `the server answers at most ${n} more request${n === 1 ? '' : 's'} on this connection` : 'not a number';
    default:
      return 'not a parameter servers know';
  }
}

function dateParts(value: string, at: number): ValueParts {
  const parsed = parseHttpDateDetailed(value);
  if (!parsed) return { children: [], expert: expertWarn(`"${value}" is not an HTTP date such as "Sun, 06 Nov 1994 08:49:37 GMT"`) };
  const iso = new Date(parsed.ms).toISOString();
  const expert = !parsed.weekdayMatches
    ? expertWarn('the weekday does not match the date')
    : parsed.form !== 'IMF-fixdate'
      ? expertNote(`obsolete ${parsed.form} date form: senders must use IMF-fixdate (recipients still accept it)`)
      : undefined;
  return { children: [field(F['http.header.date'], at, value.length, iso, `Date: ${iso} (${parsed.form})`, { generated: true, expert })] };
}

function etagNode(tag: { weak: boolean; opaque: string }, at: number, length: number): FieldNode {
  const desc = tag.weak ? 'weak: same meaning, maybe not the same bytes' : 'strong: exactly these bytes';
  return field(F['http.header.etag'], at, length, tag.opaque, `Entity tag: "${showValue(tag.opaque)}" (${desc})`, { generated: true });
}

function mediaTypeParts(value: string, at: number): ValueParts {
  const mt = parseMediaType(value);
  if (!mt) return { children: [], expert: expertWarn(`"${value}" is not a media type such as text/html`) };
  const lead = value.length - value.trimStart().length;
  const children = [field(F['http.content_type.media_type'], at + lead, mt.type.length + 1 + mt.subtype.length, mt.essence, `Media type: ${mt.essence}`)];
  for (const p of mt.params) children.push(field(F['http.header.param'], at + p.offset, p.length, p.value, `Parameter: ${p.name} = ${showValue(p.value)}`));
  return { children };
}

function setCookieParts(value: string, at: number): ValueParts {
  const c = parseSetCookie(value);
  if (!c) return { children: [], expert: expertWarn('Set-Cookie without a name=value pair: browsers ignore it') };
  const children = [field(F['http.set_cookie.pair'], at, c.pairLength, `${c.name}=${c.value}`, `Cookie: ${showValue(c.name)} = ${showValue(c.value)}`)];
  for (const a of c.attributes) {
    children.push(
      field(F['http.set_cookie.attribute'], at + a.offset, a.length, value.slice(a.offset, a.offset + a.length), `${a.name}${a.value !== undefined ? `=${showValue(a.value)}` : ''}: ${explainCookieAttribute(a)}`, {
        expert: a.ignored ? expertWarn(`ignored: ${a.ignored}`) : undefined,
      }),
    );
  }
  const expert = c.problems.length > 0 ? expertWarn(c.problems.join('; ')) : undefined;
  return { children, expert };
}

function authorizationParts(value: string, at: number): ValueParts {
  const sp = value.indexOf(' ');
  const scheme = sp === -1 ? value : value.slice(0, sp);
  const children = [field(F['http.authorization.scheme'], at, scheme.length, scheme, `Scheme: ${scheme}`)];
  if (sp === -1) return { children };
  const credentials = value.slice(sp + 1).trim();
  const credAt = at + value.indexOf(credentials, sp);
  children.push(field(F['http.authorization.credentials'], credAt, credentials.length, credentials, `Credentials: ${showValue(credentials)}`));
  if (scheme.toLowerCase() !== 'basic') return { children };
  if (!/^[A-Za-z0-9+/]+=*$/.test(credentials)) return { children, expert: expertWarn('Basic credentials must be base64') };
  const decoded = bytesToUtf8(base64ToBytes(credentials));
  const colon = decoded.indexOf(':');
  const shown = colon === -1 ? `"${showText(decoded)}" (no colon: not user:password)` : `user "${showText(decoded.slice(0, colon))}", password "${showText(decoded.slice(colon + 1))}"`;
  children.push(field(F['http.authorization.decoded'], credAt, credentials.length, decoded, `Decoded: ${shown}`, { generated: true }));
  return { children, expert: HTTP_EXPERT.basicCleartext };
}
