// The DNS message model (RFC 1035 §4.1): one format for queries and replies, a 12-byte header
// and four sections of questions and resource records. Every name is absolute text with a final
// dot (names.ts). The tables give each record type, class, opcode and response code its number,
// its mnemonic, where it is defined and what it is for, in the lab's own words; the dissector,
// the explanations, the zone parser and dig's output all read them.

import { normalizeName } from './names';

/** The header's flag bits and codes (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2). */
export interface DnsFlags {
  /** 0 for a query, 1 for a response. */
  qr: boolean;
  opcode: number;
  /** Authoritative Answer: the responding server owns the zone of the answer. */
  aa: boolean;
  /** TrunCation: the message was cut to fit the transport. */
  tc: boolean;
  /** Recursion Desired: set by the client, copied into the response. */
  rd: boolean;
  /** Recursion Available: the server offers recursive resolution. */
  ra: boolean;
  /** The one remaining reserved bit; must be zero. */
  z: boolean;
  /** Authentic Data (DNSSEC). */
  ad: boolean;
  /** Checking Disabled (DNSSEC). */
  cd: boolean;
  /** The low 4 bits of the response code; EDNS adds 8 high bits in the OPT record. */
  rcode: number;
}

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

/** An EDNS option inside an OPT record (RFC 6891 §6.1.2). */
export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** RDATA read into fields for the types the lab knows, raw octets for the rest (RFC 3597 §5). */
export type DnsRdata =
  | { kind: 'A'; address: string }
  | { kind: 'AAAA'; address: string }
  | { kind: 'NS'; host: string }
  | { kind: 'CNAME'; target: string }
  | { kind: 'PTR'; host: string }
  | { kind: 'MX'; preference: number; exchange: string }
  | { kind: 'TXT'; strings: Uint8Array[] }
  | { kind: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { kind: 'OPT'; options: EdnsOption[] }
  | { kind: 'raw'; bytes: Uint8Array };

export type DnsRdataKind = DnsRdata['kind'];

export interface DnsRecord {
  name: string;
  type: number;
  /** For OPT: the requestor's UDP payload size (RFC 6891 §6.1.2). */
  class: number;
  /** Seconds. For OPT: extended RCODE, version and flags (RFC 6891 §6.1.3). */
  ttl: number;
  data: DnsRdata;
}

export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

export type DnsSection = 'question' | 'answer' | 'authority' | 'additional';

/** The record sections in wire order, with the model field that holds each. */
export const RECORD_SECTIONS = [
  ['answer', 'answers'],
  ['authority', 'authorities'],
  ['additional', 'additionals'],
] as const satisfies ReadonlyArray<readonly [DnsSection, keyof DnsMessage]>;

// ---------------------------------------------------------------------------------------------
// Tables

export interface CodeInfo {
  code: number;
  /** The mnemonic: `A`, `IN`, `NXDOMAIN`, `QUERY`. */
  name: string;
  rfc: string;
  /** What it means, in a sentence or two. */
  meaning: string;
  obsolete?: boolean;
}

/** The record types with fields of their own in the model, and what each holds. */
export const RR_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
} as const;

export const DNS_TYPES: readonly CodeInfo[] = [
  { code: 1, name: 'A', rfc: 'RFC 1035 §3.4.1', meaning: 'An IPv4 address of the host with this name: what a client asks for to reach a host by its name (gaia.cs.umass.edu has 128.119.245.12).' },
  { code: 2, name: 'NS', rfc: 'RFC 1035 §3.3.11', meaning: 'The name of a name server that is authoritative for this domain. In a parent zone, NS records below the apex delegate a subdomain to other servers.' },
  { code: 3, name: 'MD', rfc: 'RFC 1035 §3.3.4', meaning: 'Mail destination, replaced by MX.', obsolete: true },
  { code: 4, name: 'MF', rfc: 'RFC 1035 §3.3.5', meaning: 'Mail forwarder, replaced by MX.', obsolete: true },
  { code: 5, name: 'CNAME', rfc: 'RFC 1035 §3.3.1', meaning: 'This name is an alias; the value is the canonical (real) name, where the lookup continues. A name with a CNAME has no other data.' },
  { code: 6, name: 'SOA', rfc: 'RFC 1035 §3.3.13', meaning: 'Start of a zone of authority: the primary server, the administrator\'s mailbox, a serial number, timers for secondary servers, and how long others may cache a "no such name" answer.' },
  { code: 7, name: 'MB', rfc: 'RFC 1035 §3.3.3', meaning: 'Mailbox domain name (experimental, never used).', obsolete: true },
  { code: 8, name: 'MG', rfc: 'RFC 1035 §3.3.6', meaning: 'Mail group member (experimental, never used).', obsolete: true },
  { code: 9, name: 'MR', rfc: 'RFC 1035 §3.3.8', meaning: 'Mail rename (experimental, never used).', obsolete: true },
  { code: 10, name: 'NULL', rfc: 'RFC 1035 §3.3.10', meaning: 'Any octets at all (experimental).', obsolete: true },
  { code: 11, name: 'WKS', rfc: 'RFC 1035 §3.4.2', meaning: 'The well-known services a host offers; nobody relies on it.', obsolete: true },
  { code: 12, name: 'PTR', rfc: 'RFC 1035 §3.3.12', meaning: 'Points to another name. Under in-addr.arpa it maps an address back to a host name (reverse lookup).' },
  { code: 13, name: 'HINFO', rfc: 'RFC 1035 §3.3.2', meaning: 'The host\'s CPU and operating system, as two strings.' },
  { code: 14, name: 'MINFO', rfc: 'RFC 1035 §3.3.7', meaning: 'Mailbox or mail list information (experimental).', obsolete: true },
  { code: 15, name: 'MX', rfc: 'RFC 1035 §3.3.9', meaning: 'A mail server for this domain, with a preference: senders try the lowest number first. This is how mail for bob@hamburger.edu finds its server.' },
  { code: 16, name: 'TXT', rfc: 'RFC 1035 §3.3.14', meaning: 'One or more strings of text of up to 255 octets each; used for notes and for policies such as SPF.' },
  { code: 28, name: 'AAAA', rfc: 'RFC 3596 §2.1', meaning: 'An IPv6 address of the host with this name.' },
  { code: 33, name: 'SRV', rfc: 'RFC 2782', meaning: 'Where a service runs: priority, weight, port and host.' },
  { code: 41, name: 'OPT', rfc: 'RFC 6891 §6.1', meaning: 'Not data but a pseudo-record for EDNS(0): the sender announces the largest UDP message it can receive, an extended response code, flags such as DO, and options.' },
  { code: 43, name: 'DS', rfc: 'RFC 4034 §5', meaning: 'Delegation signer: the fingerprint of a child zone\'s key, held in the parent (DNSSEC).' },
  { code: 46, name: 'RRSIG', rfc: 'RFC 4034 §3', meaning: 'A signature over a set of records (DNSSEC).' },
  { code: 47, name: 'NSEC', rfc: 'RFC 4034 §4', meaning: 'The next name in the zone, proving that names in between do not exist (DNSSEC).' },
  { code: 48, name: 'DNSKEY', rfc: 'RFC 4034 §2', meaning: 'A public key of the zone (DNSSEC).' },
  { code: 64, name: 'SVCB', rfc: 'RFC 9460 §2', meaning: 'Service binding: where and how to reach a service.' },
  { code: 65, name: 'HTTPS', rfc: 'RFC 9460 §9', meaning: 'Service binding for HTTPS: alternative endpoints and parameters such as ALPN.' },
  { code: 251, name: 'IXFR', rfc: 'RFC 1995', meaning: 'Query type only: the changes to a zone since a serial number (incremental zone transfer).' },
  { code: 252, name: 'AXFR', rfc: 'RFC 1035 §3.2.3', meaning: 'Query type only: the whole zone (zone transfer), asked over TCP by secondary servers.' },
  { code: 253, name: 'MAILB', rfc: 'RFC 1035 §3.2.3', meaning: 'Query type only: mailbox records (MB, MG, MR).', obsolete: true },
  { code: 254, name: 'MAILA', rfc: 'RFC 1035 §3.2.3', meaning: 'Query type only: mail agent records (MD, MF).', obsolete: true },
  { code: 255, name: 'ANY', rfc: 'RFC 1035 §3.2.3', meaning: 'Query type only ("*"): every record the server has for the name.' },
  { code: 257, name: 'CAA', rfc: 'RFC 8659 §4', meaning: 'Which certificate authorities may issue certificates for this domain.' },
];

export const DNS_CLASSES: readonly CodeInfo[] = [
  { code: 1, name: 'IN', rfc: 'RFC 1035 §3.2.4', meaning: 'The Internet: every record the lab serves is in this class.' },
  { code: 2, name: 'CS', rfc: 'RFC 1035 §3.2.4', meaning: 'CSNET, a network of the 1980s.', obsolete: true },
  { code: 3, name: 'CH', rfc: 'RFC 1035 §3.2.4', meaning: 'Chaos, a 1970s LAN protocol; today servers use it only to answer questions about themselves (version.bind).' },
  { code: 4, name: 'HS', rfc: 'RFC 1035 §3.2.4', meaning: 'Hesiod, MIT\'s directory service.' },
  { code: 254, name: 'NONE', rfc: 'RFC 2136 §1.3', meaning: 'Used only in dynamic updates, to delete records.' },
  { code: 255, name: 'ANY', rfc: 'RFC 1035 §3.2.5', meaning: 'Query class only ("*"): any class.' },
];

export const DNS_CLASS_IN = 1;

export const DNS_OPCODES: readonly CodeInfo[] = [
  { code: 0, name: 'QUERY', rfc: 'RFC 1035 §4.1.1', meaning: 'A standard query: every lookup a resolver makes.' },
  { code: 1, name: 'IQUERY', rfc: 'RFC 3425', meaning: 'Inverse query (from data to name), retired; reverse lookups use PTR records instead.', obsolete: true },
  { code: 2, name: 'STATUS', rfc: 'RFC 1035 §4.1.1', meaning: 'Server status request; never defined further.' },
  { code: 4, name: 'NOTIFY', rfc: 'RFC 1996 §3', meaning: 'A primary server tells its secondaries that the zone changed.' },
  { code: 5, name: 'UPDATE', rfc: 'RFC 2136 §1.3', meaning: 'Dynamic update: add or delete records in a zone.' },
  { code: 6, name: 'DSO', rfc: 'RFC 8490 §5.4', meaning: 'DNS stateful operations over a long-lived TCP connection.' },
];

export const DNS_OPCODE_QUERY = 0;

export const DNS_RCODES: readonly CodeInfo[] = [
  { code: 0, name: 'NOERROR', rfc: 'RFC 1035 §4.1.1', meaning: 'No error: the server could do what was asked. What it found is in the sections: an answer, a referral to other servers, or, with an empty answer and an SOA in the authority section, no data of that type (NODATA).' },
  { code: 1, name: 'FORMERR', rfc: 'RFC 1035 §4.1.1', meaning: 'Format error: the server could not read the query.' },
  { code: 2, name: 'SERVFAIL', rfc: 'RFC 1035 §4.1.1', meaning: 'Server failure: the server could not get an answer, e.g. no name server of the zone answered.' },
  { code: 3, name: 'NXDOMAIN', rfc: 'RFC 1035 §4.1.1', meaning: 'Name error: the authoritative server says this name does not exist, in any type.' },
  { code: 4, name: 'NOTIMP', rfc: 'RFC 1035 §4.1.1', meaning: 'Not implemented: the server does not support this kind of query.' },
  { code: 5, name: 'REFUSED', rfc: 'RFC 1035 §4.1.1', meaning: 'Refused by policy: e.g. the server is not authoritative for the name and does not offer recursion to this client.' },
  { code: 6, name: 'YXDOMAIN', rfc: 'RFC 2136 §2.2', meaning: 'A name that should not exist does (dynamic update).' },
  { code: 7, name: 'YXRRSET', rfc: 'RFC 2136 §2.2', meaning: 'A record set that should not exist does (dynamic update).' },
  { code: 8, name: 'NXRRSET', rfc: 'RFC 2136 §2.2', meaning: 'A record set that should exist does not (dynamic update).' },
  { code: 9, name: 'NOTAUTH', rfc: 'RFC 2136 §2.2', meaning: 'The server is not authoritative for the zone named.' },
  { code: 10, name: 'NOTZONE', rfc: 'RFC 2136 §2.2', meaning: 'A name is not within the zone named.' },
  { code: 16, name: 'BADVERS', rfc: 'RFC 6891 §6.1.3', meaning: 'The server does not speak the EDNS version the client used (needs the OPT record\'s extended RCODE).' },
];

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

export const EDNS_OPTIONS: readonly CodeInfo[] = [
  { code: 3, name: 'NSID', rfc: 'RFC 5001 §2.3', meaning: 'Asks the server to say which instance of it answered.' },
  { code: 8, name: 'Client Subnet', rfc: 'RFC 7871 §6', meaning: 'Part of the client\'s address, so the answer can suit where the client is.' },
  { code: 10, name: 'COOKIE', rfc: 'RFC 7873 §4', meaning: 'A client (and server) cookie that lets the two recognise each other and makes spoofed replies harder.' },
  { code: 11, name: 'TCP Keepalive', rfc: 'RFC 7828 §3.1', meaning: 'How long the server keeps an idle TCP connection open.' },
  { code: 12, name: 'Padding', rfc: 'RFC 7830 §3', meaning: 'Zero octets that hide the real size of an encrypted message.' },
  { code: 15, name: 'Extended DNS Error', rfc: 'RFC 8914 §2', meaning: 'A code and text saying more exactly why an answer failed.' },
];

const index = (table: readonly CodeInfo[]) => ({
  byCode: new Map(table.map((e) => [e.code, e])),
  byName: new Map(table.map((e) => [e.name.toUpperCase(), e])),
});
const TYPES = index(DNS_TYPES);
const CLASSES = index(DNS_CLASSES);
const OPCODES = index(DNS_OPCODES);
const RCODES = index(DNS_RCODES);
const OPTIONS = index(EDNS_OPTIONS);

export function typeInfo(code: number): CodeInfo | undefined {
  return TYPES.byCode.get(code);
}

/** `A`, or `TYPE65280` for a type the table does not know (RFC 3597 §5). */
export function typeName(code: number): string {
  return TYPES.byCode.get(code)?.name ?? `TYPE${code}`;
}

/** The number of a type mnemonic (`mx`, `AAAA`, `TYPE99`, `*`), or null. */
export function typeCode(name: string): number | null {
  const upper = name.toUpperCase();
  if (upper === '*') return RR_TYPE.ANY;
  return TYPES.byName.get(upper)?.code ?? genericCode(upper, 'TYPE');
}

/** `TYPE99` / `CLASS7`: the generic form of a type or class the table does not know (RFC 3597 §5). */
function genericCode(upper: string, prefix: keyof typeof GENERIC): number | null {
  const m = GENERIC[prefix].exec(upper);
  return m && Number(m[1]) <= 0xffff ? Number(m[1]) : null;
}
const GENERIC = { TYPE: /^TYPE(\d{1,5})$/, CLASS: /^CLASS(\d{1,5})$/ } as const;

export function classInfo(code: number): CodeInfo | undefined {
  return CLASSES.byCode.get(code);
}

/** `IN`, or `CLASS7` for one the table does not know (RFC 3597 §5). */
export function className(code: number): string {
  return CLASSES.byCode.get(code)?.name ?? `CLASS${code}`;
}

export function classCode(name: string): number | null {
  const upper = name.toUpperCase();
  return CLASSES.byName.get(upper)?.code ?? genericCode(upper, 'CLASS');
}

export function opcodeInfo(code: number): CodeInfo | undefined {
  return OPCODES.byCode.get(code);
}

export function opcodeName(code: number): string {
  return OPCODES.byCode.get(code)?.name ?? `OPCODE${code}`;
}

export function rcodeInfo(code: number): CodeInfo | undefined {
  return RCODES.byCode.get(code);
}

export function rcodeName(code: number): string {
  return RCODES.byCode.get(code)?.name ?? `RCODE${code}`;
}

export function ednsOptionInfo(code: number): CodeInfo | undefined {
  return OPTIONS.byCode.get(code);
}

// ---------------------------------------------------------------------------------------------
// Building and reading messages

export function emptyFlags(): DnsFlags {
  return { qr: false, opcode: DNS_OPCODE_QUERY, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false, rcode: 0 };
}

/** The 16-bit flags word of the header (RFC 1035 §4.1.1: QR, Opcode, AA, TC, RD, RA, Z, AD, CD, RCODE). */
export function flagsToWord(f: DnsFlags): number {
  return (
    ((f.qr ? 1 : 0) << 15) |
    ((f.opcode & 0xf) << 11) |
    ((f.aa ? 1 : 0) << 10) |
    ((f.tc ? 1 : 0) << 9) |
    ((f.rd ? 1 : 0) << 8) |
    ((f.ra ? 1 : 0) << 7) |
    ((f.z ? 1 : 0) << 6) |
    ((f.ad ? 1 : 0) << 5) |
    ((f.cd ? 1 : 0) << 4) |
    (f.rcode & 0xf)
  );
}

export function wordToFlags(w: number): DnsFlags {
  return {
    qr: (w & 0x8000) !== 0,
    opcode: (w >> 11) & 0xf,
    aa: (w & 0x0400) !== 0,
    tc: (w & 0x0200) !== 0,
    rd: (w & 0x0100) !== 0,
    ra: (w & 0x0080) !== 0,
    z: (w & 0x0040) !== 0,
    ad: (w & 0x0020) !== 0,
    cd: (w & 0x0010) !== 0,
    rcode: w & 0xf,
  };
}

/** What an OPT record says, read out of its CLASS and TTL fields (RFC 6891 §6.1.3). */
export interface EdnsInfo {
  /** The largest UDP payload the sender can take. */
  udpPayloadSize: number;
  /** The high 8 bits of the 12-bit response code. */
  extendedRcode: number;
  version: number;
  /** DNSSEC OK (RFC 3225 §3). */
  dnssecOk: boolean;
  /** The 15 flag bits after DO, which must be zero. */
  z: number;
  options: EdnsOption[];
}

export function isOpt(record: DnsRecord): boolean {
  return record.type === RR_TYPE.OPT;
}

export function readEdns(record: DnsRecord): EdnsInfo {
  const ttl = record.ttl >>> 0;
  return {
    udpPayloadSize: record.class,
    extendedRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & 0x8000) !== 0,
    z: ttl & 0x7fff,
    options: record.data.kind === 'OPT' ? record.data.options : [],
  };
}

/** The message's EDNS information (its first OPT record in the additional section), or null. */
export function ednsOf(message: DnsMessage): EdnsInfo | null {
  const opt = message.additionals.find(isOpt);
  return opt ? readEdns(opt) : null;
}

/** An OPT pseudo-record (RFC 6891 §6.1.2): the root name, CLASS = payload size, TTL = ext. RCODE, version, DO. */
export function makeOpt(udpPayloadSize: number, options: { extendedRcode?: number; version?: number; dnssecOk?: boolean; options?: EdnsOption[] } = {}): DnsRecord {
  const ttl = (((options.extendedRcode ?? 0) & 0xff) << 24) | (((options.version ?? 0) & 0xff) << 16) | (options.dnssecOk ? 0x8000 : 0);
  return { name: '.', type: RR_TYPE.OPT, class: udpPayloadSize, ttl: ttl >>> 0, data: { kind: 'OPT', options: options.options ?? [] } };
}

/** The full response code: the header's 4 bits, plus the OPT record's 8 high bits when there is one (RFC 6891 §6.1.3). */
export function fullRcode(message: DnsMessage): number {
  const edns = ednsOf(message);
  return ((edns?.extendedRcode ?? 0) << 4) | message.flags.rcode;
}

/**
 * A query as a stub resolver or dig sends it: one question, RD set unless asked otherwise. The
 * name may be typed without its final dot; it is stored in canonical form (an invalid name is
 * kept as typed, and the encoder will refuse it).
 */
export function makeQuery(id: number, name: string, type: number, options: { recursionDesired?: boolean; ednsPayload?: number; class?: number } = {}): DnsMessage {
  const flags = emptyFlags();
  flags.rd = options.recursionDesired ?? true;
  return {
    id: id & 0xffff,
    flags,
    questions: [{ name: normalizeName(name) ?? name, type, class: options.class ?? DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: options.ednsPayload === undefined ? [] : [makeOpt(options.ednsPayload)],
  };
}
