// The DNS wire decoder (RFC 1035 §4.1). It reads a message into the model of message.ts and, for
// the breakdown, where every part of it lies: each label's length byte and text, each
// compression pointer with the offset it points to, each RR's fixed fields and RDATA parts.
//
// It never throws: anything it cannot read is an error value with the offset of the offending
// byte, a code and the rule it breaks, and the spans of everything read before it. Every error is
// a format error, so a server answers FORMERR when the header could be read (it has an ID to
// answer) and drops the datagram otherwise.

import { formatIPv4, formatIPv6 } from './addresses';
import {
  DNS_HEADER_LENGTH,
  DNS_MAX_NAME,
  DNS_MAX_POINTER_JUMPS,
  DNS_MIN_QUESTION,
  DNS_MIN_RECORD,
  DNS_UDP_MAX,
} from './limits';
import { type DnsMessage, type DnsQuestion, type DnsRdata, type DnsRecord, type DnsSection, type EdnsOption, RR_TYPE, ednsOf, typeName, wordToFlags } from './message';
import { labelText } from './names';

export type DnsDecodeErrorCode =
  | 'header-truncated'
  | 'count-exceeds-packet'
  | 'name-truncated'
  | 'label-too-long'
  | 'name-too-long'
  | 'pointer-truncated'
  | 'pointer-forward'
  | 'pointer-loop'
  | 'pointer-into-header'
  | 'pointer-chain-too-long'
  | 'question-truncated'
  | 'record-truncated'
  | 'rdata-past-end'
  | 'rdata-length-mismatch'
  | 'opt-duplicate';

export interface DnsDecodeError {
  code: DnsDecodeErrorCode;
  /** One sentence for people: what is wrong, with the numbers. */
  message: string;
  /** Offset of the first offending byte in the message. */
  offset: number;
  /** The rule that is broken. */
  rfc: string;
}

export type DnsDecodeNoteCode = 'trailing-bytes' | 'udp-over-512' | 'opt-outside-additional' | 'opt-name-not-root' | 'z-bit-set';

/** Something odd about a message that still decodes. */
export interface DnsDecodeNote {
  code: DnsDecodeNoteCode;
  message: string;
  offset: number;
  rfc: string;
}

export interface LabelSpan {
  /** Offset of the label's length byte. */
  offset: number;
  /** Octets of text after the length byte. */
  length: number;
  text: string;
}

/** Where a name lies: the labels written in place, then the root byte or a pointer. */
export interface NameSpan {
  offset: number;
  /** Octets the name takes where it is written (labels, then 1 for the root byte or 2 for a pointer). */
  length: number;
  labels: LabelSpan[];
  /** The compression pointer ending the name in place: its offset, the offset it points to, the name read there. */
  pointer: { offset: number; target: number; suffix: string } | null;
  /** The whole name, labels read through every pointer. */
  name: string;
}

export interface QuestionSpan {
  index: number;
  offset: number;
  length: number;
  name: NameSpan;
  /** QTYPE; QCLASS follows 2 octets later. */
  typeOffset: number;
}

export type RdataPartKind =
  | 'address'
  | 'host'
  | 'preference'
  | 'string'
  | 'mname'
  | 'rname'
  | 'serial'
  | 'refresh'
  | 'retry'
  | 'expire'
  | 'minimum'
  | 'option'
  | 'raw';

export interface RdataPart {
  kind: RdataPartKind;
  offset: number;
  length: number;
  /** For parts that are names. */
  name?: NameSpan;
}

export interface RecordSpan {
  section: Exclude<DnsSection, 'question'>;
  index: number;
  offset: number;
  length: number;
  name: NameSpan;
  /** TYPE; then CLASS (+2), TTL (+4), RDLENGTH (+8), RDATA (+10). */
  typeOffset: number;
  rdataOffset: number;
  rdlength: number;
  parts: RdataPart[];
}

export interface DnsSpans {
  questions: QuestionSpan[];
  records: RecordSpan[];
  /** Offset just past the last section that was read in full. */
  end: number;
}

/** The item the decoder was reading when it failed, and the part of its name it had read. */
export interface FailedItem {
  section: DnsSection;
  index: number;
  offset: number;
  name?: NameSpan;
}

export type DnsDecodeResult =
  | { ok: true; message: DnsMessage; spans: DnsSpans; notes: DnsDecodeNote[]; trailing: number }
  | {
      ok: false;
      error: DnsDecodeError;
      /** The header and every item read before the error; null when the header itself is cut. */
      partial: DnsMessage | null;
      spans: DnsSpans;
      failed: FailedItem | null;
    };

export interface DnsDecodeOptions {
  /** Over UDP a message longer than 512 octets without EDNS is noted (RFC 1035 §4.2.1). */
  transport?: 'udp' | 'tcp';
}

type Step<T> = { ok: true; value: T; next: number } | { ok: false; error: DnsDecodeError; name?: NameSpan };

function fail<T>(code: DnsDecodeErrorCode, offset: number, message: string, rfc: string, name?: NameSpan): Step<T> {
  return name ? { ok: false, error: { code, offset, message, rfc }, name } : { ok: false, error: { code, offset, message, rfc } };
}

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number): number => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/**
 * Reads the name at `start`. Labels written in place must end before `limit` (the end of the
 * RDATA, or of the message); labels reached through pointers may lie anywhere before the pointer.
 * RFC 1035 §4.1.4 lets a pointer refer only to a prior occurrence; here each pointer must point
 * before the run of labels it ends, so every jump goes strictly backwards and no loop is possible.
 */
export function readName(bytes: Uint8Array, start: number, limit = bytes.length): Step<NameSpan> {
  const labels: LabelSpan[] = [];
  const text: string[] = [];
  const suffix: string[] = [];
  let pointer: NameSpan['pointer'] = null;
  let pos = start;
  let runStart = start;
  let bound = limit;
  let jumps = 0;
  let octets = 1; // the root byte
  const partial = (): NameSpan => ({
    offset: start,
    length: (pointer ? pointer.offset + 2 : pos) - start,
    labels,
    pointer,
    name: text.length === 0 ? '.' : `${text.join('.')}.`,
  });
  for (;;) {
    if (pos >= bound) {
      return fail('name-truncated', pos, `the name starting at offset ${start} runs past the end of the ${bound === bytes.length ? 'message' : 'record data'} at offset ${bound}`, 'RFC 1035 §4.1.4', partial());
    }
    const len = bytes[pos];
    const top = len & 0xc0;
    if (top === 0xc0) {
      if (pos + 2 > bound) {
        return fail('pointer-truncated', pos, `a compression pointer at offset ${pos} needs 2 octets, but the ${bound === bytes.length ? 'message' : 'record data'} ends after 1`, 'RFC 1035 §4.1.4', partial());
      }
      const target = u16(bytes, pos) & 0x3fff;
      if (pointer === null) pointer = { offset: pos, target, suffix: '.' };
      if (target > pos) {
        return fail('pointer-forward', pos, `compression pointer at offset ${pos} points forward, to offset ${target}: a pointer may only refer to a name that came before it`, 'RFC 1035 §4.1.4', partial());
      }
      if (target >= runStart) {
        return fail('pointer-loop', pos, `compression pointer at offset ${pos} points to offset ${target}, ${target === pos ? 'itself' : 'back into the labels that lead to it'}: following it would loop forever`, 'RFC 1035 §4.1.4', partial());
      }
      if (target < DNS_HEADER_LENGTH) {
        return fail('pointer-into-header', pos, `compression pointer at offset ${pos} points into the 12-byte header (offset ${target}), where no name can be`, 'RFC 1035 §4.1.4', partial());
      }
      jumps++;
      if (jumps > DNS_MAX_POINTER_JUMPS) {
        return fail('pointer-chain-too-long', pos, `more than ${DNS_MAX_POINTER_JUMPS} compression pointers in one name`, 'RFC 1035 §4.1.4', partial());
      }
      pos = target;
      runStart = target;
      bound = bytes.length;
      continue;
    }
    if (top !== 0) {
      return fail(
        'label-too-long',
        pos,
        `label length byte 0x${len.toString(16).padStart(2, '0')} (${len}) at offset ${pos}: a label has at most 63 octets, and the top bits ${top === 0x40 ? '01' : '10'} mark no label type in use`,
        'RFC 1035 §2.3.4',
        partial(),
      );
    }
    if (len === 0) {
      pos++;
      break;
    }
    if (pos + 1 + len > bound) {
      return fail('name-truncated', pos, `a label of ${len} octets at offset ${pos} runs past the end of the ${bound === bytes.length ? 'message' : 'record data'} at offset ${bound}`, 'RFC 1035 §4.1.4', partial());
    }
    octets += 1 + len;
    if (octets > DNS_MAX_NAME) {
      return fail('name-too-long', pos, `the name starting at offset ${start} is longer than ${DNS_MAX_NAME} octets`, 'RFC 1035 §2.3.4', partial());
    }
    const label = labelText(bytes, pos + 1, pos + 1 + len);
    text.push(label);
    if (pointer === null) labels.push({ offset: pos, length: len, text: label });
    else suffix.push(label);
    pos += 1 + len;
  }
  if (pointer) pointer.suffix = suffix.length === 0 ? '.' : `${suffix.join('.')}.`;
  const span: NameSpan = {
    offset: start,
    length: (pointer ? pointer.offset + 2 : pos) - start,
    labels,
    pointer,
    name: text.length === 0 ? '.' : `${text.join('.')}.`,
  };
  return { ok: true, value: span, next: start + span.length };
}

interface RdataRead {
  data: DnsRdata;
  parts: RdataPart[];
}

function rdataMismatch(type: number, at: number, rdlength: number, used: number, what: string): Step<RdataRead> {
  return fail(
    'rdata-length-mismatch',
    at,
    `${typeName(type)} record data at offset ${at}: RDLENGTH is ${rdlength} but ${what} take${used === 1 ? 's' : ''} ${used} octet${used === 1 ? '' : 's'}`,
    'RFC 1035 §3.3',
  );
}

/** Reads RDATA of `type` in [start, start + rdlength). Names inside may point back anywhere before. */
function readRdata(bytes: Uint8Array, type: number, start: number, rdlength: number): Step<RdataRead> {
  const end = start + rdlength;
  const nameAt = (at: number, kind: RdataPartKind): Step<RdataPart> => {
    const r = readName(bytes, at, end);
    if (!r.ok) return r;
    return { ok: true, value: { kind, offset: at, length: r.value.length, name: r.value }, next: r.next };
  };
  const numberPart = (kind: RdataPartKind, at: number, length: number): RdataPart => ({ kind, offset: at, length });
  switch (type) {
    case RR_TYPE.A: {
      if (rdlength !== 4) return rdataMismatch(type, start, rdlength, 4, 'an IPv4 address');
      return { ok: true, value: { data: { kind: 'A', address: formatIPv4(bytes, start) }, parts: [numberPart('address', start, 4)] }, next: end };
    }
    case RR_TYPE.AAAA: {
      if (rdlength !== 16) return rdataMismatch(type, start, rdlength, 16, 'an IPv6 address');
      return { ok: true, value: { data: { kind: 'AAAA', address: formatIPv6(bytes, start) }, parts: [numberPart('address', start, 16)] }, next: end };
    }
    case RR_TYPE.NS:
    case RR_TYPE.CNAME:
    case RR_TYPE.PTR: {
      const n = nameAt(start, 'host');
      if (!n.ok) return n;
      if (n.next !== end) return rdataMismatch(type, start, rdlength, n.next - start, 'the name');
      const name = n.value.name?.name ?? '.';
      const data: DnsRdata = type === RR_TYPE.CNAME ? { kind: 'CNAME', target: name } : type === RR_TYPE.NS ? { kind: 'NS', host: name } : { kind: 'PTR', host: name };
      return { ok: true, value: { data, parts: [n.value] }, next: end };
    }
    case RR_TYPE.MX: {
      if (rdlength < 3) return rdataMismatch(type, start, rdlength, 3, 'a preference and the shortest name');
      const n = nameAt(start + 2, 'host');
      if (!n.ok) return n;
      if (n.next !== end) return rdataMismatch(type, start, rdlength, n.next - start, 'the preference and the exchange name');
      const data: DnsRdata = { kind: 'MX', preference: u16(bytes, start), exchange: n.value.name?.name ?? '.' };
      return { ok: true, value: { data, parts: [numberPart('preference', start, 2), n.value] }, next: end };
    }
    case RR_TYPE.TXT: {
      if (rdlength === 0) return rdataMismatch(type, start, rdlength, 1, 'at least one character-string');
      const strings: Uint8Array[] = [];
      const parts: RdataPart[] = [];
      let at = start;
      while (at < end) {
        const len = bytes[at];
        if (at + 1 + len > end) {
          return fail('rdata-length-mismatch', at, `TXT string at offset ${at} announces ${len} octets but only ${end - at - 1} remain in the record data`, 'RFC 1035 §3.3.14');
        }
        strings.push(bytes.slice(at + 1, at + 1 + len));
        parts.push(numberPart('string', at, 1 + len));
        at += 1 + len;
      }
      return { ok: true, value: { data: { kind: 'TXT', strings }, parts }, next: end };
    }
    case RR_TYPE.SOA: {
      const m = nameAt(start, 'mname');
      if (!m.ok) return m;
      const r = nameAt(m.next, 'rname');
      if (!r.ok) return r;
      if (r.next + 20 !== end) return rdataMismatch(type, start, rdlength, r.next + 20 - start, 'two names and five 32-bit numbers');
      const at = r.next;
      const data: DnsRdata = {
        kind: 'SOA',
        mname: m.value.name?.name ?? '.',
        rname: r.value.name?.name ?? '.',
        serial: u32(bytes, at),
        refresh: u32(bytes, at + 4),
        retry: u32(bytes, at + 8),
        expire: u32(bytes, at + 12),
        minimum: u32(bytes, at + 16),
      };
      const numbers: RdataPartKind[] = ['serial', 'refresh', 'retry', 'expire', 'minimum'];
      return { ok: true, value: { data, parts: [m.value, r.value, ...numbers.map((k, i) => numberPart(k, at + i * 4, 4))] }, next: end };
    }
    case RR_TYPE.OPT: {
      const options: EdnsOption[] = [];
      const parts: RdataPart[] = [];
      let at = start;
      while (at < end) {
        if (at + 4 > end) return fail('rdata-length-mismatch', at, `EDNS option at offset ${at} needs 4 octets of code and length, but only ${end - at} remain`, 'RFC 6891 §6.1.2');
        const len = u16(bytes, at + 2);
        if (at + 4 + len > end) return fail('rdata-length-mismatch', at, `EDNS option at offset ${at} announces ${len} octets of data but only ${end - at - 4} remain`, 'RFC 6891 §6.1.2');
        options.push({ code: u16(bytes, at), data: bytes.slice(at + 4, at + 4 + len) });
        parts.push(numberPart('option', at, 4 + len));
        at += 4 + len;
      }
      return { ok: true, value: { data: { kind: 'OPT', options }, parts }, next: end };
    }
    default:
      return { ok: true, value: { data: { kind: 'raw', bytes: bytes.slice(start, end) }, parts: rdlength > 0 ? [numberPart('raw', start, rdlength)] : [] }, next: end };
  }
}

function readQuestion(bytes: Uint8Array, at: number, index: number): Step<{ question: DnsQuestion; span: QuestionSpan }> {
  const n = readName(bytes, at);
  if (!n.ok) return n;
  if (n.next + 4 > bytes.length) {
    return fail('question-truncated', n.next, `question ${index + 1} ends after its name: QTYPE and QCLASS need 4 more octets, ${bytes.length - n.next} remain`, 'RFC 1035 §4.1.2', n.value);
  }
  const question: DnsQuestion = { name: n.value.name, type: u16(bytes, n.next), class: u16(bytes, n.next + 2) };
  return { ok: true, value: { question, span: { index, offset: at, length: n.next + 4 - at, name: n.value, typeOffset: n.next } }, next: n.next + 4 };
}

function readRecord(bytes: Uint8Array, at: number, section: RecordSpan['section'], index: number): Step<{ record: DnsRecord; span: RecordSpan }> {
  const n = readName(bytes, at);
  if (!n.ok) return n;
  const fixed = n.next;
  if (fixed + 10 > bytes.length) {
    return fail('record-truncated', fixed, `${section} record ${index + 1} ends after its name: TYPE, CLASS, TTL and RDLENGTH need 10 more octets, ${bytes.length - fixed} remain`, 'RFC 1035 §4.1.3', n.value);
  }
  const type = u16(bytes, fixed);
  const rdlength = u16(bytes, fixed + 8);
  const rdataOffset = fixed + 10;
  if (rdataOffset + rdlength > bytes.length) {
    return fail('rdata-past-end', fixed + 8, `${section} record ${index + 1} (${typeName(type)}) says RDLENGTH ${rdlength}, but only ${bytes.length - rdataOffset} octets follow`, 'RFC 1035 §4.1.3', n.value);
  }
  const rd = readRdata(bytes, type, rdataOffset, rdlength);
  if (!rd.ok) return { ok: false, error: rd.error, name: n.value };
  const record: DnsRecord = { name: n.value.name, type, class: u16(bytes, fixed + 2), ttl: u32(bytes, fixed + 4), data: rd.value.data };
  const span: RecordSpan = { section, index, offset: at, length: rdataOffset + rdlength - at, name: n.value, typeOffset: fixed, rdataOffset, rdlength, parts: rd.value.parts };
  return { ok: true, value: { record, span }, next: rdataOffset + rdlength };
}

const SECTION_ORDER: ReadonlyArray<[RecordSpan['section'], 'answers' | 'authorities' | 'additionals', number]> = [
  ['answer', 'answers', 6],
  ['authority', 'authorities', 8],
  ['additional', 'additionals', 10],
];

/** The header counts against the octets after the header: each question takes at least 5, each RR 11. */
function checkCounts(bytes: Uint8Array): DnsDecodeError | null {
  const available = bytes.length - DNS_HEADER_LENGTH;
  const names = ['question', 'answer', 'authority', 'additional'];
  let needed = 0;
  for (let i = 0; i < 4; i++) {
    const count = u16(bytes, 4 + i * 2);
    needed += count * (i === 0 ? DNS_MIN_QUESTION : DNS_MIN_RECORD);
    if (needed > available) {
      const counts = [0, 1, 2, 3].map((j) => u16(bytes, 4 + j * 2));
      return {
        code: 'count-exceeds-packet',
        offset: 4 + i * 2,
        message: `the header announces ${counts[0]} question(s), ${counts[1]} answer(s), ${counts[2]} authority and ${counts[3]} additional record(s), which need at least ${needed} octets after the header (the ${names[i]} count alone pushes it past), but the message has only ${available}`,
        rfc: 'RFC 1035 §4.1.1',
      };
    }
  }
  return null;
}

/** Reads one DNS message (without the TCP length prefix). Never throws. */
export function decodeMessage(bytes: Uint8Array, options: DnsDecodeOptions = {}): DnsDecodeResult {
  const spans: DnsSpans = { questions: [], records: [], end: 0 };
  if (bytes.length < DNS_HEADER_LENGTH) {
    return {
      ok: false,
      error: { code: 'header-truncated', offset: bytes.length, message: `${bytes.length} octet${bytes.length === 1 ? '' : 's'}: a DNS message starts with a 12-octet header`, rfc: 'RFC 1035 §4.1.1' },
      partial: null,
      spans,
      failed: null,
    };
  }
  const message: DnsMessage = { id: u16(bytes, 0), flags: wordToFlags(u16(bytes, 2)), questions: [], answers: [], authorities: [], additionals: [] };
  spans.end = DNS_HEADER_LENGTH;
  const counts = checkCounts(bytes);
  if (counts) return { ok: false, error: counts, partial: message, spans, failed: null };

  let at = DNS_HEADER_LENGTH;
  const qdcount = u16(bytes, 4);
  for (let i = 0; i < qdcount; i++) {
    const q = readQuestion(bytes, at, i);
    if (!q.ok) return { ok: false, error: q.error, partial: message, spans, failed: { section: 'question', index: i, offset: at, name: q.name } };
    message.questions.push(q.value.question);
    spans.questions.push(q.value.span);
    at = q.next;
    spans.end = at;
  }
  const notes: DnsDecodeNote[] = [];
  let optSeen = -1;
  for (const [section, key, countAt] of SECTION_ORDER) {
    const count = u16(bytes, countAt);
    for (let i = 0; i < count; i++) {
      const r = readRecord(bytes, at, section, i);
      if (!r.ok) return { ok: false, error: r.error, partial: message, spans, failed: { section, index: i, offset: at, name: r.name } };
      const { record, span } = r.value;
      if (record.type === RR_TYPE.OPT) {
        if (section !== 'additional') {
          notes.push({ code: 'opt-outside-additional', offset: at, message: `an OPT pseudo-record in the ${section} section: EDNS belongs in the additional section`, rfc: 'RFC 6891 §6.1.1' });
        } else if (optSeen >= 0) {
          return {
            ok: false,
            error: { code: 'opt-duplicate', offset: at, message: `a second OPT record (the first is at offset ${optSeen}): a message carries at most one`, rfc: 'RFC 6891 §6.1.1' },
            partial: message,
            spans,
            failed: { section, index: i, offset: at, name: span.name },
          };
        } else {
          optSeen = at;
        }
        if (record.name !== '.') notes.push({ code: 'opt-name-not-root', offset: at, message: `the OPT record's owner is ${record.name}; it must be the root`, rfc: 'RFC 6891 §6.1.2' });
      }
      message[key].push(record);
      spans.records.push(span);
      at = r.next;
      spans.end = at;
    }
  }
  if (message.flags.z) notes.push({ code: 'z-bit-set', offset: 2, message: 'the reserved Z bit is set; it must be zero', rfc: 'RFC 1035 §4.1.1' });
  const trailing = bytes.length - at;
  if (trailing > 0) notes.push({ code: 'trailing-bytes', offset: at, message: `${trailing} octet${trailing === 1 ? '' : 's'} after the last record, which the counts do not cover`, rfc: 'RFC 1035 §4.1' });
  if (options.transport === 'udp') {
    const edns = ednsOf(message);
    if (!edns && bytes.length > DNS_UDP_MAX) {
      notes.push({ code: 'udp-over-512', offset: DNS_UDP_MAX, message: `a ${bytes.length}-octet UDP message without EDNS: UDP messages are limited to ${DNS_UDP_MAX} octets unless the client announced more in an OPT record`, rfc: 'RFC 1035 §4.2.1' });
    }
  }
  return { ok: true, message, spans, notes, trailing };
}

/**
 * The FORMERR answer to a message that could not be decoded (RFC 1035 §4.1.1): same ID and
 * opcode, QR set, no sections. Null when there is nothing to answer: the header is cut (no ID), or
 * the message is itself a response (answering responses could make two servers loop).
 */
export function formatErrorResponse(bytes: Uint8Array): DnsMessage | null {
  if (bytes.length < DNS_HEADER_LENGTH) return null;
  const flags = wordToFlags(u16(bytes, 2));
  if (flags.qr) return null;
  return {
    id: u16(bytes, 0),
    flags: { qr: true, opcode: flags.opcode, aa: false, tc: false, rd: flags.rd, ra: false, z: false, ad: false, cd: false, rcode: 1 },
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
  };
}
