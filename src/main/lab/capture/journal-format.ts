// On-disk format of the capture journal (DESIGN.md §5), kept apart from the journal's buffering and
// indexing so the layout is in one place.
//
//   file    = header record*
//   header  = "PLJOURNL" (8 bytes ASCII) | u32 LE format version
//   record  = u32 LE payload length | u32 LE CRC-32 (ISO-HDLC, as zlib) of payload | payload
//   payload = kind u8 | u32 LE JSON length | JSON header (UTF-8) | raw bytes
//
// The JSON header holds everything but the bytes (an event without `bytes`, a message summary,
// an answer pair); the bytes follow raw, never base64. A logical payload longer than
// MAX_RECORD_PAYLOAD_BYTES is stored as a run of fragment records:
//
//   first fragment payload = KIND_FRAGMENT_FIRST | u32 LE logical payload length | first piece
//   next fragment payload  = KIND_FRAGMENT_NEXT | next piece
//
// and is whole only when every piece is there; a run cut short is a torn tail like any other.

import fs from 'node:fs';
import zlib from 'node:zlib';
import type { CaptureEvent, MessageSummary } from '../../../shared/capture';

export type JournalRecord =
  | { kind: 'event'; event: CaptureEvent }
  | { kind: 'message'; message: MessageSummary; bytes: Uint8Array }
  | { kind: 'answer'; requestId: number; responseId: number };

export const JOURNAL_MAGIC = 'PLJOURNL';
export const JOURNAL_VERSION = 1;
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
export const KIND_FRAGMENT_FIRST = 0x81;
export const KIND_FRAGMENT_NEXT = 0x82;

/** kind byte + u32 JSON length in front of every logical payload. */
export const LOGICAL_PREFIX_BYTES = 5;
/** kind byte + u32 logical length in front of the first fragment's piece. */
export const FRAGMENT_FIRST_PREFIX_BYTES = 5;
export const FRAGMENT_NEXT_PREFIX_BYTES = 1;

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

export function encodeRecord(record: JournalRecord): EncodedRecord {
  let kind: number;
  let header: unknown;
  let bytes: Uint8Array = EMPTY;
  switch (record.kind) {
    case 'event': {
      kind = KIND_EVENT;
      const event = record.event;
      if (event.type === 'data' || event.type === 'datagram') {
        const { bytes: eventBytes, ...rest } = event;
        if (!(eventBytes instanceof Uint8Array)) throw new TypeError(`${event.type} event ${event.seq} has no bytes`);
        header = rest;
        bytes = eventBytes;
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
    case 'answer':
      kind = KIND_ANSWER;
      header = { requestId: record.requestId, responseId: record.responseId };
      break;
    default:
      throw new TypeError(`unknown journal record kind: ${JSON.stringify((record as { kind?: unknown }).kind)}`);
  }
  const json = JSON.stringify(header);
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
export function decodeLogical(payload: Uint8Array, copyBytes = true): JournalRecord {
  if (payload.length < LOGICAL_PREFIX_BYTES) throw new JournalFormatError('record shorter than its prefix');
  const view = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
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
  record: JournalRecord;
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
    let record: JournalRecord;
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
