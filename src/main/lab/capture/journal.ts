// The capture journal: an append-only file in the data folder holding every tap event, every framed
// message with its bytes, and every request/response pairing (DESIGN.md §5: nothing lost). The
// record layout is in journal-format.ts; this file owns buffering, the fsync policy, the torn-tail
// repair on reopen, and the message index that lets the UI read history back on demand.
//
// Durability policy, explicitly:
// - append() only copies into a WRITE_BUFFER_BYTES buffer. The buffer is written with fs.writeSync
//   when the next record would not fit, and at the latest FLUSH_INTERVAL_MS after the first
//   buffered record. Once written, a record survives the process being killed (it is in the OS
//   page cache).
// - fsync (surviving power loss) happens at most every `fsyncIntervalMs` (FSYNC_INTERVAL_MS by
//   default) after a write, and always on sync() and close(). fsyncIntervalMs 0 syncs every write.
// - A crash therefore loses at most the last FLUSH_INTERVAL_MS of records, or the last
//   fsyncIntervalMs on power loss; whatever half record it leaves is cut off on the next open.
// - Timers are unref'd: the owner must close() the journal before exiting.
//
// One writer per file: two CaptureJournal instances on the same path would overwrite each other.

import fs from 'node:fs';
import type { MessageSummary } from '../../../shared/capture';
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
  LOGICAL_PREFIX_BYTES,
  RECORD_HEADER_BYTES,
  RecordScanner,
  slicesCrc,
  slicesLength,
  type JournalRecord,
} from './journal-format';

export type { JournalRecord } from './journal-format';
export { JournalFormatError, MAX_RECORD_PAYLOAD_BYTES } from './journal-format';

/** Write buffer size; reaching it writes the buffer out (a few dozen typical chunks per write). */
export const WRITE_BUFFER_BYTES = 64 * 1024;
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

export class JournalClosedError extends Error {
  override name = 'JournalClosedError';
}

export class CaptureJournal {
  private readonly filePath: string;
  private fd: number;
  private readonly fsyncIntervalMs: number;
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private buffered = 0;
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
  private backgroundError: unknown = null;
  private closed = false;
  private readonly reader: FileWindowReader;
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
    }
    this.physicalEnd = this.writtenEnd;
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

  /** Every whole record in the file, in order, stopping quietly at a torn tail (the file is not changed). */
  static *read(path: string): Generator<JournalRecord> {
    const fd = fs.openSync(path, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (readHeaderState(fd, size, path) === 'empty') return;
      const scanner = new RecordScanner(new FileWindowReader(fd, SCAN_WINDOW_BYTES), JOURNAL_HEADER_BYTES, size, true);
      for (let scanned = scanner.next(); scanned; scanned = scanner.next()) yield scanned.record;
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
    return this.writtenEnd + this.buffered;
  }
  /** Bytes cut off the end of the file when it was opened (a torn or damaged tail). */
  get truncatedBytes(): number {
    return this.repairedBytes;
  }
  /** What the open found wrong at the tail, or null when the file was whole. */
  get repair(): string | null {
    return this.repairReason;
  }

  append(record: JournalRecord): void {
    this.checkOpen();
    if (this.backgroundError !== null) this.flush(); // a timer's write failed: retry, or report it here
    if (record.kind === 'message') this.checkNewMessageId(record.message.id);
    if (record.kind === 'answer') this.checkAnswer(record.requestId, record.responseId);
    const encoded = encodeRecord(record);
    const frames = [...framePhysical(encoded)];
    let size = 0;
    for (const f of frames) size += RECORD_HEADER_BYTES + slicesLength(f);
    const offset = this.writtenEnd + this.buffered;
    if (size > WRITE_BUFFER_BYTES - this.buffered) this.writeBuffer();
    if (size <= WRITE_BUFFER_BYTES) {
      // Not written here even when full: a write error now would strand a buffered but unindexed
      // record. The next append or the timer writes it.
      for (const f of frames) this.bufferPhysical(f);
    } else {
      this.writeDirect(frames, size);
    }
    switch (record.kind) {
      case 'event':
        this.events++;
        break;
      case 'message':
        this.indexMessage(record.message.id, offset);
        this.noteAnsweredBy(record.message);
        break;
      case 'answer':
        this.answers[record.requestId] = record.responseId;
        break;
    }
    if (this.buffered > 0 && this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.backgroundFlush(), FLUSH_INTERVAL_MS);
      this.flushTimer.unref();
    }
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
    this.flush();
    const offset = this.offsetOf(id);
    if (offset === 0) return null;
    const scanner = new RecordScanner(this.reader, offset, this.writtenEnd, true);
    const scanned = scanner.next();
    if (!scanned || scanned.record.kind !== 'message' || scanned.record.message.id !== id) {
      throw new JournalFormatError(
        `journal ${this.filePath}: message ${id} at offset ${offset} is damaged (${scanner.damage ?? 'another record is there'})`,
      );
    }
    return { message: this.withAnswer(scanned.record.message), bytes: scanned.record.bytes };
  }

  /** Summaries of the messages with ids fromId .. fromId+count-1 that exist, in id order, answers filled in. */
  listMessages(fromId: number, count: number): MessageSummary[] {
    if (!Number.isSafeInteger(fromId) || !Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`listMessages needs integer fromId and count >= 0, got ${fromId}, ${count}`);
    }
    this.flush();
    const out: MessageSummary[] = [];
    const last = Math.min(this.lastId, fromId + count - 1);
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
      } else if (record.kind === 'message') {
        try {
          this.checkNewMessageId(record.message.id);
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

  /** A message appended with its answer already known counts as an answer record. */
  private noteAnsweredBy(message: MessageSummary): void {
    const by = message.answeredBy;
    if (isMessageId(by) && by <= 0xffff_ffff) this.answers[message.id] = by;
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
    if (prefix[logicalAt] !== KIND_MESSAGE) throw damaged('not a message record');
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
    let record: JournalRecord;
    try {
      record = decodeLogical(head, false);
    } catch (err) {
      throw damaged((err as Error).message);
    }
    if (record.kind !== 'message' || record.message.id !== id) throw damaged('holds another message');
    return record.message;
  }

  // ---- writing ----

  private bufferPhysical(slices: Uint8Array[]): void {
    const length = slicesLength(slices);
    const at = this.buffered;
    this.buffer.writeUInt32LE(length, at);
    this.buffer.writeUInt32LE(slicesCrc(slices), at + 4);
    let p = at + RECORD_HEADER_BYTES;
    for (const s of slices) {
      this.buffer.set(s, p);
      p += s.length;
    }
    this.buffered = p;
  }

  private writeBuffer(): void {
    if (this.buffered === 0) return;
    this.writeAt(this.buffer.subarray(0, this.buffered), this.writtenEnd);
    this.writtenEnd += this.buffered;
    this.buffered = 0;
    this.afterWrite();
  }

  /** A record larger than the write buffer, written straight through (the buffer is empty here). */
  private writeDirect(frames: Uint8Array[][], size: number): void {
    let at = this.writtenEnd;
    const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
    for (const slices of frames) {
      header.writeUInt32LE(slicesLength(slices), 0);
      header.writeUInt32LE(slicesCrc(slices), 4);
      this.writeAt(header, at);
      at += RECORD_HEADER_BYTES;
      for (const s of slices) {
        this.writeAt(s, at);
        at += s.length;
      }
    }
    // Only now is the record part of the journal: a failure above leaves writtenEnd where it was.
    this.writtenEnd += size;
    this.afterWrite();
  }

  private writeAt(bytes: Uint8Array, position: number): void {
    this.reader.invalidate();
    this.physicalEnd = Math.max(this.physicalEnd, position + bytes.length);
    writeAll(this.fd, bytes, position);
  }

  private afterWrite(): void {
    if (this.physicalEnd > this.writtenEnd) {
      // An earlier write failed part way and left bytes past the records; cut them off so a reader
      // never meets them.
      fs.ftruncateSync(this.fd, this.writtenEnd);
      this.physicalEnd = this.writtenEnd;
    }
    this.unsynced = true;
    if (this.fsyncIntervalMs === 0 || Date.now() - this.lastSyncAt >= this.fsyncIntervalMs) {
      this.fsyncNow();
    } else if (this.syncTimer === null && Number.isFinite(this.fsyncIntervalMs)) {
      this.syncTimer = setTimeout(() => this.backgroundSync(), this.lastSyncAt + this.fsyncIntervalMs - Date.now());
      this.syncTimer.unref();
    }
  }

  private fsyncNow(): void {
    if (this.syncTimer !== null) {
      clearTimeout(this.syncTimer);
      this.syncTimer = null;
    }
    if (this.unsynced) fs.fsyncSync(this.fd);
    this.unsynced = false;
    this.lastSyncAt = Date.now();
  }

  private backgroundFlush(): void {
    this.flushTimer = null;
    if (this.closed) return;
    try {
      this.writeBuffer();
    } catch (err) {
      // Kept, not thrown: a timer has no caller. The records stay buffered; the next append,
      // flush, sync or close retries the write and reports the error if it fails again.
      this.backgroundError = err;
    }
  }

  private backgroundSync(): void {
    this.syncTimer = null;
    if (this.closed) return;
    try {
      this.fsyncNow();
    } catch (err) {
      this.backgroundError = err;
    }
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
  if (version !== JOURNAL_VERSION) {
    throw new JournalFormatError(`${path} is a version ${version} journal; this Protolab reads version ${JOURNAL_VERSION}`);
  }
  return 'ok';
}
