// The DNS wire encoder (RFC 1035 §4.1), with name compression (§4.1.4): a name, or the tail of
// one, that was already written is replaced by a 2-octet pointer to where it was. Names inside
// RDATA are compressed only for the types of RFC 1035 (NS, CNAME, PTR, MX, SOA), as RFC 3597 §4
// requires; everything else is written as it is.
//
// The model comes from code (the authority, a resolver, tests), not from the network, so a model
// that cannot be encoded (a bad name, an address that is not one, a number out of range) is a
// programming error and throws DnsEncodeError, which says which field.

import { parseIPv4, parseIPv6 } from './addresses';
import { DNS_HEADER_LENGTH, DNS_MAX_CHARACTER_STRING, DNS_MAX_RDLENGTH, DNS_TCP_LENGTH_PREFIX, DNS_TCP_MAX } from './limits';
import { type DnsMessage, type DnsRdata, type DnsRecord, RR_TYPE, flagsToWord } from './message';
import { labelsToName, parseName } from './names';

/** Pointers hold a 14-bit offset, so only names starting before this can be pointed to. */
const POINTER_MAX_OFFSET = 0x3fff;

export class DnsEncodeError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'DnsEncodeError';
  }
}

class Writer {
  private buf = new Uint8Array(512);
  length = 0;
  /** Where each name suffix (canonical text, case kept) was written, for compression. */
  private readonly suffixes = new Map<string, number>();

  constructor(private readonly compress: boolean) {}

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf[this.length++] = (v >> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf[this.length++] = (v >>> 24) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  setU16(at: number, v: number): void {
    this.buf[at] = (v >> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  name(text: string, where: string, compressible: boolean): void {
    const parsed = parseName(text);
    if (!parsed.ok) throw new DnsEncodeError(where, `${JSON.stringify(text)} is not a domain name: ${parsed.message}`);
    const labels = parsed.labels;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labelsToName(labels.slice(i));
      if (this.compress && compressible) {
        const at = this.suffixes.get(suffix);
        if (at !== undefined) {
          this.u16(0xc000 | at);
          return;
        }
      }
      if (this.length <= POINTER_MAX_OFFSET && !this.suffixes.has(suffix)) this.suffixes.set(suffix, this.length);
      this.u8(labels[i].length);
      this.bytes(labels[i]);
    }
    this.u8(0);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function checkRange(value: number, max: number, where: string, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new DnsEncodeError(where, `${what} must be an integer from 0 to ${max}, got ${value}`);
  return value;
}

function writeRdata(w: Writer, data: DnsRdata, type: number, where: string): void {
  switch (data.kind) {
    case 'A': {
      const a = parseIPv4(data.address);
      if (!a) throw new DnsEncodeError(where, `${JSON.stringify(data.address)} is not an IPv4 address`);
      w.bytes(a);
      return;
    }
    case 'AAAA': {
      const a = parseIPv6(data.address);
      if (!a) throw new DnsEncodeError(where, `${JSON.stringify(data.address)} is not an IPv6 address`);
      w.bytes(a);
      return;
    }
    case 'NS':
    case 'PTR':
      w.name(data.host, `${where}.host`, true);
      return;
    case 'CNAME':
      w.name(data.target, `${where}.target`, true);
      return;
    case 'MX':
      w.u16(checkRange(data.preference, 0xffff, where, 'MX preference'));
      w.name(data.exchange, `${where}.exchange`, true);
      return;
    case 'TXT':
      if (data.strings.length === 0) throw new DnsEncodeError(where, 'a TXT record needs at least one string (RFC 1035 §3.3.14)');
      for (const s of data.strings) {
        if (s.length > DNS_MAX_CHARACTER_STRING) throw new DnsEncodeError(where, `a TXT string of ${s.length} octets: at most ${DNS_MAX_CHARACTER_STRING} (RFC 1035 §3.3)`);
        w.u8(s.length);
        w.bytes(s);
      }
      return;
    case 'SOA':
      w.name(data.mname, `${where}.mname`, true);
      w.name(data.rname, `${where}.rname`, true);
      for (const k of ['serial', 'refresh', 'retry', 'expire', 'minimum'] as const) w.u32(checkRange(data[k], 0xffffffff, where, `SOA ${k}`));
      return;
    case 'OPT':
      for (const o of data.options) {
        w.u16(checkRange(o.code, 0xffff, where, 'EDNS option code'));
        w.u16(checkRange(o.data.length, 0xffff, where, 'EDNS option length'));
        w.bytes(o.data);
      }
      return;
    case 'raw':
      w.bytes(data.bytes);
      return;
  }
  // A kind the switch does not know: only reachable with data from outside the type system.
  throw new DnsEncodeError(where, `record data of kind ${JSON.stringify((data as { kind: unknown }).kind)} for type ${type}`);
}

/** The type each kind of RDATA belongs to; raw data goes with any type. */
const KIND_TYPE: Readonly<Record<Exclude<DnsRdata['kind'], 'raw'>, number>> = {
  A: RR_TYPE.A,
  AAAA: RR_TYPE.AAAA,
  NS: RR_TYPE.NS,
  CNAME: RR_TYPE.CNAME,
  PTR: RR_TYPE.PTR,
  MX: RR_TYPE.MX,
  TXT: RR_TYPE.TXT,
  SOA: RR_TYPE.SOA,
  OPT: RR_TYPE.OPT,
};

function writeRecord(w: Writer, r: DnsRecord, where: string): void {
  const type = checkRange(r.type, 0xffff, where, 'TYPE');
  if (r.data.kind !== 'raw' && KIND_TYPE[r.data.kind] !== type) {
    throw new DnsEncodeError(where, `${r.data.kind} data in a record of type ${type}`);
  }
  w.name(r.name, `${where}.name`, true);
  w.u16(type);
  w.u16(checkRange(r.class, 0xffff, where, 'CLASS'));
  w.u32(checkRange(r.ttl, 0xffffffff, where, 'TTL'));
  const lengthAt = w.length;
  w.u16(0);
  writeRdata(w, r.data, type, where);
  const rdlength = w.length - lengthAt - 2;
  if (rdlength > DNS_MAX_RDLENGTH) throw new DnsEncodeError(where, `record data of ${rdlength} octets: RDLENGTH is 16 bits`);
  w.setU16(lengthAt, rdlength);
}

export interface DnsEncodeOptions {
  /** Compress names (RFC 1035 §4.1.4). Default true. */
  compress?: boolean;
}

/** The message in wire form, without a TCP length prefix. */
export function encodeMessage(message: DnsMessage, options: DnsEncodeOptions = {}): Uint8Array {
  const w = new Writer(options.compress ?? true);
  w.u16(checkRange(message.id, 0xffff, 'id', 'ID'));
  w.u16(flagsToWord(message.flags));
  const sections = [message.questions, message.answers, message.authorities, message.additionals];
  for (const s of sections) w.u16(checkRange(s.length, 0xffff, 'counts', 'a section count'));
  message.questions.forEach((q, i) => {
    w.name(q.name, `questions[${i}].name`, true);
    w.u16(checkRange(q.type, 0xffff, `questions[${i}]`, 'QTYPE'));
    w.u16(checkRange(q.class, 0xffff, `questions[${i}]`, 'QCLASS'));
  });
  message.answers.forEach((r, i) => writeRecord(w, r, `answers[${i}]`));
  message.authorities.forEach((r, i) => writeRecord(w, r, `authorities[${i}]`));
  message.additionals.forEach((r, i) => writeRecord(w, r, `additionals[${i}]`));
  const out = w.result();
  if (out.length < DNS_HEADER_LENGTH) throw new DnsEncodeError('message', 'shorter than a header');
  return out;
}

/** The message with the 2-octet length prefix it carries on TCP (RFC 1035 §4.2.2). */
export function encodeTcpMessage(message: DnsMessage, options: DnsEncodeOptions = {}): Uint8Array {
  return withLengthPrefix(encodeMessage(message, options));
}

/** Prefixes an encoded message with its length for TCP. */
export function withLengthPrefix(wire: Uint8Array): Uint8Array {
  if (wire.length > DNS_TCP_MAX) throw new DnsEncodeError('message', `${wire.length} octets do not fit the 16-bit TCP length prefix`);
  const out = new Uint8Array(DNS_TCP_LENGTH_PREFIX + wire.length);
  out[0] = wire.length >> 8;
  out[1] = wire.length & 0xff;
  out.set(wire, DNS_TCP_LENGTH_PREFIX);
  return out;
}
