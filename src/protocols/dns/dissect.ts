// DNS dissector: one message taken apart the way Wireshark's DNS tree does, with more of the
// wire shown: the 12-byte header bit by bit, every name as its labels (length octet, then text)
// ending in the root octet or a compression pointer (shown with the offset it points to and the
// name found there), each RR's fixed fields and its RDATA decoded. Over TCP the 2-octet length
// prefix comes first. Malformed input is shown as far as it could be read, with an error note on
// the byte that breaks it. Offsets in pointers are counted from the start of the DNS message
// (RFC 1035 §4.1.4), which over TCP is 2 octets after the start of the captured bytes.
// When the capture knows the connection, generated fields say which host sent the message and
// where it sits in the hierarchy, and a response from the local name server shows each TTL as the
// time it may still keep the record.

import { bytesToLatin1 } from '../core/bytes';
import { type ExpertInfo, type FieldDef, type FieldNode, field } from '../core/field';
import { byteCount } from '../core/summary';
import type { DissectContext, MessagePeer } from '../registry-types';
import { type DnsDecodeError, type DnsDecodeNote, type DnsSpans, type FailedItem, type NameSpan, type RdataPart, type RecordSpan, decodeMessage } from './decode';
import { cacheHolderOf, describePeer, questionTypeNote, rcodeNote, recordRole } from './explain';
import { DNS_FIELDS as F } from './fields';
import { DNS_HEADER_LENGTH, DNS_TCP_LENGTH_PREFIX } from './limits';
import { type DnsMessage, type DnsRecord, RR_TYPE, className, classInfo, ednsOptionInfo, opcodeInfo, opcodeName, rcodeInfo, rcodeName, readEdns, typeInfo, typeName, wordToFlags } from './message';
import { describeDuration, formatMilliseconds, quoteCharacterString } from './presentation';
import { responseKind } from './response-kind';

const error = (message: string): ExpertInfo => ({ severity: 'error', message });
const warn = (message: string): ExpertInfo => ({ severity: 'warn', message });
const note = (message: string): ExpertInfo => ({ severity: 'note', message });

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number): number => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** `1... .... .... ....`: the bits of a 16-bit word under `mask`, the others as dots. */
function bitPattern(word: number, mask: number): string {
  let out = '';
  for (let bit = 15; bit >= 0; bit--) {
    out += (mask >> bit) & 1 ? String((word >> bit) & 1) : '.';
    if (bit % 4 === 0 && bit > 0) out += ' ';
  }
  return out;
}

/** Adds an expert note to a node that may already have one; the more severe wins, both texts stay. */
function flag(node: FieldNode, expert: ExpertInfo): void {
  const rank = { note: 0, warn: 1, error: 2 } as const;
  if (!node.expert) {
    node.expert = expert;
    return;
  }
  const severity = rank[expert.severity] > rank[node.expert.severity] ? expert.severity : node.expert.severity;
  node.expert = { severity, message: `${node.expert.message}; ${expert.message}` };
}

/** The innermost node containing `offset` (for pinning an error on the byte that causes it). */
function innermostAt(nodes: readonly FieldNode[], offset: number): FieldNode | null {
  for (const n of nodes) {
    if (n.generated || offset < n.offset || offset >= n.offset + n.length) continue;
    return (n.children && innermostAt(n.children, offset)) ?? n;
  }
  return null;
}

class MessageDissector {
  constructor(
    /** The DNS message alone (no TCP prefix). */
    private readonly msg: Uint8Array,
    /** Where the message starts in the captured bytes: 2 over TCP. */
    private readonly base: number,
    /** The message as decoded (or as far as it was read): what the notes on flags and records are about. */
    private readonly message: DnsMessage | null,
    /** The whole message could be read: only then do the sections say what kind of response it is. */
    private readonly complete: boolean,
    /** The local name server that sent this response: its records carry the time it may still keep them. */
    private readonly cache: MessagePeer | null = null,
  ) {}

  private at(offset: number): number {
    return this.base + offset;
  }

  header(): FieldNode[] {
    const m = this.msg;
    const nodes: FieldNode[] = [];
    if (m.length >= 2) {
      const id = u16(m, 0);
      nodes.push(field(F['dns.id'], this.at(0), 2, id, `Transaction ID: 0x${id.toString(16).padStart(4, '0')}`));
    }
    if (m.length >= 4) nodes.push(this.flags(u16(m, 2)));
    const counts: Array<[FieldDef, string]> = [
      [F['dns.count.queries'], 'Questions'],
      [F['dns.count.answers'], 'Answer RRs'],
      [F['dns.count.auth_rr'], 'Authority RRs'],
      [F['dns.count.add_rr'], 'Additional RRs'],
    ];
    counts.forEach(([def, label], i) => {
      const off = 4 + i * 2;
      if (m.length >= off + 2) nodes.push(field(def, this.at(off), 2, u16(m, off), `${label}: ${u16(m, off)}`));
    });
    return nodes;
  }

  private flags(word: number): FieldNode {
    const f = wordToFlags(word);
    const at = this.at(2);
    const bit = (def: FieldDef, mask: number, value: boolean, text: string) => field(def, at, 2, value, `${bitPattern(word, mask)} = ${def.name}: ${text}`);
    const opcode = opcodeInfo(f.opcode);
    const rcode = this.complete && this.message ? rcodeNote(this.message) : (rcodeInfo(f.rcode)?.meaning ?? null);
    const children = [
      bit(F['dns.flags.response'], 0x8000, f.qr, f.qr ? 'message is a response' : 'message is a query'),
      field(F['dns.flags.opcode'], at, 2, f.opcode, `${bitPattern(word, 0x7800)} = Opcode: ${opcodeName(f.opcode)} (${f.opcode})${opcode ? ` — ${opcode.meaning}` : ''}`),
      bit(F['dns.flags.authoritative'], 0x0400, f.aa, f.qr ? (f.aa ? 'the server is an authority for the name' : 'not authoritative') : 'not used in queries'),
      bit(F['dns.flags.truncated'], 0x0200, f.tc, f.tc ? 'the message was cut to fit; ask again over TCP' : 'message is not truncated'),
      bit(F['dns.flags.recdesired'], 0x0100, f.rd, f.rd ? 'do the query recursively' : 'iterative: answer from your own data only'),
      bit(F['dns.flags.recavail'], 0x0080, f.ra, f.qr ? (f.ra ? 'the server can do recursive queries' : 'the server does not do recursion') : 'not used in queries'),
      bit(F['dns.flags.z'], 0x0040, f.z, f.z ? 'set (must be zero)' : 'reserved (0)'),
      bit(F['dns.flags.authenticated'], 0x0020, f.ad, f.ad ? 'the data was validated with DNSSEC' : 'not validated'),
      bit(F['dns.flags.checkdisable'], 0x0010, f.cd, f.cd ? 'the client does its own DNSSEC checking' : 'checking is not disabled'),
      field(F['dns.flags.rcode'], at, 2, f.rcode, `${bitPattern(word, 0x000f)} = Response code: ${rcodeName(f.rcode)} (${f.rcode})${f.qr && rcode ? ` — ${rcode}` : ''}`),
    ];
    if (f.z) flag(children[6], warn('the reserved Z bit is set; it must be zero (RFC 1035 §4.1.1)'));
    const summary = f.qr ? `Standard query response${f.rcode !== 0 ? `, ${rcodeName(f.rcode)}` : ', No error'}` : opcodeName(f.opcode) === 'QUERY' ? 'Standard query' : `${opcodeName(f.opcode)} query`;
    return field(F['dns.flags'], at, 2, word, `Flags: 0x${word.toString(16).padStart(4, '0')} ${summary}`, { children });
  }

  name(def: FieldDef, span: NameSpan, label: string): FieldNode {
    const children: FieldNode[] = [];
    for (const l of span.labels) {
      children.push(
        field(F['dns.name.label'], this.at(l.offset), 1 + l.length, l.text, `Label: "${l.text}" (${l.length} octet${l.length === 1 ? '' : 's'})`, {
          children: [
            field(F['dns.name.label.length'], this.at(l.offset), 1, l.length, `Length: ${l.length}`),
            field(F['dns.name.label.text'], this.at(l.offset + 1), l.length, l.text, `Text: ${l.text}`),
          ],
        }),
      );
    }
    if (span.pointer) {
      const p = span.pointer;
      children.push(field(F['dns.name.pointer'], this.at(p.offset), 2, p.target, `Compression pointer: 0x${u16(this.msg, p.offset).toString(16)} → offset ${p.target}${this.base > 0 ? ` of the message (${this.at(p.target)} in these bytes)` : ''}: ${p.suffix}`));
    } else if (span.length > 0 && this.msg[span.offset + span.length - 1] === 0) {
      children.push(field(F['dns.name.root'], this.at(span.offset + span.length - 1), 1, 0, 'Root label: 0 (end of the name)'));
    }
    const shown = span.name === '.' ? '<Root>' : span.name;
    return field(def, this.at(span.offset), span.length, span.name, `${label}: ${shown}`, { children });
  }

  question(span: DnsSpans['questions'][number], type: number, klass: number): FieldNode {
    const children = [
      this.name(F['dns.qry.name'], span.name, 'Name'),
      field(F['dns.qry.type'], this.at(span.typeOffset), 2, typeName(type), `Type: ${typeName(type)} (${type}) — ${questionTypeNote(type, span.name.name)}`),
      field(F['dns.qry.class'], this.at(span.typeOffset + 2), 2, className(klass), `Class: ${className(klass)} (0x${klass.toString(16).padStart(4, '0')})`),
    ];
    return field(F['dns.query'], this.at(span.offset), span.length, undefined, `${span.name.name === '.' ? '<Root>' : span.name.name}: type ${typeName(type)}, class ${className(klass)}`, { children });
  }

  private rdataPart(part: RdataPart, record: DnsRecord): FieldNode {
    const m = this.msg;
    const at = this.at(part.offset);
    switch (part.kind) {
      case 'address':
        return record.data.kind === 'AAAA'
          ? field(F['dns.aaaa'], at, 16, record.data.address, `AAAA address: ${record.data.address}`)
          : field(F['dns.a'], at, 4, record.data.kind === 'A' ? record.data.address : '', `Address: ${record.data.kind === 'A' ? record.data.address : ''}`);
      case 'host': {
        const def = record.type === RR_TYPE.NS ? F['dns.ns'] : record.type === RR_TYPE.CNAME ? F['dns.cname'] : record.type === RR_TYPE.MX ? F['dns.mx.exchange'] : F['dns.ptr'];
        return this.name(def, part.name as NameSpan, def.name);
      }
      case 'preference':
        return field(F['dns.mx.preference'], at, 2, u16(m, part.offset), `Preference: ${u16(m, part.offset)}`);
      case 'string': {
        const len = m[part.offset];
        const octets = m.subarray(part.offset + 1, part.offset + 1 + len);
        const text = quoteCharacterString(octets);
        return field(F['dns.txt'], at, part.length, bytesToLatin1(octets), `Text: ${text}`, { children: [field(F['dns.txt.length'], at, 1, len, `Length: ${len}`)] });
      }
      case 'mname':
        return this.name(F['dns.soa.mname'], part.name as NameSpan, 'Primary name server');
      case 'rname': {
        const node = this.name(F['dns.soa.rname'], part.name as NameSpan, 'Responsible mailbox');
        const labels = (part.name as NameSpan).name.split('.');
        if (labels.length > 2) node.display += ` (${labels[0]}@${labels.slice(1, -1).join('.')})`;
        return node;
      }
      case 'serial':
        return field(F['dns.soa.serial'], at, 4, u32(m, part.offset), `Serial number: ${u32(m, part.offset)}`);
      case 'refresh':
      case 'retry':
      case 'expire':
      case 'minimum': {
        const def = F[`dns.soa.${part.kind}`];
        const v = u32(m, part.offset);
        return field(def, at, 4, v, `${def.name}: ${v} (${describeDuration(v)})`);
      }
      case 'option': {
        const code = u16(m, part.offset);
        const len = u16(m, part.offset + 2);
        const info = ednsOptionInfo(code);
        const hex = Array.from(m.subarray(part.offset + 4, part.offset + 4 + len), (b) => b.toString(16).padStart(2, '0')).join('');
        const children = [
          field(F['dns.opt.option.code'], at, 2, code, `Option code: ${info ? info.name : 'unknown'} (${code})`),
          field(F['dns.opt.option.length'], at + 2, 2, len, `Option length: ${len}`),
        ];
        if (len > 0) children.push(field(F['dns.opt.option.data'], at + 4, len, hex, `Option data: ${hex}`));
        return field(F['dns.opt.option'], at, part.length, info?.name ?? String(code), `Option: ${info ? `${info.name} — ${info.meaning}` : `code ${code}`}`, { children });
      }
      case 'raw': {
        const hex = Array.from(m.subarray(part.offset, part.offset + part.length), (b) => b.toString(16).padStart(2, '0')).join('');
        return field(F['dns.rr.rdata.raw'], at, part.length, hex, `Data: ${hex}`);
      }
    }
  }

  private rdataSummary(r: DnsRecord): string {
    const d = r.data;
    switch (d.kind) {
      case 'A':
      case 'AAAA':
        return `addr ${d.address}`;
      case 'NS':
        return `ns ${d.host}`;
      case 'CNAME':
        return `cname ${d.target}`;
      case 'PTR':
        return `${d.host}`;
      case 'MX':
        return `preference ${d.preference}, mx ${d.exchange}`;
      case 'TXT':
        return d.strings.map((s) => quoteCharacterString(s)).join(' ');
      case 'SOA':
        return `mname ${d.mname}`;
      case 'OPT':
        return `${d.options.length} option${d.options.length === 1 ? '' : 's'}`;
      case 'raw':
        return byteCount(d.bytes.length);
    }
  }

  record(span: RecordSpan, r: DnsRecord): FieldNode {
    const m = this.msg;
    const t = span.typeOffset;
    const isOpt = r.type === RR_TYPE.OPT;
    const children: FieldNode[] = [this.name(F['dns.rr.name'], span.name, 'Name')];
    const role = this.message ? recordRole(r, span.section, this.message) : typeInfo(r.type)?.meaning;
    children.push(field(F['dns.rr.type'], this.at(t), 2, typeName(r.type), `Type: ${typeName(r.type)} (${r.type})${role ? ` — ${role}` : ''}`));
    if (isOpt) {
      const e = readEdns(r);
      const flagsWord = u16(m, t + 6);
      children.push(field(F['dns.opt.udp_payload_size'], this.at(t + 2), 2, e.udpPayloadSize, `UDP payload size: ${e.udpPayloadSize}`));
      children.push(field(F['dns.opt.ext_rcode'], this.at(t + 4), 1, e.extendedRcode, `Extended RCODE: ${e.extendedRcode}${e.extendedRcode > 0 ? ` (full code ${rcodeName((e.extendedRcode << 4) | (m[3] & 0xf))})` : ''}`));
      const version = field(F['dns.opt.version'], this.at(t + 5), 1, e.version, `EDNS version: ${e.version}`);
      if (e.version > 0) flag(version, warn(`EDNS version ${e.version}: only version 0 exists; a server answers BADVERS (RFC 6891 §6.1.3)`));
      children.push(version);
      children.push(
        field(F['dns.opt.flags'], this.at(t + 6), 2, flagsWord, `EDNS flags: 0x${flagsWord.toString(16).padStart(4, '0')}`, {
          children: [field(F['dns.opt.do'], this.at(t + 6), 2, e.dnssecOk, `${bitPattern(flagsWord, 0x8000)} = DNSSEC OK: ${e.dnssecOk ? 'send DNSSEC records' : 'no DNSSEC records wanted'}`)],
        }),
      );
    } else {
      const info = classInfo(r.class);
      children.push(field(F['dns.rr.class'], this.at(t + 2), 2, className(r.class), `Class: ${className(r.class)} (0x${r.class.toString(16).padStart(4, '0')})${info && r.class !== 1 ? ` — ${info.meaning}` : ''}`));
      const cache = this.cache;
      const ttlText = `Time to live: ${r.ttl} (${describeDuration(r.ttl)})`;
      const ttlNode = cache
        ? field(F['dns.rr.ttl'], this.at(t + 4), 4, r.ttl, `${ttlText}, how long ${cache.name ?? 'the resolver'} may still keep it`, { children: [this.remainingTtl(span, r, cache)] })
        : field(F['dns.rr.ttl'], this.at(t + 4), 4, r.ttl, ttlText);
      if (r.ttl > 0x7fffffff) flag(ttlNode, warn('a TTL with the top bit set is read as 0 (RFC 2181 §8)'));
      children.push(ttlNode);
    }
    children.push(field(F['dns.rr.rdlength'], this.at(t + 8), 2, span.rdlength, `Data length: ${span.rdlength}`));
    if (span.rdlength > 0) {
      const parts = span.parts.map((p) => this.rdataPart(p, r));
      children.push(field(F['dns.rr.rdata'], this.at(span.rdataOffset), span.rdlength, undefined, isOpt ? `Options: ${byteCount(span.rdlength)}` : `Data: ${this.rdataSummary(r)}`, { children: parts }));
    }
    const title = isOpt
      ? `<Root>: type OPT, UDP payload ${r.class}`
      : `${span.name.name === '.' ? '<Root>' : span.name.name}: type ${typeName(r.type)}, class ${className(r.class)}, TTL ${r.ttl}, ${this.rdataSummary(r)}`;
    return field(isOpt ? F['dns.opt'] : F['dns.rr'], this.at(span.offset), span.length, undefined, title, { children });
  }

  /**
   * What the TTL of a record sent by the local name server means: the seconds it may still keep
   * the record. That is the zone's TTL when it has just fetched the record and less when it
   * answers from its cache; the message does not say which (a fresh fetch and a cache hit look
   * the same on the wire), so neither is claimed, and the zone's TTL is not shown.
   */
  private remainingTtl(span: RecordSpan, r: DnsRecord, cache: MessagePeer): FieldNode {
    const left = describeDuration(r.ttl);
    const who = cache.name ?? 'the resolver';
    const negative = span.section === 'authority' && r.type === RR_TYPE.SOA;
    const text = negative
      ? `Remaining TTL: ${who} may remember for another ${left} that there is no such data: the SOA's TTL in full when it has just been told, counted down when it answers from its cache (RFC 2308 §6)`
      : `Remaining TTL: ${who} may keep this record for another ${left}: the full TTL when it has just fetched the record, less when it answers from its cache, which passes on the time left (RFC 1035 §4.1.3, RFC 2181 §8)`;
    return field(F['dns.rr.ttl.remaining'], this.at(span.typeOffset + 4), 4, r.ttl, text, { generated: true });
  }

  /** The item the decoder failed on, as far as it was read, running to the end of the message. */
  failedItem(failed: FailedItem, err: DnsDecodeError): FieldNode {
    const m = this.msg;
    const children: FieldNode[] = [];
    if (failed.name && failed.name.length > 0) {
      const nameNode = this.name(failed.section === 'question' ? F['dns.qry.name'] : F['dns.rr.name'], failed.name, 'Name');
      if (err.code.startsWith('name') || err.code.startsWith('pointer') || err.code === 'label-too-long') nameNode.display += ' … (unreadable from here on)';
      children.push(nameNode);
    }
    const fixed = failed.name ? failed.name.offset + failed.name.length : -1;
    const complete = failed.name !== undefined && err.offset >= fixed && !err.code.startsWith('name') && !err.code.startsWith('pointer') && err.code !== 'label-too-long';
    if (complete && failed.section !== 'question' && fixed + 10 <= m.length) {
      const type = u16(m, fixed);
      const ttl = u32(m, fixed + 4);
      children.push(field(F['dns.rr.type'], this.at(fixed), 2, typeName(type), `Type: ${typeName(type)} (${type})${typeInfo(type) ? ` — ${typeInfo(type)?.meaning}` : ''}`));
      children.push(field(F['dns.rr.class'], this.at(fixed + 2), 2, className(u16(m, fixed + 2)), `Class: ${className(u16(m, fixed + 2))}`));
      children.push(field(F['dns.rr.ttl'], this.at(fixed + 4), 4, ttl, `Time to live: ${ttl} (${describeDuration(ttl)})`));
      children.push(field(F['dns.rr.rdlength'], this.at(fixed + 8), 2, u16(m, fixed + 8), `Data length: ${u16(m, fixed + 8)}`));
      if (m.length > fixed + 10) children.push(field(F['dns.rr.rdata'], this.at(fixed + 10), m.length - fixed - 10, undefined, `Data: ${byteCount(m.length - fixed - 10)} (not readable)`));
    }
    const def = failed.section === 'question' ? F['dns.query'] : F['dns.rr'];
    const label = failed.section === 'question' ? `Question ${failed.index + 1}` : `${failed.section[0].toUpperCase()}${failed.section.slice(1)} record ${failed.index + 1}`;
    const node = field(def, this.at(failed.offset), m.length - failed.offset, undefined, `${label}: malformed`, { children, expert: error(`${err.message} (${err.rfc})`) });
    const target = innermostAt(children, this.at(err.offset));
    if (target) flag(target, error(err.message));
    else if (err.offset < m.length) node.children = [...children, field(F['dns.malformed'], this.at(err.offset), Math.min(err.code.startsWith('pointer') ? 2 : 1, m.length - err.offset), undefined, 'Malformed here', { expert: error(err.message) })];
    return node;
  }
}

const SECTION_GROUPS = {
  answer: { def: F['dns.answers'], title: 'Answers', key: 'answers' },
  authority: { def: F['dns.authority'], title: 'Authoritative nameservers', key: 'authorities' },
  additional: { def: F['dns.additional'], title: 'Additional records', key: 'additionals' },
} as const;

function group(def: FieldDef, title: string, items: FieldNode[]): FieldNode | null {
  if (items.length === 0) return null;
  const start = items[0].offset;
  const last = items[items.length - 1];
  return field(def, start, last.offset + last.length - start, undefined, title, { children: items });
}

/** "Sent by" and "Sent to": where the two ends sit in the hierarchy, from the connection (the bytes do not say). */
function peerNodes(ctx: DissectContext, at: number): FieldNode[] {
  const nodes: FieldNode[] = [];
  if (ctx.sender) nodes.push(field(F['dns.sender'], at, 0, ctx.sender.name ?? ctx.sender.address, `Sent by: ${describePeer(ctx.sender)}`, { generated: true }));
  if (ctx.receiver) nodes.push(field(F['dns.receiver'], at, 0, ctx.receiver.name ?? ctx.receiver.address, `Sent to: ${describePeer(ctx.receiver)}`, { generated: true }));
  return nodes;
}

function outcomeNode(m: DnsMessage, at: number, cache: MessagePeer | null): FieldNode {
  if (!m.flags.qr) {
    return field(F['dns.query_kind'], at, 0, m.flags.rd ? 'recursive' : 'iterative', m.flags.rd ? 'Recursive query: RD asks the server to find the final answer on the client\'s behalf' : 'Iterative query: RD is clear, so the server answers from its own data or refers the client onward', { generated: true });
  }
  const k = responseKind(m);
  const text = ((): string => {
    switch (k.kind) {
      case 'answer':
        if (k.authoritative) return 'Authoritative answer: the server owns the zone of this name';
        return cache
          ? `Answer from the local name server (not the authority): records it got from the hierarchy; each TTL is how long ${cache.name ?? 'it'} may still keep them (the full TTL when it has just fetched them, less when it answers from its cache)`
          : 'Answer from a server that is not the authority (e.g. a resolver passing on what it learned)';
      case 'referral':
        return `Referral: the server does not know, but ${k.zone} is delegated to ${k.servers.join(', ')}; ask there next`;
      case 'nxdomain':
        return 'NXDOMAIN: the name does not exist (the SOA in the authority section says how long to remember that)';
      case 'nodata':
        return m.authorities.some((r) => r.type === RR_TYPE.SOA)
          ? 'NODATA: the name exists but has no record of the type asked for (the SOA in the authority section says how long to remember that)'
          : 'Empty answer: no record of the type asked for, and no SOA to say how long to remember that';
      case 'truncated':
        return 'Truncated: the answer did not fit; the client should ask again over TCP';
      case 'error':
        return `Error: ${k.name} — ${rcodeInfo(k.rcode)?.meaning ?? 'an unassigned response code'}`;
    }
  })();
  return field(F['dns.outcome'], at, 0, k.kind, `Outcome: ${text}`, { generated: true });
}

function pairingNodes(ctx: DissectContext, at: number, message: DnsMessage | null): FieldNode[] {
  const p = ctx.pairedWith;
  if (!p) return [];
  const isResponse = message ? message.flags.qr : ctx.role === 'response';
  if (!isResponse) return [field(F['dns.response_in'], at, 0, p.id, `Response in #${p.id}`, { generated: true })];
  const nodes = [field(F['dns.response_to'], at, 0, p.id, `Response to #${p.id}`, { generated: true })];
  if (ctx.t !== undefined) {
    const ms = formatMilliseconds(ctx.t - p.t);
    nodes.push(field(F['dns.time'], at, 0, Number(ms), `Time: ${ms} ms since the query`, { generated: true }));
  }
  if (message && p.bytes) {
    const queryBytes = ctx.transport === 'tcp' ? p.bytes.subarray(DNS_TCP_LENGTH_PREFIX) : p.bytes;
    const query = decodeMessage(queryBytes);
    if (query.ok) {
      const q = query.message.questions[0];
      const r = message.questions[0];
      if (query.message.id !== message.id) flag(nodes[0], warn(`the ID 0x${message.id.toString(16)} does not match the query's 0x${query.message.id.toString(16)}: a resolver drops this response`));
      else if (q && r && (q.name.toLowerCase() !== r.name.toLowerCase() || q.type !== r.type || q.class !== r.class)) flag(nodes[0], warn('the question differs from the query\'s: a resolver drops this response'));
    }
  }
  return nodes;
}

function noteExperts(nodes: FieldNode[], notes: readonly DnsDecodeNote[], base: number, root: FieldNode): void {
  for (const n of notes) {
    if (n.code === 'trailing-bytes') continue;
    const target = n.code === 'udp-over-512' ? root : innermostAt(nodes, base + n.offset);
    if (target) flag(target, n.code === 'udp-over-512' ? warn(`${n.message} (${n.rfc})`) : note(`${n.message} (${n.rfc})`));
  }
}

/** Dissects the DNS message in `msg`, which starts at offset `base` of the captured bytes. */
function dissectBody(msg: Uint8Array, base: number, ctx: DissectContext): FieldNode[] {
  const decoded = decodeMessage(msg, { transport: ctx.transport });
  const cache = cacheHolderOf(decoded.ok ? decoded.message : decoded.partial, ctx);
  const d = new MessageDissector(msg, base, decoded.ok ? decoded.message : decoded.partial, decoded.ok, cache);
  const header = d.header();
  const peers = peerNodes(ctx, base);
  if (!decoded.ok && decoded.partial === null) {
    const covered = header.reduce((n, h) => n + h.length, 0);
    const children = [...peers, ...header];
    if (covered < msg.length) children.push(field(F['dns.malformed'], base + covered, msg.length - covered, undefined, 'Malformed: the rest of a cut header'));
    return [field(F.dns, base, msg.length, undefined, 'Domain Name System (malformed)', { children, expert: error(`${decoded.error.message} (${decoded.error.rfc})`) })];
  }
  const message = decoded.ok ? decoded.message : (decoded.partial as DnsMessage);
  const spans = decoded.spans;
  const children = [...peers, ...header];
  const questions = spans.questions.map((s, i) => d.question(s, message.questions[i].type, message.questions[i].class));
  const records = new Map<string, FieldNode[]>([
    ['answer', []],
    ['authority', []],
    ['additional', []],
  ]);
  const counters = { answer: 0, authority: 0, additional: 0 };
  for (const s of spans.records) {
    const list = message[SECTION_GROUPS[s.section].key];
    records.get(s.section)?.push(d.record(s, list[counters[s.section]++]));
  }
  if (!decoded.ok && decoded.failed) {
    const item = d.failedItem(decoded.failed, decoded.error);
    if (decoded.failed.section === 'question') questions.push(item);
    else records.get(decoded.failed.section)?.push(item);
  }
  const q = group(F['dns.queries'], 'Queries', questions);
  if (q) children.push(q);
  for (const section of ['answer', 'authority', 'additional'] as const) {
    const g = group(SECTION_GROUPS[section].def, SECTION_GROUPS[section].title, records.get(section) ?? []);
    if (g) children.push(g);
  }
  const end = decoded.ok ? spans.end : msg.length;
  if (!decoded.ok && !decoded.failed) {
    // The counts promise more than the message holds: flag the count and show what follows as unread.
    const target = innermostAt(children, base + decoded.error.offset);
    if (target) flag(target, error(decoded.error.message));
    if (spans.end < msg.length) children.push(field(F['dns.malformed'], base + spans.end, msg.length - spans.end, undefined, `Not read: ${byteCount(msg.length - spans.end)}`));
  }
  const kind = message.flags.qr ? 'response' : 'query';
  const consequence = message.flags.qr ? 'a resolver discards such a response' : 'a server answers FORMERR';
  const rootExpert = decoded.ok ? undefined : error(`${decoded.error.message} (${decoded.error.rfc}); ${consequence}`);
  const root = field(F.dns, base, end, undefined, `Domain Name System (${kind}${decoded.ok ? '' : ', malformed'})`, { children, expert: rootExpert });
  if (decoded.ok) {
    noteExperts(children, decoded.notes, base, root);
    (root.children ??= []).push(outcomeNode(message, base, cache));
  }
  (root.children ??= []).push(...pairingNodes(ctx, base, message));
  const out = [root];
  if (decoded.ok && decoded.trailing > 0) {
    out.push(field(F['dns.trailing'], base + end, decoded.trailing, decoded.trailing, `Trailing data: ${byteCount(decoded.trailing)}`, { expert: note('octets after the last record that the header counts do not cover (RFC 1035 §4.1)') }));
  }
  return out;
}

function dissect(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  if (bytes.length === 0) return [];
  if (ctx.transport === 'udp') return dissectBody(bytes, 0, ctx);
  if (bytes.length < DNS_TCP_LENGTH_PREFIX) {
    return [field(F['dns.length'], 0, bytes.length, undefined, 'Length: cut after 1 octet', { expert: warn('the connection ended inside the 2-octet length prefix') })];
  }
  const announced = u16(bytes, 0);
  const body = bytes.subarray(DNS_TCP_LENGTH_PREFIX);
  const length = field(F['dns.length'], 0, DNS_TCP_LENGTH_PREFIX, announced, `Length: ${announced}`);
  if (body.length < announced) flag(length, warn(`the prefix announces ${announced} octets but only ${body.length} arrived before the connection ended`));
  if (announced === 0) flag(length, warn('a length of 0: no message follows'));
  else if (announced < DNS_HEADER_LENGTH) flag(length, error(`a length of ${announced}: a DNS message is at least ${DNS_HEADER_LENGTH} octets`));
  if (body.length === 0) return [length];
  return [length, ...dissectBody(body, DNS_TCP_LENGTH_PREFIX, ctx)];
}

export function dissectDns(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  try {
    return dissect(bytes, ctx);
  } catch (err) {
    // A last resort: the breakdown must show something for any bytes at all.
    const why = err instanceof Error ? err.message : String(err);
    return [field(F['dns.malformed'], 0, bytes.length, undefined, `Data: ${byteCount(bytes.length)}`, { expert: error(`the DNS dissector could not read this message: ${why}`) })];
  }
}
