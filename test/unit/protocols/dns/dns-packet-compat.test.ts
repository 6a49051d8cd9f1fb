// The main side encodes replies with the npm dns-packet (the project's rule for DNS wire encoding)
// while the breakdown decodes with the lab's own decoder. They must agree: dns-packet reads what
// the lab's encoder writes (with compression), and the lab's decoder reads what dns-packet writes,
// to the same model, for every record type the lab serves.

import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import {
  type DnsMessage,
  type DnsRecord,
  RR_TYPE,
  classCode,
  className,
  decodeMessage,
  encodeMessage,
  flagsToWord,
  parseIPv6,
  readEdns,
  typeName,
  wordToFlags,
} from '../../../../src/protocols/dns';
import { ask, everyTypeMessage } from './helpers';

const abs = (name: string) => (name === '.' || name === '' ? '.' : `${name.replace(/\.$/, '')}.`);
const rel = (name: string) => (name === '.' ? '.' : name.replace(/\.$/, ''));

/** dns-packet's name for a type: its mnemonic, or UNKNOWN_n. */
const packetType = (type: number) => (typeName(type).startsWith('TYPE') ? `UNKNOWN_${type}` : typeName(type));

function toPacketRecord(r: DnsRecord): dnsPacket.Answer {
  const d = r.data;
  const base = { name: rel(r.name), ttl: r.ttl, class: className(r.class) as dnsPacket.RecordClass };
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      return { ...base, type: d.kind, data: d.address };
    case 'NS':
    case 'PTR':
      return { ...base, type: d.kind, data: rel(d.host) };
    case 'CNAME':
      return { ...base, type: 'CNAME', data: rel(d.target) };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: d.preference, exchange: rel(d.exchange) } };
    case 'TXT':
      return { ...base, type: 'TXT', data: d.strings.map((s) => Buffer.from(s)) };
    case 'SOA':
      return { ...base, type: 'SOA', data: { mname: rel(d.mname), rname: rel(d.rname), serial: d.serial, refresh: d.refresh, retry: d.retry, expire: d.expire, minimum: d.minimum } };
    case 'OPT': {
      const e = readEdns(r);
      return {
        name: '.',
        type: 'OPT',
        udpPayloadSize: e.udpPayloadSize,
        extendedRcode: e.extendedRcode,
        ednsVersion: e.version,
        flags: r.ttl & 0xffff,
        flag_do: e.dnssecOk,
        options: e.options.map((o) => ({ code: o.code, data: Buffer.from(o.data) })) as dnsPacket.PacketOpt[],
      };
    }
    case 'raw':
      return { ...base, type: packetType(r.type) as 'NULL', data: Buffer.from(d.bytes) };
  }
}

function toPacket(m: DnsMessage): dnsPacket.Packet {
  return {
    type: m.flags.qr ? 'response' : 'query',
    id: m.id,
    // dns-packet keeps the whole flags word but the QR bit, which it sets from `type`.
    flags: flagsToWord(m.flags) & 0x7fff,
    questions: m.questions.map((q) => ({ name: rel(q.name), type: packetType(q.type) as dnsPacket.RecordType, class: className(q.class) as dnsPacket.RecordClass })),
    answers: m.answers.map(toPacketRecord),
    authorities: m.authorities.map(toPacketRecord),
    additionals: m.additionals.map(toPacketRecord),
  };
}

type AnyAnswer = dnsPacket.Answer & { class?: string; ttl?: number; data?: unknown };

function typeNumber(name: string): number {
  if (name.startsWith('UNKNOWN_')) return Number(name.slice('UNKNOWN_'.length));
  return RR_TYPE[name as keyof typeof RR_TYPE] ?? Number.NaN;
}

function fromPacketRecord(a: AnyAnswer): DnsRecord {
  if (a.type === 'OPT') {
    const o = a as dnsPacket.OptAnswer;
    const ttl = ((o.extendedRcode << 24) | (o.ednsVersion << 16) | o.flags) >>> 0;
    return { name: '.', type: RR_TYPE.OPT, class: o.udpPayloadSize, ttl, data: { kind: 'OPT', options: o.options.map((x) => ({ code: x.code, data: new Uint8Array(x.data ?? []) })) } };
  }
  const type = typeNumber(a.type);
  const head = { name: abs(a.name), type, class: classCode(a.class ?? 'IN') ?? 1, ttl: a.ttl ?? 0 };
  const data = a.data as never;
  switch (a.type) {
    case 'A':
      return { ...head, data: { kind: 'A', address: data } };
    case 'AAAA':
      return { ...head, data: { kind: 'AAAA', address: data } };
    case 'NS':
      return { ...head, data: { kind: 'NS', host: abs(data) } };
    case 'PTR':
      return { ...head, data: { kind: 'PTR', host: abs(data) } };
    case 'CNAME':
      return { ...head, data: { kind: 'CNAME', target: abs(data) } };
    case 'MX': {
      const mx = data as dnsPacket.MxData;
      return { ...head, data: { kind: 'MX', preference: mx.preference ?? 0, exchange: abs(mx.exchange) } };
    }
    case 'TXT':
      return { ...head, data: { kind: 'TXT', strings: (data as Buffer[]).map((b) => new Uint8Array(b)) } };
    case 'SOA': {
      const s = data as dnsPacket.SoaData;
      return { ...head, data: { kind: 'SOA', mname: abs(s.mname), rname: abs(s.rname), serial: s.serial ?? 0, refresh: s.refresh ?? 0, retry: s.retry ?? 0, expire: s.expire ?? 0, minimum: s.minimum ?? 0 } };
    }
    default:
      return { ...head, data: { kind: 'raw', bytes: new Uint8Array(data as Buffer) } };
  }
}

function fromPacket(p: dnsPacket.DecodedPacket): DnsMessage {
  const word = (p.flag_qr ? 0x8000 : 0) | (p.flags ?? 0);
  return {
    id: p.id ?? 0,
    flags: wordToFlags(word),
    questions: (p.questions ?? []).map((q) => ({ name: abs(q.name), type: typeNumber(q.type), class: classCode(q.class ?? 'IN') ?? 1 })),
    answers: (p.answers ?? []).map((a) => fromPacketRecord(a as AnyAnswer)),
    authorities: (p.authorities ?? []).map((a) => fromPacketRecord(a as AnyAnswer)),
    additionals: (p.additionals ?? []).map((a) => fromPacketRecord(a as AnyAnswer)),
  };
}

/** IPv6 text differs between libraries only in form; compare the addresses themselves. */
function canonical(m: DnsMessage): DnsMessage {
  const fix = (r: DnsRecord): DnsRecord => (r.data.kind === 'AAAA' ? { ...r, data: { kind: 'AAAA', address: Array.from(parseIPv6(r.data.address) ?? []).join(',') } } : r);
  return { ...m, answers: m.answers.map(fix), authorities: m.authorities.map(fix), additionals: m.additionals.map(fix) };
}

const samples = (): Array<[string, DnsMessage]> => {
  const fromWire = (wire: Uint8Array): DnsMessage => {
    const r = decodeMessage(wire);
    if (!r.ok) throw new Error(r.error.message);
    return r.message;
  };
  return [
    ['every record type', everyTypeMessage()],
    ['the gaia answer with authority and additional', fromWire(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire)],
    ['a referral from the root, with EDNS', fromWire(ask('a.root-servers.net', 'www.massey.ac.nz.', RR_TYPE.A, { ednsPayload: 1232 }).wire)],
    ['an NXDOMAIN with its SOA', fromWire(ask('a.edu-servers.net', 'nowhere.edu.', RR_TYPE.A).wire)],
    ['the www.ibm.com CNAME chain', fromWire(ask('ns1.ibm.com', 'www.ibm.com.', RR_TYPE.A).wire)],
    ['the yahoo.com TXT set over TCP', fromWire(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { transport: 'tcp' }).wire)],
    ['the massey PTR', fromWire(ask('ns1.massey.ac.nz', '201.128.123.130.in-addr.arpa.', RR_TYPE.PTR).wire)],
  ];
};

describe('dns-packet and the lab agree', () => {
  for (const [label, message] of samples()) {
    it(`dns-packet decodes the lab's compressed encoding of ${label}`, () => {
      const decoded = dnsPacket.decode(Buffer.from(encodeMessage(message)));
      expect(canonical(fromPacket(decoded))).toEqual(canonical(message));
    });

    it(`the lab decodes dns-packet's encoding of ${label}`, () => {
      const wire = new Uint8Array(dnsPacket.encode(toPacket(message)));
      const r = decodeMessage(wire);
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
      if (r.ok) expect(canonical(r.message)).toEqual(canonical(message));
    });

    it(`dns-packet writes ${label} byte for byte as the lab does without compression`, () => {
      const ours = encodeMessage(message, { compress: false });
      const theirs = new Uint8Array(dnsPacket.encode(toPacket(message)));
      expect(Array.from(theirs)).toEqual(Array.from(ours));
    });
  }
});
