// Records as text, in the presentation format of zone files and dig (RFC 1035 §5.1):
// `gaia.cs.umass.edu. 3600 IN A 128.119.245.12`. Unknown types use the generic form of RFC 3597 §5
// (`\# 4 0a000001`). The terminal's dig, the explanations and the zone editor all print with these.

import { type DnsQuestion, type DnsRdata, type DnsRecord, RR_TYPE, className, readEdns, typeName } from './message';

/** A character-string in double quotes, `"` and `\` escaped, unprintable octets as \DDD (RFC 1035 §5.1). */
export function quoteCharacterString(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${b.toString().padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The RDATA part of a record line. */
export function formatRdata(data: DnsRdata): string {
  switch (data.kind) {
    case 'A':
    case 'AAAA':
      return data.address;
    case 'NS':
    case 'PTR':
      return data.host;
    case 'CNAME':
      return data.target;
    case 'MX':
      return `${data.preference} ${data.exchange}`;
    case 'TXT':
      return data.strings.map(quoteCharacterString).join(' ');
    case 'SOA':
      return `${data.mname} ${data.rname} ${data.serial} ${data.refresh} ${data.retry} ${data.expire} ${data.minimum}`;
    case 'OPT':
      return data.options.map((o) => `option ${o.code} (${o.data.length} octets)`).join(', ') || 'no options';
    case 'raw':
      return data.bytes.length === 0 ? '\\# 0' : `\\# ${data.bytes.length} ${hex(data.bytes)}`;
  }
}

/** One record as a zone-file line: owner, TTL, class, type, data. OPT gets a line of its own kind. */
export function formatRecord(record: DnsRecord, ttl = record.ttl): string {
  if (record.type === RR_TYPE.OPT) {
    const e = readEdns(record);
    return `; EDNS: version ${e.version}, flags:${e.dnssecOk ? ' do' : ''}; udp: ${e.udpPayloadSize}${e.options.length > 0 ? `; ${formatRdata(record.data)}` : ''}`;
  }
  return `${record.name}\t${ttl}\t${className(record.class)}\t${typeName(record.type)}\t${formatRdata(record.data)}`;
}

/** A question the way dig prints it in its QUESTION SECTION. */
export function formatQuestion(q: DnsQuestion): string {
  return `;${q.name}\t\t${className(q.class)}\t${typeName(q.type)}`;
}

const UNITS: ReadonlyArray<[number, string]> = [
  [7 * 86400, 'week'],
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** Seconds in words, largest units first: `1 day 2 hours`, `0 seconds`. */
export function describeDuration(seconds: number): string {
  if (seconds === 0) return '0 seconds';
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
      rest -= n * size;
    }
  }
  return parts.join(' ');
}

/**
 * Significant digits of a generated time: the capture's clock is a float of milliseconds, and
 * more digits than these are noise from it, not measurement (a loopback round trip varies more).
 */
export const TIME_SIGNIFICANT_DIGITS = 3;
/** Decimals of a millisecond at most: a microsecond is the finest step worth reading. */
export const TIME_MAX_DECIMALS = 3;

/**
 * Milliseconds for the breakdown, rounded to TIME_SIGNIFICANT_DIGITS with at most
 * TIME_MAX_DECIMALS decimals and no trailing zeros: `0.953`, `12.3`, `1235`. A negative or
 * non-finite time (clocks of two captures) shows as `0`.
 */
export function formatMilliseconds(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0';
  const integerDigits = Math.floor(Math.log10(ms)) + 1;
  const decimals = Math.min(TIME_MAX_DECIMALS, Math.max(0, TIME_SIGNIFICANT_DIGITS - integerDigits));
  return String(Number(ms.toFixed(decimals)));
}
