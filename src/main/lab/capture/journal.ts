// The capture journal: an append-only file in the data folder holding every tap event, every framed
// message (its bytes inline, or as slices of the events that carried them), and every
// request/response pairing (DESIGN.md §5: nothing lost). The record layout is in
// journal-format.ts; this file owns buffering, the fsync policy, the torn-tail repair on reopen,
// and the message index that lets the UI read history back on demand.
//
// Durability policy, explicitly:
// - append() only copies into a WRITE_BUFFER_BYTES buffer. The buffer is written with fs.writeSync
//   when the next record would not fit, and at the latest FLUSH_INTERVAL_MS after the first
//   buffered record. Once written, a record survives the process being killed (it is in the OS
//   page cache). appendLent() is the same for a caller that lends the raw bytes of large records
//   (DIRECT_WRITE_MIN_BYTES or more): those stay where the caller has them and go to the file in
//   one gathered write with the buffered records around them, as soon as WRITE_BUFFER_BYTES are
//   pending or the caller asks for its bytes back (returnLentBytes).
// - fsync (surviving power loss) happens at most every `fsyncIntervalMs` (FSYNC_INTERVAL_MS by
//   default) after a write, and always on sync() and close(). fsyncIntervalMs 0 syncs every write,
//   before append()/flush() returns; otherwise the periodic fsync runs in the background (libuv's
//   thread pool), so writing goes on while the disk catches up, and sync()/close() wait for it.
//   A failed background fsync is retried after the next write.
// - A crash therefore loses at most the last FLUSH_INTERVAL_MS of records, or the last
//   fsyncIntervalMs on power loss; whatever half record it leaves is cut off on the next open.
// - Timers are unref'd: the owner must close() the journal before exiting.
//
// One writer per file: two CaptureJournal instances on the same path would overwrite each other.

import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { CaptureEvent, MessageSummary } from '../../../shared/capture';
import {
  decodeLogical,
  encodeRecord,
  FileWindowReader,
  FRAGMENT_FIRST_PREFIX_BYTES,
  framePhysical,
  isMessageId,
  JOURNAL_HEADER_BYTES,
  JOURNAL_MAGIC,
  JOURNAL_VERSION,
  JournalFormatError,
  journalHeader,
  KIND_FRAGMENT_FIRST,
  KIND_MESSAGE,
  KIND_MESSAGE_PACKED,
  KIND_MESSAGE_SLICES,
  LOGICAL_PREFIX_BYTES,
  MAX_RECORD_PAYLOAD_BYTES,
  OLDEST_READABLE_VERSION,
  PACKED_EVENT_HEAD_BYTES,
  checkSliceFields,
  packedMessageFlags,
  packedMessageMaxLength,
  RECORD_HEADER_BYTES,
  recordParts,
  RecordScanner,
  SliceReader,
  tailLength,
  writeSlices,
  writePackedEventHead,
  PackedStringsCache,
  writePackedMessage,
  type RecordParts,
  slicesCrc,
  slicesLength,
  type EventSlice,
  type JournalEntry,
  type JournalRecord,
} from './journal-format';

export type { EventSlice, JournalEntry, JournalRecord } from './journal-format';
export { JournalFormatError, MAX_RECORD_PAYLOAD_BYTES } from './journal-format';

/**
 * Write buffer size; reaching it writes the buffer out. A loopback socket reads up to 64 KiB at a
 * time, so this holds a few such chunks per write (and hundreds of typical small ones).
 */
export const WRITE_BUFFER_BYTES = 256 * 1024;
/**
 * Raw bytes from which a lent record's bytes are written from the caller's memory (a gathered
 * write) instead of being copied into the write buffer. Below it, a copy costs less than the extra
 * piece of the write; above it, the copy is what costs (64 KiB reads of a busy stream, every byte).
 */
export const DIRECT_WRITE_MIN_BYTES = 16 * 1024;
/** Longest a buffered record waits before it is written to the file. */
export const FLUSH_INTERVAL_MS = 50;
/** Default upper bound on the time between a write and its fsync. */
export const FSYNC_INTERVAL_MS = 1000;
/** Read size while scanning the whole file on open and in read(). */
export const SCAN_WINDOW_BYTES = 1024 * 1024;
/** Read size for random access (readMessage, listMessages): a page of small records. */
export const READ_WINDOW_BYTES = 64 * 1024;
/**
 * Message ids are 1-based and in capture order, so consecutive ids are the rule. The index is an
 * array by id; this bounds how far one bad id can make it grow.
 */
export const MAX_MESSAGE_ID_GAP = 65_536;
/** Initial index capacity (messages); it doubles as needed. */
const INITIAL_INDEX_CAPACITY = 1024;

export interface CaptureJournalOptions {
  /** Upper bound on write-to-fsync time; 0 fsyncs after every write, Infinity only on sync()/close(). */
  fsyncIntervalMs?: number;
}

interface LentBytes {
  /** Buffer offset the bytes follow. */
  at: number;
  bytes: Uint8Array;
  /** A copy of the journal's own (after a failed write), no longer the caller's memory. */
  owned: boolean;
}

export class JournalClosedError extends Error {
  override name = 'JournalClosedError';
}

export class CaptureJournal {
  private readonly filePath: string;
  private fd: number;
  private readonly fsyncIntervalMs: number;
  /** Each connection's strings, encoded once for all its message records. */
  private readonly packedStrings = new PackedStringsCache();
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private buffered = 0;
  /**
   * Raw bytes of pending records that are not in the buffer: lent by the caller (or copied, once a
   * write of them failed). Each goes to the file right after the buffer bytes before its `at`.
   */
  private lent: LentBytes[] = [];
  private lentBytes = 0;
  /** Entries of `lent` still in the caller's memory. */
  private borrowed = 0;
  /** File offset where the buffered bytes will go: the end of the written records. */
  private writtenEnd: number;
  /** End of anything written to the file, including a record whose write failed part way. */
  private physicalEnd: number;
  /** By message id: file offset of its record (0 = no such message; offset 0 is the file header). */
  private offsets = new Float64Array(INITIAL_INDEX_CAPACITY);
  /** By request message id: the id of the response that answers it (0 = none yet). */
  private answers = new Uint32Array(INITIAL_INDEX_CAPACITY);
  private messages = 0;
  private events = 0;
  private lastId = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private lastSyncAt = Date.now();
  private unsynced = false;
  private syncInFlight = false;
  private backgroundError: unknown = null;
  private closed = false;
  private readonly reader: FileWindowReader;
  /** A window of its own, so reading a message's events does not evict the message record's page. */
  private readonly eventReader: FileWindowReader;
  private readonly slices: SliceReader;
  private readonly repairedBytes: number;
  private readonly repairReason: string | null;

  private constructor(filePath: string, fd: number, options: CaptureJournalOptions) {
    this.filePath = filePath;
    this.fd = fd;
    const interval = options.fsyncIntervalMs ?? FSYNC_INTERVAL_MS;
    if (!(interval >= 0)) throw new RangeError(`fsyncIntervalMs must be 0 or more, got ${interval}`);
    this.fsyncIntervalMs = interval;
    const size = fs.fstatSync(fd).size;
    this.reader = new FileWindowReader(fd, READ_WINDOW_BYTES);
    this.eventReader = new FileWindowReader(fd, READ_WINDOW_BYTES);
    const start = this.checkHeader(size);
    if (start === 0) {
      // New file, or one torn while its header was written: start it over.
      writeAll(fd, journalHeader(), 0);
      fs.ftruncateSync(fd, JOURNAL_HEADER_BYTES);
      fs.fsyncSync(fd);
      this.writtenEnd = JOURNAL_HEADER_BYTES;
      this.repairedBytes = size;
      this.repairReason = size > 0 ? 'file header cut short' : null;
    } else {
      const { validEnd, damage } = this.rebuildIndex(size);
      if (validEnd < size) {
        fs.ftruncateSync(fd, validEnd);
        fs.fsyncSync(fd);
      }
      this.writtenEnd = validEnd;
      this.repairedBytes = size - validEnd;
      this.repairReason = damage;
      // An older version's records are all still valid; the header now says records of this
      // version may follow, so an older reader refuses the file instead of cutting them off.
      if (readVersion(fd) !== JOURNAL_VERSION) writeAll(fd, journalHeader(), 0);
    }
    this.physicalEnd = this.writtenEnd;
    this.slices = new SliceReader(this.eventReader, this.writtenEnd);
  }

  /** Opens the journal at `path`, creating it if needed; a torn or damaged tail is cut off. */
  static open(path: string, options: CaptureJournalOptions = {}): CaptureJournal {
    const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    try {
      return new CaptureJournal(path, fd, options);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /**
   * Every whole record in the file, in order, stopping quietly at a torn tail (the file is not
   * changed). Messages come with their bytes, whether stored inline or as event slices.
   */
  static *read(path: string): Generator<JournalRecord> {
    const fd = fs.openSync(path, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (readHeaderState(fd, size, path) === 'empty') return;
      const scanner = new RecordScanner(new FileWindowReader(fd, SCAN_WINDOW_BYTES), JOURNAL_HEADER_BYTES, size, true);
      const slices = new SliceReader(new FileWindowReader(fd, READ_WINDOW_BYTES), size);
      for (let scanned = scanner.next(); scanned; scanned = scanner.next()) {
        const record = scanned.record;
        if (record.kind !== 'messageSlices') {
          yield record;
          continue;
        }
        let bytes: Uint8Array;
        try {
          bytes = slices.read(record.slices);
        } catch (err) {
          throw new JournalFormatError(`journal ${path}: message ${record.message.id} at offset ${scanned.offset}: ${(err as Error).message}`);
        }
        yield { kind: 'message', message: record.message, bytes };
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  get path(): string {
    return this.filePath;
  }
  get messageCount(): number {
    return this.messages;
  }
  get eventCount(): number {
    return this.events;
  }
  /** Highest message id in the journal (0 when empty): the next message takes a higher one. */
  get lastMessageId(): number {
    return this.lastId;
  }
  /** Size of the journal including records still in the write buffer. */
  get bytesWritten(): number {
    return this.writtenEnd + this.buffered + this.lentBytes;
  }
  /** Whether the journal still holds raw bytes lent with appendLent(), which the caller must leave unchanged. */
  get holdsLentBytes(): boolean {
    return this.borrowed > 0;
  }
  /** Bytes cut off the end of the file when it was opened (a torn or damaged tail). */
  get truncatedBytes(): number {
    return this.repairedBytes;
  }
  /** What the open found wrong at the tail, or null when the file was whole. */
  get repair(): string | null {
    return this.repairReason;
  }

  /**
   * Appends one record; returns its file offset (what an event slice names). A message given as
   * slices must name data or datagram events already appended.
   */
  append(record: JournalEntry): number {
    return this.appendRecord(record, false);
  }

  /**
   * append(), for a caller that lends the record's raw bytes: when there are DIRECT_WRITE_MIN_BYTES
   * or more of them, they are not copied but written from where they are, gathered with the records
   * around them. The caller leaves them unchanged while holdsLentBytes is true.
   */
  appendLent(record: JournalEntry): number {
    return this.appendRecord(record, true);
  }

  /**
   * Writes the pending records if lent bytes are among them, so that holdsLentBytes is false after
   * it. A failed write keeps copies of them for the next try, and is reported by the next append,
   * flush, sync or close.
   */
  returnLentBytes(): void {
    if (this.borrowed === 0 || this.closed) return;
    this.writeKeepingFailure();
  }

  private appendRecord(record: JournalEntry, lend: boolean): number {
    this.checkOpen();
    if (this.backgroundError !== null) this.flush(); // a timer's write failed: retry, or report it here
    const offset = this.writtenEnd + this.buffered + this.lentBytes;
    if (record.kind === 'message' || record.kind === 'messageSlices') this.checkNewMessageId(record.message.id);
    if (record.kind === 'messageSlices') this.checkSlices(record.slices, offset);
    if (record.kind === 'answer') this.checkAnswer(record.requestId, record.responseId);
    const packed = record.kind === 'messageSlices' ? this.bufferPacked(record.message, record.slices) : record.kind === 'event' && this.bufferPackedEvent(record.event, lend);
    if (!packed) this.appendEncoded(record, lend);
    // A buffered record is not written here even when the buffer is full: a write error now would
    // strand a buffered but unindexed record. The next append or the timer writes it.
    switch (record.kind) {
      case 'event':
        this.events++;
        break;
      case 'message':
      case 'messageSlices':
        this.indexMessage(record.message.id, offset);
        this.noteAnsweredBy(record.message);
        break;
      case 'answer':
        this.answers[record.requestId] = record.responseId;
        break;
    }
    // Lent bytes are held no longer than it takes to gather a full write: indexed now, the records
    // can be written (a failure keeps them pending, as the timer's would).
    if (this.borrowed > 0 && this.buffered + this.lentBytes >= WRITE_BUFFER_BYTES) this.writeKeepingFailure();
    if (this.buffered + this.lentBytes > 0 && this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.backgroundFlush(), FLUSH_INTERVAL_MS);
      this.flushTimer.unref();
    }
    return offset;
  }

  /** Writes the buffered records to the file (no fsync unless the fsync interval has passed). */
  flush(): void {
    this.checkOpen();
    this.writeBuffer();
    this.backgroundError = null;
  }

  /** Writes the buffered records and fsyncs the file. */
  sync(): void {
    this.flush();
    this.fsyncNow();
  }

  close(): void {
    if (this.closed) return;
    this.clearTimers();
    try {
      this.writeBuffer();
      this.fsyncNow();
    } finally {
      this.closed = true;
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** A message and its bytes, read back from the file; null when no message has that id. */
  readMessage(id: number): { message: MessageSummary; bytes: Uint8Array } | null {
    this.checkOpen();
    const offset = this.offsetOf(id);
    if (offset === 0) return null;
    // Its record, and the events its slices name (all before it), are on disk or written now.
    this.flushUpTo(offset);
    const scanner = new RecordScanner(this.reader, offset, this.writtenEnd, true);
    const scanned = scanner.next();
    const record = scanned?.record;
    if (!record || (record.kind !== 'message' && record.kind !== 'messageSlices') || record.message.id !== id) {
      throw new JournalFormatError(
        `journal ${this.filePath}: message ${id} at offset ${offset} is damaged (${scanner.damage ?? 'another record is there'})`,
      );
    }
    if (record.kind === 'message') return { message: this.withAnswer(record.message), bytes: record.bytes };
    this.slices.setFileEnd(this.writtenEnd);
    let bytes: Uint8Array;
    try {
      bytes = this.slices.read(record.slices);
    } catch (err) {
      throw new JournalFormatError(`journal ${this.filePath}: message ${id} at offset ${offset}: ${(err as Error).message}`);
    }
    return { message: this.withAnswer(record.message), bytes };
  }

  /** Summaries of the messages with ids fromId .. fromId+count-1 that exist, in id order, answers filled in. */
  listMessages(fromId: number, count: number): MessageSummary[] {
    if (!Number.isSafeInteger(fromId) || !Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`listMessages needs integer fromId and count >= 0, got ${fromId}, ${count}`);
    }
    this.checkOpen();
    const out: MessageSummary[] = [];
    const last = Math.min(this.lastId, fromId + count - 1);
    // A page of history is on disk already and costs no write (a gap at the end of the range: flushed to be sure).
    this.flushUpTo(this.offsetOf(last));
    for (let id = Math.max(1, fromId); id <= last; id++) {
      const offset = this.offsetOf(id);
      if (offset !== 0) out.push(this.withAnswer(this.readSummaryAt(offset, id)));
    }
    return out;
  }

  // ---- open ----

  /** Where records start, or 0 when the header must be (re)written. Throws for a foreign or newer file. */
  private checkHeader(size: number): number {
    return readHeaderState(this.fd, size, this.filePath) === 'empty' ? 0 : JOURNAL_HEADER_BYTES;
  }

  private rebuildIndex(size: number): { validEnd: number; damage: string | null } {
    const scanner = new RecordScanner(new FileWindowReader(this.fd, SCAN_WINDOW_BYTES), JOURNAL_HEADER_BYTES, size, false);
    for (let scanned = scanner.next(); scanned; scanned = scanner.next()) {
      const record = scanned.record;
      if (record.kind === 'event') {
        this.events++;
      } else if (record.kind === 'message' || record.kind === 'messageSlices') {
        try {
          this.checkNewMessageId(record.message.id);
          if (record.kind === 'messageSlices') this.checkSlices(record.slices, scanned.offset);
        } catch (err) {
          return { validEnd: scanned.offset, damage: (err as Error).message };
        }
        this.indexMessage(record.message.id, scanned.offset);
        this.noteAnsweredBy(record.message);
      } else if (this.offsetOf(record.requestId) !== 0) {
        this.answers[record.requestId] = record.responseId;
      }
    }
    return { validEnd: scanner.validEnd, damage: scanner.damage };
  }

  // ---- index ----

  private checkNewMessageId(id: number): void {
    if (!isMessageId(id)) throw new RangeError(`message id must be a positive integer, got ${id}`);
    if (id <= this.lastId) throw new RangeError(`message id ${id} is not after the last id ${this.lastId}`);
    if (id - this.lastId > MAX_MESSAGE_ID_GAP) {
      throw new RangeError(`message id ${id} jumps more than ${MAX_MESSAGE_ID_GAP} past the last id ${this.lastId}`);
    }
  }

  /** Slices name records before the message's own; what they hold is checked when they are read. */
  private checkSlices(slices: readonly EventSlice[], offset: number): void {
    for (const s of slices) {
      if (!(Number.isSafeInteger(s.event) && s.event >= JOURNAL_HEADER_BYTES && s.event < offset)) {
        throw new RangeError(`message slice names offset ${s.event}, which is not a record before the message at ${offset}`);
      }
    }
  }

  private checkAnswer(requestId: number, responseId: number): void {
    if (!isMessageId(requestId) || !isMessageId(responseId) || responseId > 0xffff_ffff) {
      throw new RangeError(`answer needs positive integer ids, got ${requestId} -> ${responseId}`);
    }
    if (this.offsetOf(requestId) === 0) throw new RangeError(`answer for message ${requestId}, which is not in the journal`);
  }

  private indexMessage(id: number, offset: number): void {
    if (id >= this.offsets.length) {
      let capacity = this.offsets.length;
      while (capacity <= id) capacity *= 2;
      const offsets = new Float64Array(capacity);
      offsets.set(this.offsets);
      const answers = new Uint32Array(capacity);
      answers.set(this.answers);
      this.offsets = offsets;
      this.answers = answers;
    }
    this.offsets[id] = offset;
    this.lastId = id;
    this.messages++;
  }

  /**
   * A message appended with its answer already known counts as an answer record, and so does a
   * response naming the request it answers: the recorder writes no separate answer record then.
   */
  private noteAnsweredBy(message: MessageSummary): void {
    const by = message.answeredBy;
    if (isMessageId(by) && by <= 0xffff_ffff) this.answers[message.id] = by;
    const request = message.responseTo;
    if (isMessageId(request) && request < message.id && this.offsetOf(request) !== 0 && message.id <= 0xffff_ffff) {
      this.answers[request] = message.id;
    }
  }

  /** Writes the buffered records when the one at `offset` (0: unknown) is among them, so reading it finds it on disk. */
  private flushUpTo(offset: number): void {
    if (offset === 0 || offset >= this.writtenEnd) this.flush();
  }

  private offsetOf(id: number): number {
    return Number.isSafeInteger(id) && id > 0 && id < this.offsets.length ? this.offsets[id] : 0;
  }

  private withAnswer(message: MessageSummary): MessageSummary {
    const answeredBy = this.answers[message.id];
    return answeredBy ? { ...message, answeredBy } : message;
  }

  /** The summary alone: reads the record's JSON header without its bytes. */
  private readSummaryAt(offset: number, id: number): MessageSummary {
    const damaged = (why: string) => new JournalFormatError(`journal ${this.filePath}: message ${id} at offset ${offset}: ${why}`);
    const prefixBytes = Math.min(
      RECORD_HEADER_BYTES + FRAGMENT_FIRST_PREFIX_BYTES + LOGICAL_PREFIX_BYTES,
      this.writtenEnd - offset,
    );
    const prefix = this.reader.read(offset, prefixBytes);
    if (!prefix || prefixBytes < RECORD_HEADER_BYTES + LOGICAL_PREFIX_BYTES) throw damaged('record cut short');
    const recordLength = prefix.readUInt32LE(0);
    let logicalAt = RECORD_HEADER_BYTES; // where the logical payload starts, relative to offset
    if (prefix[RECORD_HEADER_BYTES] === KIND_FRAGMENT_FIRST) {
      if (prefixBytes < RECORD_HEADER_BYTES + FRAGMENT_FIRST_PREFIX_BYTES + LOGICAL_PREFIX_BYTES) throw damaged('record cut short');
      logicalAt += FRAGMENT_FIRST_PREFIX_BYTES;
    }
    if (prefix[logicalAt] === KIND_MESSAGE_PACKED) {
      // Small (no bytes inline): read and checked whole.
      const packed = new RecordScanner(this.reader, offset, this.writtenEnd, false).next()?.record;
      if (packed?.kind !== 'messageSlices' || packed.message.id !== id) throw damaged('not the message record it should be');
      return packed.message;
    }
    if (prefix[logicalAt] !== KIND_MESSAGE && prefix[logicalAt] !== KIND_MESSAGE_SLICES) throw damaged('not a message record');
    const jsonLength = prefix.readUInt32LE(logicalAt + 1);
    const jsonAt = logicalAt + LOGICAL_PREFIX_BYTES;
    if (jsonAt + jsonLength > RECORD_HEADER_BYTES + recordLength) {
      // A JSON header spilling into a second fragment: rare enough to read the whole record.
      const whole = this.readMessage(id);
      if (!whole) throw damaged('missing');
      return whole.message;
    }
    const json = this.reader.read(offset + jsonAt, jsonLength);
    if (!json) throw damaged('JSON header cut short');
    const head = Buffer.alloc(LOGICAL_PREFIX_BYTES + jsonLength);
    head[0] = KIND_MESSAGE;
    head.writeUInt32LE(jsonLength, 1);
    json.copy(head, LOGICAL_PREFIX_BYTES);
    let record: JournalEntry;
    try {
      record = decodeLogical(head, false);
    } catch (err) {
      throw damaged((err as Error).message);
    }
    if (record.kind !== 'message' || record.message.id !== id) throw damaged('holds another message');
    return record.message;
  }

  // ---- writing ----

  /** A record in its JSON form: buffered (its bytes perhaps lent), or written at once, in fragments if need be. */
  private appendEncoded(record: JournalEntry, lend: boolean): void {
    const parts = recordParts(record);
    const jsonLength = Buffer.byteLength(parts.json);
    const payloadLength = LOGICAL_PREFIX_BYTES + jsonLength + tailLength(parts);
    const headLength = RECORD_HEADER_BYTES + LOGICAL_PREFIX_BYTES + jsonLength;
    if (lend && !parts.slices && parts.bytes.length >= DIRECT_WRITE_MIN_BYTES && payloadLength <= MAX_RECORD_PAYLOAD_BYTES && headLength <= WRITE_BUFFER_BYTES) {
      this.bufferLent(parts, jsonLength, payloadLength);
    } else if (RECORD_HEADER_BYTES + payloadLength <= WRITE_BUFFER_BYTES) {
      // The rule: encoded straight into the write buffer.
      this.bufferRecord(parts, jsonLength, this.reserve(RECORD_HEADER_BYTES + payloadLength));
    } else if (payloadLength <= MAX_RECORD_PAYLOAD_BYTES) {
      const encoded = encodeRecord(record);
      this.writeBuffer();
      this.writeDirect([[encoded.head, encoded.bytes]], RECORD_HEADER_BYTES + encoded.length);
    } else {
      const frames = [...framePhysical(encodeRecord(record))];
      let size = 0;
      for (const f of frames) size += RECORD_HEADER_BYTES + slicesLength(f);
      this.writeBuffer();
      this.writeDirect(frames, size);
    }
  }

  /**
   * A message stored as slices, in the packed form, into the write buffer. False (nothing done)
   * when the packed form cannot hold the summary, or when even its largest possible encoding would
   * not fit an empty buffer: it goes as JSON then.
   */
  private bufferPacked(message: MessageSummary, slices: readonly EventSlice[]): boolean {
    const flags = packedMessageFlags(message);
    if (flags < 0) return false;
    checkSliceFields(slices);
    const payload = this.reserve(RECORD_HEADER_BYTES + packedMessageMaxLength(message, slices));
    if (payload < 0) return false;
    this.seal(payload, writePackedMessage(message, flags, slices, this.buffer, payload, this.packedStrings));
    return true;
  }

  /**
   * A data or datagram event in the packed form, into the write buffer. False (nothing done) for
   * other events, bytes the caller lends (DIRECT_WRITE_MIN_BYTES or more: they go in the JSON form,
   * written from where they are), and bytes too many for the buffer.
   */
  private bufferPackedEvent(event: CaptureEvent, lend: boolean): boolean {
    if ((event.type !== 'data' && event.type !== 'datagram') || !(event.bytes instanceof Uint8Array)) return false;
    if (lend && event.bytes.length >= DIRECT_WRITE_MIN_BYTES) return false;
    const payload = this.reserve(RECORD_HEADER_BYTES + PACKED_EVENT_HEAD_BYTES + event.bytes.length);
    if (payload < 0) return false;
    const bytesAt = writePackedEventHead(event, this.buffer, payload);
    this.buffer.set(event.bytes, bytesAt);
    this.seal(payload, bytesAt + event.bytes.length);
    return true;
  }

  /**
   * Room for a record of at most `room` bytes in the write buffer (written out first if need be):
   * where its payload goes, or -1 when it could not fit even an empty buffer.
   */
  private reserve(room: number): number {
    if (room > WRITE_BUFFER_BYTES) return -1;
    if (room > WRITE_BUFFER_BYTES - this.buffered) this.writeBuffer();
    return this.buffered + RECORD_HEADER_BYTES;
  }

  /** Puts the length and CRC in front of the payload written at `payload` up to `end`, and counts it buffered. */
  private seal(payload: number, end: number): void {
    const at = payload - RECORD_HEADER_BYTES;
    this.buffer.writeUInt32LE(end - payload, at);
    this.buffer.writeUInt32LE(crc32(this.buffer.subarray(payload, end)), at + 4);
    this.buffered = end;
  }

  /**
   * A record whose raw bytes the caller lent: its header goes into the buffer, its bytes stay
   * where they are until the buffer is written, together with them. The CRC runs over the head,
   * then over the bytes in place, once.
   */
  private bufferLent(parts: RecordParts, jsonLength: number, payloadLength: number): void {
    if (RECORD_HEADER_BYTES + LOGICAL_PREFIX_BYTES + jsonLength > WRITE_BUFFER_BYTES - this.buffered) this.writeBuffer();
    const b = this.buffer;
    const at = this.buffered;
    const payload = at + RECORD_HEADER_BYTES;
    b[payload] = parts.kind;
    b.writeUInt32LE(jsonLength, payload + 1);
    const headEnd = payload + LOGICAL_PREFIX_BYTES + b.write(parts.json, payload + LOGICAL_PREFIX_BYTES, jsonLength, 'utf8');
    b.writeUInt32LE(payloadLength, at);
    b.writeUInt32LE(crc32(parts.bytes, crc32(b.subarray(payload, headEnd))), at + 4);
    this.buffered = headEnd;
    this.lent.push({ at: headEnd, bytes: parts.bytes, owned: false });
    this.lentBytes += parts.bytes.length;
    this.borrowed++;
  }

  /** One whole record into the write buffer, its payload at `payload` (room made by reserve()). */
  private bufferRecord(parts: RecordParts, jsonLength: number, payload: number): void {
    const b = this.buffer;
    b[payload] = parts.kind;
    b.writeUInt32LE(jsonLength, payload + 1);
    let p = payload + LOGICAL_PREFIX_BYTES;
    p += b.write(parts.json, p, jsonLength, 'utf8');
    if (parts.slices) {
      p = writeSlices(parts.slices, b, p);
    } else {
      b.set(parts.bytes, p);
      p += parts.bytes.length;
    }
    this.seal(payload, p);
  }

  private writeBuffer(): void {
    if (this.lent.length > 0) {
      this.writeGathered();
      return;
    }
    if (this.buffered === 0) return;
    this.writeAt(this.buffer.subarray(0, this.buffered), this.writtenEnd);
    this.writtenEnd += this.buffered;
    this.buffered = 0;
    this.afterWrite();
  }

  /** The buffer with the lent bytes between its records, in one gathered write. */
  private writeGathered(): void {
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const l of this.lent) {
      if (l.at > from) pieces.push(this.buffer.subarray(from, l.at));
      pieces.push(l.bytes);
      from = l.at;
    }
    if (this.buffered > from) pieces.push(this.buffer.subarray(from, this.buffered));
    const size = this.buffered + this.lentBytes;
    this.invalidateReaders();
    this.physicalEnd = Math.max(this.physicalEnd, this.writtenEnd + size);
    try {
      writevAll(this.fd, pieces, this.writtenEnd);
    } catch (err) {
      // The records stay pending for the next try, but the caller may take its memory back now.
      for (const l of this.lent) {
        if (!l.owned) l.bytes = new Uint8Array(l.bytes);
        l.owned = true;
      }
      this.borrowed = 0;
      throw err;
    }
    this.writtenEnd += size;
    this.buffered = 0;
    this.lent = [];
    this.lentBytes = 0;
    this.borrowed = 0;
    this.afterWrite();
  }

  /** Writes what is pending; a failure is kept for the next caller to retry and report, as the timer's is. */
  private writeKeepingFailure(): void {
    try {
      this.writeBuffer();
    } catch (err) {
      this.backgroundError = err;
    }
  }

  /** A record larger than the write buffer, written straight through in one gathered write (the buffer is empty here). */
  private writeDirect(frames: Uint8Array[][], size: number): void {
    const pieces: Uint8Array[] = [];
    for (const slices of frames) {
      const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
      header.writeUInt32LE(slicesLength(slices), 0);
      header.writeUInt32LE(slicesCrc(slices), 4);
      pieces.push(header, ...slices);
    }
    this.invalidateReaders();
    this.physicalEnd = Math.max(this.physicalEnd, this.writtenEnd + size);
    writevAll(this.fd, pieces, this.writtenEnd);
    // Only now is the record part of the journal: a failure above leaves writtenEnd where it was.
    this.writtenEnd += size;
    this.afterWrite();
  }

  private writeAt(bytes: Uint8Array, position: number): void {
    this.invalidateReaders();
    this.physicalEnd = Math.max(this.physicalEnd, position + bytes.length);
    writeAll(this.fd, bytes, position);
  }

  private invalidateReaders(): void {
    this.reader.invalidate();
    this.eventReader.invalidate();
  }

  private afterWrite(): void {
    if (this.physicalEnd > this.writtenEnd) {
      // An earlier write failed part way and left bytes past the records; cut them off so a reader
      // never meets them.
      fs.ftruncateSync(this.fd, this.writtenEnd);
      this.physicalEnd = this.writtenEnd;
    }
    this.unsynced = true;
    if (this.fsyncIntervalMs === 0) this.fsyncNow();
    else if (Date.now() - this.lastSyncAt >= this.fsyncIntervalMs) this.backgroundSync();
    else this.scheduleSync();
  }

  private scheduleSync(): void {
    if (this.syncTimer !== null || !Number.isFinite(this.fsyncIntervalMs)) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.backgroundSync();
    }, Math.max(0, this.lastSyncAt + this.fsyncIntervalMs - Date.now()));
    this.syncTimer.unref();
  }

  /** Everything written so far reaches the disk before this returns (a background fsync in flight included). */
  private fsyncNow(): void {
    if (this.syncTimer !== null) {
      clearTimeout(this.syncTimer);
      this.syncTimer = null;
    }
    if (this.unsynced || this.syncInFlight) fs.fsyncSync(this.fd);
    this.unsynced = false;
    this.lastSyncAt = Date.now();
  }

  /** An fsync in the thread pool; one at a time, and another later if writes came meanwhile. */
  private backgroundSync(): void {
    if (this.closed || !this.unsynced || this.syncInFlight) return;
    this.syncInFlight = true;
    this.unsynced = false;
    this.lastSyncAt = Date.now();
    fs.fsync(this.fd, (err) => {
      this.syncInFlight = false;
      if (this.closed) return; // close() synced by itself
      if (err) {
        this.unsynced = true;
        this.backgroundError = err;
      }
      if (this.unsynced) this.scheduleSync();
    });
  }

  private backgroundFlush(): void {
    this.flushTimer = null;
    if (this.closed) return;
    // Kept, not thrown: a timer has no caller. The records stay buffered; the next append, flush,
    // sync or close retries the write and reports the error if it fails again.
    this.writeKeepingFailure();
  }


  private clearTimers(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    this.flushTimer = null;
    this.syncTimer = null;
  }

  private checkOpen(): void {
    if (this.closed) throw new JournalClosedError(`journal ${this.filePath} is closed`);
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Writes the pieces back to back from `position`; a short gathered write is finished piece by piece. */
function writevAll(fd: number, pieces: Uint8Array[], position: number): void {
  let written = fs.writevSync(fd, pieces, position);
  let at = position;
  for (const p of pieces) {
    if (written >= p.length) {
      written -= p.length;
    } else {
      writeAll(fd, p.subarray(written), at + written);
      written = 0;
    }
    at += p.length;
  }
}

function readVersion(fd: number): number {
  const header = Buffer.alloc(JOURNAL_HEADER_BYTES);
  fs.readSync(fd, header, 0, JOURNAL_HEADER_BYTES, 0);
  return header.readUInt32LE(JOURNAL_MAGIC.length);
}

/**
 * 'empty' when the file holds no header yet or only the start of one (torn while being created);
 * 'ok' when the header is ours. A file that is not a journal, or a newer version, is an error: it
 * must not be truncated.
 */
function readHeaderState(fd: number, size: number, path: string): 'empty' | 'ok' {
  const expected = journalHeader();
  const length = Math.min(size, JOURNAL_HEADER_BYTES);
  const got = Buffer.alloc(length);
  if (length > 0) fs.readSync(fd, got, 0, length, 0);
  if (size < JOURNAL_HEADER_BYTES) {
    if (got.equals(expected.subarray(0, length))) return 'empty';
    throw new JournalFormatError(`${path} is not a Protolab capture journal (no ${JOURNAL_MAGIC} header)`);
  }
  if (got.toString('latin1', 0, JOURNAL_MAGIC.length) !== JOURNAL_MAGIC) {
    throw new JournalFormatError(`${path} is not a Protolab capture journal (no ${JOURNAL_MAGIC} header)`);
  }
  const version = got.readUInt32LE(JOURNAL_MAGIC.length);
  if (version < OLDEST_READABLE_VERSION || version > JOURNAL_VERSION) {
    throw new JournalFormatError(`${path} is a version ${version} journal; this Protolab reads version ${JOURNAL_VERSION}`);
  }
  return 'ok';
}
