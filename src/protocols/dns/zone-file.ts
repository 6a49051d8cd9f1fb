// The master-file (zone file) format of RFC 1035 §5: one record per line, `$ORIGIN` and `$TTL`
// (RFC 2308 §4) directives, `@` for the origin, names relative to the origin unless they end in a
// dot, a blank owner meaning "the same as the line before", parentheses to continue a record over
// several lines, `;` comments, and quoted strings for TXT. It reads the types the lab serves (A,
// AAAA, NS, CNAME, PTR, MX, TXT, SOA) and, for any type, the generic `\# length hex` form of
// RFC 3597 §5.
//
// Problems are values with a line and a column, so the zone editor can underline them and the
// lab can print `zones/umass.edu.zone:12:5: MX needs a preference and a host name`. The parser
// reads on after an error, so one pass reports every broken line.

import type { ZoneProblemInfo } from '../../shared/dns';
import { parseIPv4, parseIPv6 } from './addresses';
import { DNS_MAX_CHARACTER_STRING, DNS_MAX_RDLENGTH, DNS_MAX_TTL } from './limits';
import { type DnsRdata, type DnsRecord, DNS_CLASS_IN, RR_TYPE, classCode, typeCode, typeName } from './message';
import { labelsToName, nameKey, parseName, splitName } from './names';

export type ZoneProblemSeverity = 'error' | 'warning';

export interface ZoneProblem {
  severity: ZoneProblemSeverity;
  /** The file as the user knows it, e.g. `zones/umass.edu.zone`. */
  file: string;
  /** 1-based line and column (columns count UTF-16 code units, as editors do). */
  line: number;
  column: number;
  /** Characters the problem covers from the column, when it is about one token. */
  length?: number;
  message: string;
}

/** A problem as the LabApi carries it: without the file's name, which the caller already has. */
export function zoneProblemInfo(p: ZoneProblem): ZoneProblemInfo {
  const info: ZoneProblemInfo = { severity: p.severity, line: p.line, column: p.column, message: p.message };
  if (p.length !== undefined) info.length = p.length;
  return info;
}

/** `zones/umass.edu.zone:12:5: MX needs a preference and a host name` */
export function formatZoneProblem(p: ZoneProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

/** A record and where it was written. */
export interface ZoneFileRecord {
  record: DnsRecord;
  line: number;
  column: number;
}

export interface ZoneFileParse {
  records: ZoneFileRecord[];
  problems: ZoneProblem[];
}

export interface ZoneFileOptions {
  /** Shown in problems; default `zone`. */
  file?: string;
  /** The origin before any $ORIGIN line: normally the zone's apex. */
  origin?: string;
}

/**
 * A final dot makes a name absolute unless it is escaped: `a\.` is the label "a." (relative), but
 * in `a\\.` the backslash escapes a backslash and the dot ends the name (RFC 1035 §5.1). Odd
 * backslashes before the dot escape it.
 */
export function endsWithUnescapedDot(text: string): boolean {
  if (!text.endsWith('.')) return false;
  let slashes = 0;
  for (let i = text.length - 2; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/**
 * The top-level domains of the lab's world: the last label of every zone in content/zones
 * (arpa for the reverse zones under in-addr.arpa). A relative name ending in one of them is
 * almost always an absolute name missing its final dot.
 */
export const LAB_TOP_LEVEL_DOMAINS: readonly string[] = ['arpa', 'com', 'edu', 'fr', 'net', 'nz', 'org'];

/**
 * TTLs may be written in seconds (RFC 1035) or with BIND's units: `1h30m`, `2d`, `1w`. The
 * units are not in the RFC but every zone file in the wild uses them.
 */
const TTL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const TTL_TEXT = /^(\d+|(\d+[smhdwSMHDW])+)$/;

/** Seconds for a TTL text, or null when it is not one. */
export function parseTtl(text: string): number | null {
  if (!TTL_TEXT.test(text)) return null;
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  for (const m of text.matchAll(/(\d+)([smhdw])/gi)) total += Number(m[1]) * TTL_UNITS[m[2].toLowerCase()];
  return total;
}

interface Token {
  text: string;
  /** For a quoted string: its octets with escapes resolved. */
  quoted?: Uint8Array;
  line: number;
  column: number;
  /** Characters the token takes in the source, quotes included. */
  width: number;
}

interface Entry {
  tokens: Token[];
  /** The line started with white space: the owner is the previous record's. */
  blankOwner: boolean;
  line: number;
  /** The tokenizer already reported a problem in it (a quote or parenthesis); it is not read further. */
  broken: boolean;
}

const QUOTE = '"';

/** Splits the text into logical entries: lines, with parenthesised groups joined (RFC 1035 §5.1). */
function tokenize(text: string, report: (line: number, column: number, message: string, length?: number) => void): Entry[] {
  const entries: Entry[] = [];
  let broken = false;
  const problem = (line: number, column: number, message: string, length?: number) => {
    broken = true;
    report(line, column, message, length);
  };
  let tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let entryLine = 1;
  let blankOwner = false;
  let atEntryStart = true;
  let open: { line: number; column: number } | null = null;
  let i = 0;
  const endEntry = () => {
    if (tokens.length > 0) entries.push({ tokens, blankOwner, line: entryLine, broken });
    tokens = [];
    broken = false;
    atEntryStart = true;
  };
  while (i < text.length) {
    const ch = text[i];
    const column = i - lineStart + 1;
    if (atEntryStart && !open) {
      entryLine = line;
      blankOwner = ch === ' ' || ch === '\t';
      atEntryStart = false;
    }
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      lineStart = i;
      if (!open) endEntry();
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === ';') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (ch === '(') {
      if (open) problem(line, column, `a second "(" before the ")" of the one at line ${open.line}: parentheses do not nest`, 1);
      else open = { line, column };
      i++;
      continue;
    }
    if (ch === ')') {
      if (!open) problem(line, column, 'a ")" without a "(" before it', 1);
      open = null;
      i++;
      continue;
    }
    if (ch === QUOTE) {
      const octets: number[] = [];
      let j = i + 1;
      let closed = false;
      let bad = false;
      while (j < text.length) {
        const c = text[j];
        if (c === '\n' || c === '\r') break;
        if (c === QUOTE) {
          closed = true;
          break;
        }
        if (c === '\\') {
          const digits = text.slice(j + 1, j + 4);
          if (/^\d{3}$/.test(digits) && Number(digits) <= 255) {
            octets.push(Number(digits));
            j += 4;
            continue;
          }
          if (j + 1 < text.length && text[j + 1] !== '\n' && text[j + 1] !== '\r') {
            octets.push(...new TextEncoder().encode(text[j + 1]));
            j += 2;
            continue;
          }
          bad = true;
          j++;
          continue;
        }
        const cp = text.codePointAt(j) ?? 0;
        const ch2 = String.fromCodePoint(cp);
        octets.push(...new TextEncoder().encode(ch2));
        j += ch2.length;
      }
      if (!closed) {
        problem(line, column, 'this quoted string has no closing quote on its line', j - i);
        i = j;
        continue;
      }
      if (bad) problem(line, column, 'a backslash at the end of a quoted string escapes nothing', j + 1 - i);
      tokens.push({ text: text.slice(i, j + 1), quoted: Uint8Array.from(octets), line, column, width: j + 1 - i });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length) {
      const c = text[j];
      if (c === '\\' && j + 1 < text.length && text[j + 1] !== '\n' && text[j + 1] !== '\r') {
        j += 2;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '(' || c === ')' || c === QUOTE) break;
      j++;
    }
    tokens.push({ text: text.slice(i, j), line, column, width: j - i });
    i = j;
  }
  if (open) problem(open.line, open.column, 'this "(" is never closed', 1);
  endEntry();
  return entries;
}

/** Octets of an unquoted TXT word, with \X and \DDD resolved. */
function unquotedOctets(text: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\\' && /^\d{3}$/.test(text.slice(i + 1, i + 4)) && Number(text.slice(i + 1, i + 4)) <= 255) {
      out.push(Number(text.slice(i + 1, i + 4)));
      i += 4;
    } else if (text[i] === '\\' && i + 1 < text.length) {
      out.push(...enc.encode(text[i + 1]));
      i += 2;
    } else {
      const cp = text.codePointAt(i) ?? 0;
      const s = String.fromCodePoint(cp);
      out.push(...enc.encode(s));
      i += s.length;
    }
  }
  return Uint8Array.from(out);
}

class ZoneFileParser {
  readonly records: ZoneFileRecord[] = [];
  readonly problems: ZoneProblem[] = [];
  private origin: string | null;
  private defaultTtl: number | null = null;
  private lastTtl: number | null = null;
  private lastOwner: string | null = null;

  constructor(
    private readonly file: string,
    origin: string | undefined,
  ) {
    this.origin = null;
    if (origin !== undefined) {
      const parsed = parseName(origin);
      if (parsed.ok) this.origin = labelsToName(parsed.labels);
      else this.problem(1, 1, `the zone's origin ${JSON.stringify(origin)} is not a domain name: ${parsed.message}`);
    }
  }

  problem(line: number, column: number, message: string, length?: number, severity: ZoneProblemSeverity = 'error'): void {
    const p: ZoneProblem = { severity, file: this.file, line, column, message };
    if (length !== undefined) p.length = length;
    this.problems.push(p);
  }

  private at(token: Token, message: string): void {
    this.problem(token.line, token.column, message, token.width);
  }

  /**
   * A name token made absolute: `@` is the origin, a name without a final dot is relative to it.
   * For the name a record points to (`target`), a relative name that looks absolute gets a warning.
   */
  private name(token: Token, what: string, target = false): string | null {
    if (token.quoted) {
      this.at(token, `${what} is a name, not a quoted string`);
      return null;
    }
    const text = token.text;
    if (text === '@') {
      if (this.origin === null) {
        this.at(token, '"@" stands for the origin, but no $ORIGIN was given');
        return null;
      }
      return this.origin;
    }
    const absolute = endsWithUnescapedDot(text);
    if (!absolute && this.origin === null) {
      this.at(token, `${what} ${text} is relative (no final dot) but no $ORIGIN was given`);
      return null;
    }
    const full = absolute ? text : this.origin === '.' ? `${text}.` : `${text}.${this.origin}`;
    const parsed = parseName(full);
    if (!parsed.ok) {
      this.at(token, `${what} ${text} is not a valid name: ${parsed.message}`);
      return null;
    }
    const name = labelsToName(parsed.labels);
    if (target && !absolute) this.checkRelativeTarget(token, name);
    return name;
  }

  /**
   * The most common zone-file mistake: a target written without its final dot is relative (RFC
   * 1035 §5.1), so `alias CNAME www.umass.edu` in umass.edu. means www.umass.edu.umass.edu. When
   * the relative text already ends in the origin's name or in a top-level domain of the lab, the
   * author almost surely meant the absolute name: a warning, since the record is still valid.
   */
  private checkRelativeTarget(token: Token, full: string): void {
    const origin = this.origin;
    // Under the root a relative name means what it says, final dot or not.
    if (origin === null || origin === '.') return;
    const parsed = parseName(token.text);
    if (!parsed.ok || parsed.labels.length === 0) return;
    const relative = splitName(nameKey(labelsToName(parsed.labels)));
    const originLabels = splitName(nameKey(origin));
    const tail = relative.slice(relative.length - originLabels.length);
    const endsInOrigin = relative.length >= originLabels.length && tail.every((l, i) => l === originLabels[i]);
    const endsInTld = LAB_TOP_LEVEL_DOMAINS.includes(relative[relative.length - 1]);
    if (!endsInOrigin && !endsInTld) return;
    this.problem(token.line, token.column, `${token.text} has no final dot, so it is relative to ${origin}: it means ${full}; write ${token.text}. if you meant that name`, token.width, 'warning');
  }

  private ttl(token: Token, what: string): number | null {
    const value = parseTtl(token.text);
    if (value === null) {
      this.at(token, `${what} ${JSON.stringify(token.text)} is not a time: write seconds, or a number with s, m, h, d or w (e.g. 1h)`);
      return null;
    }
    if (value > DNS_MAX_TTL) {
      this.at(token, `${what} of ${value} seconds is more than ${DNS_MAX_TTL} (RFC 2181 §8)`);
      return null;
    }
    return value;
  }

  private u16(token: Token, what: string): number | null {
    if (!/^\d+$/.test(token.text) || Number(token.text) > 0xffff) {
      this.at(token, `${what} must be a number from 0 to 65535, got ${JSON.stringify(token.text)}`);
      return null;
    }
    return Number(token.text);
  }

  private u32(token: Token, what: string): number | null {
    if (!/^\d+$/.test(token.text) || Number(token.text) > 0xffffffff) {
      this.at(token, `${what} must be a number from 0 to 4294967295, got ${JSON.stringify(token.text)}`);
      return null;
    }
    return Number(token.text);
  }

  entry(e: Entry): void {
    const first = e.tokens[0];
    if (!e.blankOwner && first.text.startsWith('$') && !first.quoted) {
      this.directive(e);
      return;
    }
    let rest = e.tokens;
    let owner: string | null;
    if (e.blankOwner) {
      if (this.lastOwner === null) {
        this.at(first, 'this line starts with white space, which means "the same owner as the record before", but no record came before it');
        return;
      }
      owner = this.lastOwner;
    } else {
      owner = this.name(first, 'the owner');
      rest = rest.slice(1);
      if (owner === null) return;
      this.lastOwner = owner;
    }
    let explicitTtl: number | null = null;
    let klass: number | null = null;
    let k = 0;
    // RFC 1035 §5.1: the TTL and the class may come in either order, and both may be left out.
    for (; k < rest.length && k < 2; k++) {
      const t = rest[k];
      if (t.quoted) break;
      if (explicitTtl === null && TTL_TEXT.test(t.text)) {
        explicitTtl = this.ttl(t, 'the TTL');
        if (explicitTtl === null) return;
        continue;
      }
      const c = classCode(t.text);
      if (klass === null && c !== null && typeCode(t.text) === null) {
        if (c !== DNS_CLASS_IN) {
          this.at(t, `class ${t.text.toUpperCase()}: the lab serves only class IN (the Internet)`);
          return;
        }
        klass = c;
        continue;
      }
      break;
    }
    const typeToken = rest[k];
    if (!typeToken) {
      this.at(rest[rest.length - 1] ?? first, 'a record needs a type (A, NS, MX, ...) and its data after the owner');
      return;
    }
    const type = typeToken.quoted ? null : typeCode(typeToken.text);
    if (type === null) {
      this.at(typeToken, `${JSON.stringify(typeToken.text)} is not a record type (expected A, AAAA, NS, CNAME, PTR, MX, TXT or SOA${explicitTtl === null || klass === null ? ', or a TTL or class before it' : ''})`);
      return;
    }
    // A record without a TTL takes $TTL (RFC 2308 §4), or else the last TTL written (RFC 1035 §5.1).
    if (explicitTtl !== null) this.lastTtl = explicitTtl;
    const ttl = explicitTtl ?? this.defaultTtl ?? this.lastTtl;
    if (ttl === null) {
      this.at(typeToken, 'no TTL for this record: write one before the type, or put a $TTL line at the top of the file (RFC 2308 §4)');
      return;
    }
    const data = this.rdata(type, typeToken, rest.slice(k + 1));
    if (data === null) return;
    this.records.push({ record: { name: owner, type, class: DNS_CLASS_IN, ttl, data }, line: first.line, column: first.column });
  }

  private directive(e: Entry): void {
    const [d, ...args] = e.tokens;
    const name = d.text.toUpperCase();
    if (name === '$ORIGIN') {
      if (args.length !== 1) {
        this.at(d, '$ORIGIN needs exactly one domain name');
        return;
      }
      const origin = this.name(args[0], 'the origin');
      if (origin !== null) this.origin = origin;
      return;
    }
    if (name === '$TTL') {
      if (args.length !== 1) {
        this.at(d, '$TTL needs exactly one time (e.g. $TTL 1h)');
        return;
      }
      const ttl = this.ttl(args[0], 'the $TTL');
      if (ttl !== null) this.defaultTtl = ttl;
      return;
    }
    if (name === '$INCLUDE') {
      this.at(d, '$INCLUDE is not supported in the lab: put the records in this file');
      return;
    }
    this.at(d, `unknown directive ${d.text}: the lab knows $ORIGIN and $TTL`);
  }

  private rdata(type: number, typeToken: Token, args: Token[]): DnsRdata | null {
    const tname = typeName(type);
    if (args.length > 0 && args[0].text === '\\#' && !args[0].quoted) return this.genericRdata(type, typeToken, args);
    const exactly = (n: number, what: string): boolean => {
      if (args.length < n) {
        this.at(args[args.length - 1] ?? typeToken, `${tname} needs ${what}`);
        return false;
      }
      if (args.length > n) {
        this.at(args[n], `unexpected ${JSON.stringify(args[n].text)} after the ${tname} data (${what})`);
        return false;
      }
      return true;
    };
    switch (type) {
      case RR_TYPE.A: {
        if (!exactly(1, 'an IPv4 address')) return null;
        if (!parseIPv4(args[0].text)) {
          this.at(args[0], `${JSON.stringify(args[0].text)} is not an IPv4 address (four numbers 0-255 separated by dots)`);
          return null;
        }
        return { kind: 'A', address: args[0].text };
      }
      case RR_TYPE.AAAA: {
        if (!exactly(1, 'an IPv6 address')) return null;
        const a = parseIPv6(args[0].text);
        if (!a) {
          this.at(args[0], `${JSON.stringify(args[0].text)} is not an IPv6 address`);
          return null;
        }
        return { kind: 'AAAA', address: args[0].text.toLowerCase() };
      }
      case RR_TYPE.NS:
      case RR_TYPE.CNAME:
      case RR_TYPE.PTR: {
        const what = type === RR_TYPE.NS ? 'a name server\'s host name' : type === RR_TYPE.CNAME ? 'the canonical name it is an alias for' : 'the host name the address maps to';
        if (!exactly(1, what)) return null;
        const host = this.name(args[0], `the ${tname} target`, true);
        if (host === null) return null;
        return type === RR_TYPE.CNAME ? { kind: 'CNAME', target: host } : type === RR_TYPE.NS ? { kind: 'NS', host } : { kind: 'PTR', host };
      }
      case RR_TYPE.MX: {
        if (!exactly(2, 'a preference and a host name')) return null;
        const preference = this.u16(args[0], 'the MX preference');
        const exchange = this.name(args[1], 'the mail server', true);
        if (preference === null || exchange === null) return null;
        return { kind: 'MX', preference, exchange };
      }
      case RR_TYPE.TXT: {
        if (args.length === 0) {
          this.at(typeToken, 'TXT needs at least one string, e.g. "hello"');
          return null;
        }
        const strings: Uint8Array[] = [];
        for (const a of args) {
          const octets = a.quoted ?? unquotedOctets(a.text);
          if (octets.length > DNS_MAX_CHARACTER_STRING) {
            this.at(a, `a TXT string of ${octets.length} octets: at most ${DNS_MAX_CHARACTER_STRING} per string; split it into several quoted strings (RFC 1035 §3.3)`);
            return null;
          }
          strings.push(octets);
        }
        return { kind: 'TXT', strings };
      }
      case RR_TYPE.SOA: {
        if (!exactly(7, 'seven fields: primary server, mailbox, serial, refresh, retry, expire and minimum')) return null;
        const mname = this.name(args[0], 'the primary server', true);
        const rname = this.name(args[1], 'the administrator\'s mailbox', true);
        const serial = this.u32(args[2], 'the serial');
        const times = args.slice(3).map((t, i) => this.ttl(t, ['the refresh time', 'the retry time', 'the expire time', 'the minimum (negative caching) time'][i]));
        if (mname === null || rname === null || serial === null || times.some((t) => t === null)) return null;
        const [refresh, retry, expire, minimum] = times as number[];
        return { kind: 'SOA', mname, rname, serial, refresh, retry, expire, minimum };
      }
      case RR_TYPE.OPT:
        this.at(typeToken, 'OPT is a pseudo-record that exists only in messages (EDNS), never in a zone');
        return null;
      default:
        this.at(typeToken, `the lab's zones hold A, AAAA, NS, CNAME, PTR, MX, TXT and SOA records; write ${tname} in the generic form "\\# length hex" (RFC 3597 §5)`);
        return null;
    }
  }

  /** `\# 4 0a000001`: any type's RDATA as a length and hex octets (RFC 3597 §5). */
  private genericRdata(type: number, typeToken: Token, args: Token[]): DnsRdata | null {
    if (type === RR_TYPE.OPT) {
      this.at(typeToken, 'OPT is a pseudo-record that exists only in messages (EDNS), never in a zone');
      return null;
    }
    if (args.length < 2) {
      this.at(args[0], 'the generic form needs a length after \\# (and the data in hex unless it is 0)');
      return null;
    }
    const length = /^\d+$/.test(args[1].text) ? Number(args[1].text) : NaN;
    if (!(length <= DNS_MAX_RDLENGTH)) {
      this.at(args[1], `${JSON.stringify(args[1].text)} is not a length from 0 to ${DNS_MAX_RDLENGTH}`);
      return null;
    }
    const hex = args.slice(2).map((t) => t.text).join('');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) {
      this.at(args[2] ?? args[1], 'the data after the length must be hexadecimal octets');
      return null;
    }
    if (hex.length / 2 !== length) {
      this.at(args[1], `the length says ${length} octets but ${hex.length / 2} follow`);
      return null;
    }
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return { kind: 'raw', bytes };
  }
}

/** Reads a zone file's records. Problems come back with line and column; reading goes on after each. */
export function parseZoneFile(text: string, options: ZoneFileOptions = {}): ZoneFileParse {
  const parser = new ZoneFileParser(options.file ?? 'zone', options.origin);
  const entries = tokenize(text, (line, column, message, length) => parser.problem(line, column, message, length));
  for (const e of entries) if (!e.broken) parser.entry(e);
  parser.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { records: parser.records, problems: parser.problems };
}
