// A growable byte buffer read from the front, for the incremental parsers. Appends are amortized
// O(1), consumed bytes are dropped by moving the read position, and the LF search remembers how
// far it already looked, so a message fed one byte at a time is still parsed in linear time.
// A mark keeps consumed bytes from a point on (a message's head, line by line), so they can be
// taken at the end as one copy, or as one view, instead of one copy per line joined again.

import { bytesToLatin1, concatBytes } from '../core/bytes';

const LF = 0x0a;
const CR = 0x0d;
const INITIAL_CAPACITY = 1024;
/**
 * Bytes line() scans itself before it hands the search to indexOf. Most head lines are shorter
 * (the server's longest usual one, Last-Modified, is 46): framing a keep-alive GET and its
 * response took 2.5 µs with 64 here, 3.0 µs with 24 (bench/framer-cpu.ts).
 */
const SHORT_SCAN_BYTES = 64;

export interface QueuedLine {
  /** Bytes before the terminator. */
  contentLength: number;
  /** 2 for CRLF, 1 for a bare LF. */
  terminatorLength: 1 | 2;
}

/**
 * The last text read through it. A connection repeats its lines (a keep-alive client's request
 * line, a server's status line and Content-Type): comparing the bytes with the text's characters
 * (latin1: one character per byte) costs less than decoding them again, and a miss costs only the
 * comparison up to the first difference.
 */
export class TextMemo {
  text = '';
}

/** Texts longer than this are decoded, not remembered: a long line gains nothing from a memo, and would stay in memory with it. */
export const TEXT_MEMO_MAX_CHARS = 256;

export class ByteQueue {
  private data = new Uint8Array(INITIAL_CAPACITY);
  private start = 0;
  private end = 0;
  /** Bytes from `start` already known to hold no LF. */
  private scanned = 0;
  /** Where the mark is (an index into `data`), or -1: bytes from there on are kept when consumed. */
  private markAt = -1;
  /** `data` up to `end`, for the LF search; made again only when `data` or `end` changed. */
  private searchView: Uint8Array = this.data.subarray(0, 0);

  get length(): number {
    return this.end - this.start;
  }

  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.end + bytes.length > this.data.length) {
      const keepFrom = this.markAt >= 0 ? this.markAt : this.start;
      const needed = this.end - keepFrom + bytes.length;
      if (needed <= this.data.length / 2) {
        this.data.copyWithin(0, keepFrom, this.end);
      } else {
        let capacity = this.data.length;
        while (capacity < needed * 2) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(this.data.subarray(keepFrom, this.end));
        this.data = grown;
      }
      this.end -= keepFrom;
      this.start -= keepFrom;
      if (this.markAt >= 0) this.markAt = 0;
    }
    this.data.set(bytes, this.end);
    this.end += bytes.length;
  }

  byteAt(i: number): number {
    return this.data[this.start + i];
  }

  /** Removes and returns (as a copy) the first `n` bytes. */
  take(n: number): Uint8Array {
    const k = Math.min(n, this.length);
    const out = this.data.slice(this.start, this.start + k);
    this.skip(k);
    return out;
  }

  skip(n: number): void {
    const k = Math.min(n, this.length);
    this.start += k;
    this.scanned = Math.max(0, this.scanned - k);
    if (this.start === this.end && this.markAt < 0) {
      this.start = 0;
      this.end = 0;
      this.scanned = 0;
    }
  }

  /**
   * Bytes `[from, end)` from the front as latin1 text (one character per byte), left in the queue.
   * With a memo, bytes spelling its text give that text again without decoding.
   */
  text(end: number, from = 0, memo?: TextMemo): string {
    const to = Math.min(end, this.length);
    if (to <= from) return '';
    const s = this.start + from;
    const e = this.start + to;
    if (!memo || e - s > TEXT_MEMO_MAX_CHARS) return bytesToLatin1(this.data, s, e);
    const known = memo.text;
    if (known.length === e - s) {
      let i = 0;
      while (i < known.length && known.charCodeAt(i) === this.data[s + i]) i++;
      if (i === known.length) return known;
    }
    memo.text = bytesToLatin1(this.data, s, e);
    return memo.text;
  }

  /** Keeps every byte consumed from here on until `takeMarked`. */
  mark(): void {
    this.markAt = this.start;
  }

  get marked(): boolean {
    return this.markAt >= 0;
  }

  /** Bytes consumed since the mark (0 without one). */
  get markedLength(): number {
    return this.markAt >= 0 ? this.start - this.markAt : 0;
  }

  /** A copy of the bytes consumed since `mark`; the mark is gone. */
  takeMarked(): Uint8Array {
    return this.takeMarkedView().slice();
  }

  /**
   * The bytes consumed since `mark`, as a view of the queue's memory (no copy): valid until the
   * next append, which may move or overwrite them. The mark is gone.
   */
  takeMarkedView(): Uint8Array {
    if (this.markAt < 0) return new Uint8Array(0);
    const out = this.data.subarray(this.markAt, this.start);
    this.markAt = -1;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      this.scanned = 0;
    }
    return out;
  }

  /** The first line if its LF has arrived, else null. */
  line(): QueuedLine | null {
    const from = this.start + this.scanned;
    const lf = this.findLf(from);
    if (lf === -1) {
      this.scanned = this.length;
      return null;
    }
    const crlf = lf > this.start && this.data[lf - 1] === CR;
    const contentLength = lf - this.start - (crlf ? 1 : 0);
    return { contentLength, terminatorLength: crlf ? 2 : 1 };
  }

  /** Index of the first LF in `data` from `from` up to `end`, or -1. */
  private findLf(from: number): number {
    // A head's lines are short: a loop finds their end sooner than a call into indexOf would.
    const near = Math.min(this.end, from + SHORT_SCAN_BYTES);
    const data = this.data;
    for (let i = from; i < near; i++) if (data[i] === LF) return i;
    if (near === this.end) return -1;
    // Bytes past `end` are stale, so the search stops there.
    if (this.searchView.buffer !== data.buffer || this.searchView.length !== this.end) this.searchView = data.subarray(0, this.end);
    return this.searchView.indexOf(LF, near);
  }

  /**
   * Bytes of an unterminated first line that already count as content: everything buffered except
   * a final CR, which may yet turn out to be the start of CRLF.
   */
  partialContentLength(): number {
    const n = this.length;
    return n > 0 && this.data[this.end - 1] === CR ? n - 1 : n;
  }

  /** Everything buffered, removed. */
  drain(): Uint8Array {
    return this.take(this.length);
  }
}

export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : concatBytes(parts);
}
