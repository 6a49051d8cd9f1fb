// On-disk format of the capture journal (DESIGN.md §5), kept apart from the journal's buffering and
// indexing so the layout is in one place.
//
//   file    = header record*
//   header  = "PLJOURNL" (8 bytes ASCII) | u32 LE format version
//   record  = u32 LE payload length | u32 LE CRC-32 (ISO-HDLC, as zlib) of payload | payload
//   payload = kind u8 | u32 LE JSON length | JSON header (UTF-8) | raw bytes
//
// The JSON header holds everything but the bytes (an event without `bytes`, a message summary,
// an answer pair); the bytes follow raw, never base64.
//
// A message's bytes are already in the journal once, in the data or datagram events it was framed
// from, so a message normally does not carry them again (version 2): a KIND_MESSAGE_SLICES record
// holds the summary as JSON and then, where the raw bytes would be, the event slices that make up
// the message, in order, each SLICE_BYTES long:
//
//   slice   = u32 LE event offset low | u32 LE event offset high | u32 LE start | u32 LE length
//
// (the event offset is the file offset of the data/datagram event record; start and length are
// within that event's bytes). A KIND_MESSAGE record still carries its bytes inline, for messages
// that are not a run of recorded chunk bytes.
//
// The capture writes one message record per line of every stream, so since version 3 a message
// stored as slices has a packed form instead of JSON (KIND_MESSAGE_PACKED), all integers LE:
//
//   packed  = kind u8 | flags u8 | f64 id | f64 connId | f64 t | f64 length
//             | [f64 responseTo] | [f64 answeredBy]
//             | u32 byte length + UTF-8, for each of protocol, source, destination, summary
//             | slice*
//   flags   = bit 0 dir (0 c2s, 1 s2c) | bits 1-2 role (0 request, 1 response, 2 other)
//             | bit 3 transport (0 tcp, 1 udp) | bit 4 partial | bit 5 responseTo present
//             | bit 6 answeredBy present (bit 7 is 0)
//
// A summary the packed form cannot hold (a value outside those sets), or a record too large for the
// journal's write buffer, is written as JSON (KIND_MESSAGE_SLICES) as before.
//
// Since version 4 a data or datagram event has a packed form too (KIND_EVENT_PACKED), since there
// is one for every chunk read or written (two for each keep-alive GET):
//
//   event   = kind u8 | flags u8 | f64 seq | f64 t | f64 connId | bytes
//   flags   = bit 0 dir (0 c2s, 1 s2c) | bit 1 type (0 data, 1 datagram) (bits 2-7 are 0)
//
// A chunk whose bytes are lent to the journal (DIRECT_WRITE_MIN_BYTES or more) keeps the JSON form.
//
// A logical payload longer than MAX_RECORD_PAYLOAD_BYTES is stored as a run of fragment records:
//
//   first fragment payload = KIND_FRAGMENT_FIRST | u32 LE logical payload length | first piece
//   next fragment payload  = KIND_FRAGMENT_NEXT | next piece
//
// and is whole only when every piece is there; a run cut short is a torn tail like any other.

import fs from 'node:fs';
import zlib from 'node:zlib';
import type { CaptureEvent, MessageRole, MessageSummary } from '../../../shared/capture';

/** Part of a message's bytes: `length` bytes from `start` of the event recorded at file offset `event`. */
export interface EventSlice {
  event: number;
  start: number;
  length: number;
}

/** What reading a journal yields: every message with its bytes. */
export type JournalRecord =
  | { kind: 'event'; event: CaptureEvent }
  | { kind: 'message'; message: MessageSummary; bytes: Uint8Array }
  | { kind: 'answer'; requestId: number; responseId: number };

/** What can be appended, and what a record decodes to before its slices are resolved. */
export type JournalEntry = JournalRecord | { kind: 'messageSlices'; message: MessageSummary; slices: EventSlice[] };

export const JOURNAL_MAGIC = 'PLJOURNL';
/**
 * Version 2 added KIND_MESSAGE_SLICES, version 3 KIND_MESSAGE_PACKED, version 4 KIND_EVENT_PACKED;
 * older files (without such records) read as they are.
 */
export const JOURNAL_VERSION = 4;
export const OLDEST_READABLE_VERSION = 1;
export const JOURNAL_HEADER_BYTES = 12;
/** Length and CRC in front of every record. */
export const RECORD_HEADER_BYTES = 8;
/**
 * Largest payload one record holds. Bigger logical records are split into fragments, so nothing is
 * refused for its size; the bound exists so that a corrupt length field read on reopen is
 * recognized as damage instead of driving a multi-gigabyte allocation.
 */
export const MAX_RECORD_PAYLOAD_BYTES = 16 * 1024 * 1024;
/** u32 fragment-run length field: the largest logical record the format can describe. */
export const MAX_LOGICAL_PAYLOAD_BYTES = 0xffff_ffff;

export const KIND_EVENT = 1;
export const KIND_MESSAGE = 2;
export const KIND_ANSWER = 3;
export const KIND_MESSAGE_SLICES = 4;
export const KIND_MESSAGE_PACKED = 5;
export const KIND_EVENT_PACKED = 6;
export const KIND_FRAGMENT_FIRST = 0x81;
export const KIND_FRAGMENT_NEXT = 0x82;

/** kind byte + u32 JSON length in front of every logical payload. */
export const LOGICAL_PREFIX_BYTES = 5;
/** kind byte + u32 logical length in front of the first fragment's piece. */
export const FRAGMENT_FIRST_PREFIX_BYTES = 5;
export const FRAGMENT_NEXT_PREFIX_BYTES = 1;
/** One event slice of a KIND_MESSAGE_SLICES record: offset low, offset high, start, length (u32 LE each). */
export const SLICE_BYTES = 16;
/** Event offsets are file offsets below 2^53, so they fit a double exactly. */
const TWO_TO_32 = 0x1_0000_0000;

export function journalHeader(): Buffer {
  const header = Buffer.alloc(JOURNAL_HEADER_BYTES);
  header.write(JOURNAL_MAGIC, 0, 'latin1');
  header.writeUInt32LE(JOURNAL_VERSION, 8);
  return header;
}

export class JournalFormatError extends Error {
  override name = 'JournalFormatError';
}

/** A logical record ready to frame: the head (kind, JSON length, JSON) and the raw bytes after it. */
export interface EncodedRecord {
  head: Buffer;
  bytes: Uint8Array;
  length: number;
}

const EMPTY = new Uint8Array(0);

/** A logical record taken apart: its kind byte, its JSON header, and the raw bytes or event slices after it. */
export interface RecordParts {
  kind: number;
  json: string;
  bytes: Uint8Array;
  slices: readonly EventSlice[] | null;
}

export function recordParts(record: JournalEntry): RecordParts {
  let kind: number;
  let header: unknown;
  let bytes: Uint8Array = EMPTY;
  let slices: readonly EventSlice[] | null = null;
  switch (record.kind) {
    case 'event': {
      kind = KIND_EVENT;
      const event = record.event;
      if (event.type === 'data' || event.type === 'datagram') {
        if (!(event.bytes instanceof Uint8Array)) throw new TypeError(`${event.type} event ${event.seq} has no bytes`);
        // Every field but the bytes, named rather than spread: one of these per chunk of every stream.
        header = { type: event.type, seq: event.seq, t: event.t, connId: event.connId, dir: event.dir };
        bytes = event.bytes;
      } else {
        header = event;
      }
      break;
    }
    case 'message':
      kind = KIND_MESSAGE;
      if (!(record.bytes instanceof Uint8Array)) throw new TypeError(`message ${record.message.id} has no bytes`);
      header = record.message;
      bytes = record.bytes;
      break;
    case 'messageSlices':
      kind = KIND_MESSAGE_SLICES;
      header = record.message;
      checkSliceFields(record.slices);
      slices = record.slices;
      break;
    case 'answer':
      kind = KIND_ANSWER;
      header = { requestId: record.requestId, responseId: record.responseId };
      break;
    default:
      throw new TypeError(`unknown journal record kind: ${JSON.stringify((record as { kind?: unknown }).kind)}`);
  }
  return { kind, json: JSON.stringify(header), bytes, slices };
}

/** Payload bytes after the JSON header: the raw bytes, or the packed slices. */
export function tailLength(parts: RecordParts): number {
  return parts.slices ? parts.slices.length * SLICE_BYTES : parts.bytes.length;
}

export function encodeRecord(record: JournalEntry): EncodedRecord {
  const parts = recordParts(record);
  const { kind, json } = parts;
  const bytes = parts.slices ? encodeSlices(parts.slices) : parts.bytes;
  const jsonLength = Buffer.byteLength(json);
  const head = Buffer.allocUnsafe(LOGICAL_PREFIX_BYTES + jsonLength);
  head[0] = kind;
  head.writeUInt32LE(jsonLength, 1);
  head.write(json, LOGICAL_PREFIX_BYTES, 'utf8');
  const length = head.length + bytes.length;
  if (length > MAX_LOGICAL_PAYLOAD_BYTES) {
    throw new RangeError(`journal record of ${length} bytes exceeds the ${MAX_LOGICAL_PAYLOAD_BYTES}-byte format maximum`);
  }
  return { head, bytes, length };
}

function isSliceField(x: unknown, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}

/** Throws a RangeError for a slice whose fields the format cannot hold. */
export function checkSliceFields(slices: readonly EventSlice[]): void {
  for (const s of slices) {
    if (!isSliceField(s.event, Number.MAX_SAFE_INTEGER) || !isSliceField(s.start, 0xffff_ffff) || !isSliceField(s.length, 0xffff_ffff)) {
      throw new RangeError(`event slice needs whole numbers event >= 0, start and length in 0..2^32-1, got ${JSON.stringify(s)}`);
    }
  }
}

/** Packs checked slices into `out` from `at`; returns the offset after them. */
export function writeSlices(slices: readonly EventSlice[], out: Buffer, at: number): number {
  for (const s of slices) {
    out.writeUInt32LE(s.event % TWO_TO_32, at);
    out.writeUInt32LE(Math.floor(s.event / TWO_TO_32), at + 4);
    out.writeUInt32LE(s.start, at + 8);
    out.writeUInt32LE(s.length, at + 12);
    at += SLICE_BYTES;
  }
  return at;
}

export function encodeSlices(slices: readonly EventSlice[]): Uint8Array {
  checkSliceFields(slices);
  const out = Buffer.allocUnsafe(slices.length * SLICE_BYTES);
  writeSlices(slices, out, 0);
  return out;
}

export function decodeSlices(raw: Uint8Array): EventSlice[] {
  if (raw.length % SLICE_BYTES !== 0) throw new JournalFormatError(`message slices of ${raw.length} bytes, not a multiple of ${SLICE_BYTES}`);
  const view = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  const slices: EventSlice[] = [];
  for (let at = 0; at < raw.length; at += SLICE_BYTES) {
    const event = view.readUInt32LE(at) + view.readUInt32LE(at + 4) * TWO_TO_32;
    if (!Number.isSafeInteger(event)) throw new JournalFormatError(`message slice points past 2^53 (${event})`);
    slices.push({ event, start: view.readUInt32LE(at + 8), length: view.readUInt32LE(at + 12) });
  }
  return slices;
}

// ---- KIND_MESSAGE_PACKED ----

const FLAG_S2C = 0x01;
const ROLE_SHIFT = 1;
const ROLE_MASK = 0x06;
const FLAG_UDP = 0x08;
const FLAG_PARTIAL = 0x10;
const FLAG_RESPONSE_TO = 0x20;
const FLAG_ANSWERED_BY = 0x40;
const FLAG_UNUSED = 0x80;
const ROLE_REQUEST = 0;
const ROLE_RESPONSE = 1;
const ROLE_OTHER = 2;
/** By role code. */
const ROLES: readonly MessageRole[] = ['request', 'response', 'other'];
/** kind, flags, then id, connId, t and length as f64. */
export const PACKED_FIXED_BYTES = 2 + 4 * 8;
/** The optional responseTo and answeredBy, f64 each. */
const PACKED_OPTIONAL_MAX_BYTES = 2 * 8;
/** protocol, source, destination, summary: each a u32 byte length and its UTF-8. */
const PACKED_STRINGS = 4;
/** A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, 2 units, takes 4). */
const MAX_UTF8_PER_UNIT = 3;

/**
 * The flags byte of the packed form of `m`, or -1 when that form cannot hold it (a direction, role
 * or transport outside its sets, `partial` other than true or absent, a field of the wrong type):
 * such a summary is written as JSON. Fields outside MessageSummary are not stored.
 */
export function packedMessageFlags(m: MessageSummary): number {
  let flags: number;
  if (m.dir === 'c2s') flags = 0;
  else if (m.dir === 's2c') flags = FLAG_S2C;
  else return -1;
  if (m.role === 'request') flags |= ROLE_REQUEST << ROLE_SHIFT;
  else if (m.role === 'response') flags |= ROLE_RESPONSE << ROLE_SHIFT;
  else if (m.role === 'other') flags |= ROLE_OTHER << ROLE_SHIFT;
  else return -1;
  if (m.transport === 'udp') flags |= FLAG_UDP;
  else if (m.transport !== 'tcp') return -1;
  if (m.partial === true) flags |= FLAG_PARTIAL;
  else if (m.partial !== undefined) return -1;
  if (m.responseTo !== undefined) {
    if (typeof m.responseTo !== 'number') return -1;
    flags |= FLAG_RESPONSE_TO;
  }
  if (m.answeredBy !== undefined) {
    if (typeof m.answeredBy !== 'number') return -1;
    flags |= FLAG_ANSWERED_BY;
  }
  if (typeof m.id !== 'number' || typeof m.connId !== 'number' || typeof m.t !== 'number' || typeof m.length !== 'number') return -1;
  if (typeof m.protocol !== 'string' || typeof m.source !== 'string' || typeof m.destination !== 'string' || typeof m.summary !== 'string') return -1;
  return flags;
}

/** At least the length of the packed payload of `m` with `slices` (strings counted at their UTF-8 maximum). */
export function packedMessageMaxLength(m: MessageSummary, slices: readonly EventSlice[]): number {
  const units = m.protocol.length + m.source.length + m.destination.length + m.summary.length;
  return PACKED_FIXED_BYTES + PACKED_OPTIONAL_MAX_BYTES + PACKED_STRINGS * 4 + units * MAX_UTF8_PER_UNIT + slices.length * SLICE_BYTES;
}

/**
 * Strings up to this many UTF-16 units are encoded by writeUtf8's own loop: for an endpoint name
 * or a protocol, a call into Buffer's encoder costs more than the loop (measured here: ~100 ns a
 * call, ~2 ns a unit). Longer ones, a summary, go to the encoder.
 */
const SHORT_TEXT_UNITS = 48;

/** The UTF-8 of `text` at `at` (the caller made room: 3 bytes a unit); returns the bytes written, as Buffer.write would. */
export function writeUtf8(out: Buffer, at: number, text: string): number {
  const n = text.length;
  if (n > SHORT_TEXT_UNITS) return out.write(text, at, 'utf8');
  let p = at;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
    } else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      // Surrogates, paired or lone: Buffer's encoder for the rest, so they come out as it writes them.
      return p - at + out.write(text.slice(i), p, 'utf8');
    }
  }
  return p - at;
}

function writeString(out: Buffer, at: number, text: string): number {
  const length = writeUtf8(out, at + 4, text);
  out.writeUInt32LE(length, at);
  return at + 4 + length;
}

/** Connection directions whose encoded strings a PackedStringsCache keeps at most; past it, it starts afresh. */
export const PACKED_STRINGS_CACHE_ENTRIES = 4096;

interface EncodedStrings {
  protocol: string;
  source: string;
  destination: string;
  /** The three as writeString writes them, back to back. */
  bytes: Uint8Array;
}

/**
 * The protocol, source and destination of a connection's messages, encoded once per connection
 * and direction: every message of the connection repeats them, and copying their bytes costs a
 * fraction of encoding three strings again. The bytes written are the same either way.
 */
export class PackedStringsCache {
  private readonly byFlow = new Map<number, EncodedStrings>();

  /** Writes m's protocol, source and destination at `at` (room made by the caller); returns the offset after them. */
  write(m: MessageSummary, out: Buffer, at: number): number {
    const key = m.connId * 2 + (m.dir === 's2c' ? 1 : 0);
    let e = this.byFlow.get(key);
    if (e === undefined || e.protocol !== m.protocol || e.source !== m.source || e.destination !== m.destination) {
      const units = m.protocol.length + m.source.length + m.destination.length;
      const scratch = Buffer.allocUnsafe(3 * 4 + units * MAX_UTF8_PER_UNIT);
      const end = writeString(scratch, writeString(scratch, writeString(scratch, 0, m.protocol), m.source), m.destination);
      // A copy of its own: a view would keep the whole of Buffer's shared pool slab alive with the entry.
      e = { protocol: m.protocol, source: m.source, destination: m.destination, bytes: new Uint8Array(scratch.subarray(0, end)) };
      if (this.byFlow.size >= PACKED_STRINGS_CACHE_ENTRIES) this.byFlow.clear();
      this.byFlow.set(key, e);
    }
    out.set(e.bytes, at);
    return at + e.bytes.length;
  }
}

/**
 * Writes the packed payload of `m` (whose flags packedMessageFlags gave) and its checked slices
 * at `at`; `out` has packedMessageMaxLength bytes of room there. Returns the offset after it.
 */
export function writePackedMessage(m: MessageSummary, flags: number, slices: readonly EventSlice[], out: Buffer, at: number, strings: PackedStringsCache): number {
  out[at] = KIND_MESSAGE_PACKED;
  out[at + 1] = flags;
  out.writeDoubleLE(m.id, at + 2);
  out.writeDoubleLE(m.connId, at + 10);
  out.writeDoubleLE(m.t, at + 18);
  out.writeDoubleLE(m.length, at + 26);
  let p = at + PACKED_FIXED_BYTES;
  if (flags & FLAG_RESPONSE_TO) p = out.writeDoubleLE(m.responseTo!, p);
  if (flags & FLAG_ANSWERED_BY) p = out.writeDoubleLE(m.answeredBy!, p);
  p = strings.write(m, out, p);
  p = writeString(out, p, m.summary);
  return writeSlices(slices, out, p);
}

/** A packed message record, decoded; throws JournalFormatError when it does not hold together. */
function decodePackedMessage(view: Buffer): JournalEntry {
  if (view.length < PACKED_FIXED_BYTES) throw new JournalFormatError('packed message record shorter than its fixed fields');
  const flags = view[1];
  const roleCode = (flags & ROLE_MASK) >> ROLE_SHIFT;
  if (flags & FLAG_UNUSED || roleCode >= ROLES.length) throw new JournalFormatError(`packed message record with unknown flags 0x${flags.toString(16)}`);
  const id = view.readDoubleLE(2);
  if (!isMessageId(id)) throw new JournalFormatError('message record without a valid id');
  let p = PACKED_FIXED_BYTES;
  const cutShort = () => new JournalFormatError(`packed message ${id} runs past its record`);
  const f64 = (): number => {
    if (p + 8 > view.length) throw cutShort();
    const x = view.readDoubleLE(p);
    p += 8;
    return x;
  };
  const text = (): string => {
    if (p + 4 > view.length) throw cutShort();
    const length = view.readUInt32LE(p);
    if (p + 4 + length > view.length) throw cutShort();
    const out = view.toString('utf8', p + 4, p + 4 + length);
    p += 4 + length;
    return out;
  };
  const responseTo = flags & FLAG_RESPONSE_TO ? f64() : undefined;
  const answeredBy = flags & FLAG_ANSWERED_BY ? f64() : undefined;
  const protocol = text();
  const source = text();
  const destination = text();
  const summary = text();
  const message: MessageSummary = {
    id,
    connId: view.readDoubleLE(10),
    protocol,
    transport: flags & FLAG_UDP ? 'udp' : 'tcp',
    dir: flags & FLAG_S2C ? 's2c' : 'c2s',
    role: ROLES[roleCode],
    t: view.readDoubleLE(18),
    length: view.readDoubleLE(26),
    summary,
    source,
    destination,
  };
  if (responseTo !== undefined) message.responseTo = responseTo;
  if (answeredBy !== undefined) message.answeredBy = answeredBy;
  if (flags & FLAG_PARTIAL) message.partial = true;
  return { kind: 'messageSlices', message, slices: decodeSlices(view.subarray(p)) };
}

// ---- KIND_EVENT_PACKED ----

const EVENT_FLAG_S2C = 0x01;
const EVENT_FLAG_DATAGRAM = 0x02;
const EVENT_FLAGS_KNOWN = EVENT_FLAG_S2C | EVENT_FLAG_DATAGRAM;
/** kind, flags, then seq, t and connId as f64. */
export const PACKED_EVENT_HEAD_BYTES = 2 + 3 * 8;

/** Writes the packed head of a data or datagram event at `at` (PACKED_EVENT_HEAD_BYTES of room); its bytes go right after. */
export function writePackedEventHead(event: Extract<CaptureEvent, { type: 'data' | 'datagram' }>, out: Buffer, at: number): number {
  out[at] = KIND_EVENT_PACKED;
  out[at + 1] = (event.dir === 's2c' ? EVENT_FLAG_S2C : 0) | (event.type === 'datagram' ? EVENT_FLAG_DATAGRAM : 0);
  out.writeDoubleLE(event.seq, at + 2);
  out.writeDoubleLE(event.t, at + 10);
  out.writeDoubleLE(event.connId, at + 18);
  return at + PACKED_EVENT_HEAD_BYTES;
}

function decodePackedEvent(view: Buffer, copyBytes: boolean): JournalEntry {
  if (view.length < PACKED_EVENT_HEAD_BYTES) throw new JournalFormatError('packed event record shorter than its fixed fields');
  const flags = view[1];
  if (flags & ~EVENT_FLAGS_KNOWN) throw new JournalFormatError(`packed event record with unknown flags 0x${flags.toString(16)}`);
  // A plain Uint8Array (not a Buffer view), as the capture types promise.
  const raw = new Uint8Array(view.buffer, view.byteOffset + PACKED_EVENT_HEAD_BYTES, view.length - PACKED_EVENT_HEAD_BYTES);
  return {
    kind: 'event',
    event: {
      type: flags & EVENT_FLAG_DATAGRAM ? 'datagram' : 'data',
      seq: view.readDoubleLE(2),
      t: view.readDoubleLE(10),
      connId: view.readDoubleLE(18),
      dir: flags & EVENT_FLAG_S2C ? 's2c' : 'c2s',
      bytes: copyBytes ? raw.slice() : raw,
    },
  };
}

/**
 * The physical records for one logical record, each as the slices of its payload (prefix + pieces
 * of head and bytes), so a large message is framed without copying it whole.
 */
export function* framePhysical(encoded: EncodedRecord): Generator<Uint8Array[]> {
  if (encoded.length <= MAX_RECORD_PAYLOAD_BYTES) {
    yield encoded.bytes.length > 0 ? [encoded.head, encoded.bytes] : [encoded.head];
    return;
  }
  let at = 0; // offset in the logical payload
  let first = true;
  while (at < encoded.length) {
    let prefix: Buffer;
    if (first) {
      prefix = Buffer.alloc(FRAGMENT_FIRST_PREFIX_BYTES);
      prefix[0] = KIND_FRAGMENT_FIRST;
      prefix.writeUInt32LE(encoded.length, 1);
    } else {
      prefix = Buffer.from([KIND_FRAGMENT_NEXT]);
    }
    const room = MAX_RECORD_PAYLOAD_BYTES - prefix.length;
    const end = Math.min(encoded.length, at + room);
    yield [prefix, ...logicalSlices(encoded, at, end)];
    at = end;
    first = false;
  }
}

function logicalSlices(encoded: EncodedRecord, start: number, end: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const headLength = encoded.head.length;
  if (start < headLength) out.push(encoded.head.subarray(start, Math.min(end, headLength)));
  if (end > headLength) out.push(encoded.bytes.subarray(Math.max(0, start - headLength), end - headLength));
  return out;
}

export function slicesLength(slices: Uint8Array[]): number {
  let n = 0;
  for (const s of slices) n += s.length;
  return n;
}

export function slicesCrc(slices: Uint8Array[]): number {
  let crc = 0;
  for (const s of slices) crc = zlib.crc32(s, crc);
  return crc;
}

/** Decodes a whole logical payload. `copyBytes` false leaves `bytes` a view into `payload`. */
export function decodeLogical(payload: Uint8Array, copyBytes = true): JournalEntry {
  const view = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (view.length > 0 && view[0] === KIND_MESSAGE_PACKED) return decodePackedMessage(view);
  if (view.length > 0 && view[0] === KIND_EVENT_PACKED) return decodePackedEvent(view, copyBytes);
  if (payload.length < LOGICAL_PREFIX_BYTES) throw new JournalFormatError('record shorter than its prefix');
  const kind = view[0];
  const jsonLength = view.readUInt32LE(1);
  const jsonEnd = LOGICAL_PREFIX_BYTES + jsonLength;
  if (jsonEnd > view.length) throw new JournalFormatError('record JSON header runs past the record');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(view.toString('utf8', LOGICAL_PREFIX_BYTES, jsonEnd));
  } catch (err) {
    throw new JournalFormatError(`record JSON header does not parse: ${(err as Error).message}`);
  }
  if (typeof header !== 'object' || header === null) throw new JournalFormatError('record JSON header is not an object');
  // A plain Uint8Array (not a Buffer view), as the capture types promise.
  const rawBytes = new Uint8Array(payload.buffer, payload.byteOffset + jsonEnd, payload.length - jsonEnd);
  const bytes = copyBytes ? rawBytes.slice() : rawBytes;
  switch (kind) {
    case KIND_EVENT: {
      const type = header.type;
      if (type === 'data' || type === 'datagram') return { kind: 'event', event: { ...header, bytes } as CaptureEvent };
      if (type === 'open' || type === 'close' || type === 'reset') return { kind: 'event', event: header as unknown as CaptureEvent };
      throw new JournalFormatError(`event record of unknown type ${JSON.stringify(type)}`);
    }
    case KIND_MESSAGE:
      if (!isMessageId(header.id)) throw new JournalFormatError('message record without a valid id');
      return { kind: 'message', message: header as unknown as MessageSummary, bytes };
    case KIND_MESSAGE_SLICES:
      if (!isMessageId(header.id)) throw new JournalFormatError('message record without a valid id');
      return { kind: 'messageSlices', message: header as unknown as MessageSummary, slices: decodeSlices(rawBytes) };
    case KIND_ANSWER:
      if (!isMessageId(header.requestId) || !isMessageId(header.responseId)) {
        throw new JournalFormatError('answer record without valid ids');
      }
      return { kind: 'answer', requestId: header.requestId, responseId: header.responseId };
    default:
      throw new JournalFormatError(`record of unknown kind ${kind}`);
  }
}

export function isMessageId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}

/**
 * Positional reads through a window, so scanning many small records costs one read per window
 * rather than two per record. Whole records never change once written; a writer that may rewrite
 * bytes past its logical end (after a failed write) calls invalidate().
 */
export class FileWindowReader {
  private window: Buffer;
  private windowStart = 0;
  private windowLength = 0;

  constructor(
    private readonly fd: number,
    private readonly windowBytes: number,
  ) {
    this.window = Buffer.allocUnsafe(windowBytes);
  }

  /** Forget the loaded window: the caller has written inside or past it. */
  invalidate(): void {
    this.windowLength = 0;
  }

  /** Exactly `length` bytes at `position`, or null when the file ends first. The view is valid until the next read. */
  read(position: number, length: number): Buffer | null {
    if (position >= this.windowStart && position + length <= this.windowStart + this.windowLength) {
      const from = position - this.windowStart;
      return this.window.subarray(from, from + length);
    }
    if (length > this.windowBytes) {
      const out = Buffer.allocUnsafe(length);
      return readFully(this.fd, out, position) === length ? out : null;
    }
    this.windowStart = position;
    this.windowLength = readFully(this.fd, this.window, position);
    return this.windowLength >= length ? this.window.subarray(0, length) : null;
  }
}

function readFully(fd: number, into: Buffer, position: number): number {
  let got = 0;
  while (got < into.length) {
    const n = fs.readSync(fd, into, got, into.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

export interface ScannedRecord {
  /** File offset of the logical record's first physical record. */
  offset: number;
  /** File offset just past its last physical record. */
  end: number;
  record: JournalEntry;
}

/**
 * Walks whole records from `start` to `fileSize`. It stops at the first record that is cut short,
 * fails its CRC, or does not decode; `validEnd` is then where the whole records end (the torn tail
 * starts there) and `damage` says what was found.
 */
export class RecordScanner {
  validEnd: number;
  damage: string | null = null;
  private position: number;

  constructor(
    private readonly reader: FileWindowReader,
    start: number,
    private readonly fileSize: number,
    private readonly copyBytes: boolean,
  ) {
    this.position = start;
    this.validEnd = start;
  }

  next(): ScannedRecord | null {
    if (this.damage !== null) return null;
    const offset = this.position;
    let fragments: { total: number; data: Buffer; filled: number } | null = null;
    for (;;) {
      const at = this.position;
      if (at >= this.fileSize) {
        if (fragments) return this.stop(offset, 'fragment run cut short by the end of the file');
        return null;
      }
      const header = this.reader.read(at, RECORD_HEADER_BYTES);
      if (!header) return this.stop(offset, 'record header cut short by the end of the file');
      const length = header.readUInt32LE(0);
      const crc = header.readUInt32LE(4);
      if (length === 0 || length > MAX_RECORD_PAYLOAD_BYTES) {
        return this.stop(offset, `record length ${length} outside 1..${MAX_RECORD_PAYLOAD_BYTES}`);
      }
      if (at + RECORD_HEADER_BYTES + length > this.fileSize) return this.stop(offset, 'record cut short by the end of the file');
      const payload = this.reader.read(at + RECORD_HEADER_BYTES, length);
      if (!payload) return this.stop(offset, 'record cut short by the end of the file');
      if (zlib.crc32(payload) !== crc) return this.stop(offset, `CRC mismatch in the record at offset ${at}`);
      this.position = at + RECORD_HEADER_BYTES + length;
      const kind = payload[0];
      if (kind === KIND_FRAGMENT_FIRST || kind === KIND_FRAGMENT_NEXT) {
        if (kind === KIND_FRAGMENT_FIRST) {
          if (fragments || length < FRAGMENT_FIRST_PREFIX_BYTES) return this.stop(offset, `misplaced fragment at offset ${at}`);
          const total = payload.readUInt32LE(1);
          if (total <= MAX_RECORD_PAYLOAD_BYTES) return this.stop(offset, `needless fragment run at offset ${at}`);
          fragments = { total, data: Buffer.allocUnsafe(total), filled: 0 };
        } else if (!fragments) {
          return this.stop(offset, `fragment without a first fragment at offset ${at}`);
        }
        const piece = payload.subarray(kind === KIND_FRAGMENT_FIRST ? FRAGMENT_FIRST_PREFIX_BYTES : FRAGMENT_NEXT_PREFIX_BYTES);
        if (fragments.filled + piece.length > fragments.total) return this.stop(offset, `fragment run overflows at offset ${at}`);
        piece.copy(fragments.data, fragments.filled);
        fragments.filled += piece.length;
        if (fragments.filled < fragments.total) continue;
        return this.accept(offset, fragments.data, true);
      }
      if (fragments) return this.stop(offset, `fragment run interrupted at offset ${at}`);
      return this.accept(offset, payload, this.copyBytes);
    }
  }

  private accept(offset: number, payload: Uint8Array, payloadIsOwned: boolean): ScannedRecord | null {
    let record: JournalEntry;
    try {
      // Bytes read through the shared window must be copied out; a fragment run's buffer is
      // already private to this record.
      record = decodeLogical(payload, this.copyBytes && !payloadIsOwned);
    } catch (err) {
      return this.stop(offset, (err as Error).message);
    }
    this.validEnd = this.position;
    return { offset, end: this.position, record };
  }

  private stop(offset: number, damage: string): null {
    this.damage = damage;
    this.validEnd = offset;
    this.position = offset;
    return null;
  }
}

/**
 * Reads the bytes of messages stored as event slices. It keeps the last event it read, since the
 * messages framed from one chunk follow each other and share it.
 */
export class SliceReader {
  private cachedOffset = -1;
  private cachedBytes: Uint8Array = EMPTY;

  constructor(
    private readonly reader: FileWindowReader,
    private fileEnd: number,
  ) {}

  /** The journal grew (or was rewritten past `end`): reads may now reach `end`. */
  setFileEnd(end: number): void {
    if (end < this.fileEnd) this.cachedOffset = -1;
    this.fileEnd = end;
  }

  read(slices: readonly EventSlice[]): Uint8Array {
    let length = 0;
    for (const s of slices) length += s.length;
    const out = new Uint8Array(length);
    let at = 0;
    for (const s of slices) {
      const bytes = this.eventBytes(s.event);
      if (s.start + s.length > bytes.length) {
        throw new JournalFormatError(`message slice ${s.start}+${s.length} runs past the ${bytes.length} bytes of the event at offset ${s.event}`);
      }
      out.set(bytes.subarray(s.start, s.start + s.length), at);
      at += s.length;
    }
    return out;
  }

  private eventBytes(offset: number): Uint8Array {
    if (offset === this.cachedOffset) return this.cachedBytes;
    if (offset < JOURNAL_HEADER_BYTES || offset >= this.fileEnd) throw new JournalFormatError(`message slice points at offset ${offset}, outside the journal`);
    const scanner = new RecordScanner(this.reader, offset, this.fileEnd, true);
    const scanned = scanner.next();
    if (!scanned) throw new JournalFormatError(`message slice points at offset ${offset}, where no whole record is (${scanner.damage ?? 'end of file'})`);
    const record = scanned.record;
    if (record.kind !== 'event' || (record.event.type !== 'data' && record.event.type !== 'datagram')) {
      throw new JournalFormatError(`message slice points at offset ${offset}, which holds no data or datagram event`);
    }
    this.cachedOffset = offset;
    this.cachedBytes = record.event.bytes;
    return this.cachedBytes;
  }
}
