// Splits a byte stream into lines ending in LF, remembering whether each ended in CRLF (the form
// every text protocol of the lab requires: RFC 5321 §2.3.8, RFC 9112 §2.2, RFC 959 §4.1) or in a
// bare LF, which servers accept and dissectors flag. Used by framers and by the engines alike.
//
// The cut for an overlong line is made at a fixed byte count, never "wherever the chunk happened
// to end", so the same stream gives the same pieces however TCP segmented it.
//
// No copy on the common path: a piece that lies within one chunk is handed out as a view of that
// chunk (the capture splits every byte of every stream, and copying them all cost as much as the
// rest of the framing). Only a piece that began in an earlier chunk is assembled into a fresh
// array, from the copy the splitter kept of that chunk's tail.

import { concatBytes, copyBytes } from './bytes';

export interface SplitLine {
  /**
   * The line's bytes including its terminator: a view of the chunk passed to `split` when the line
   * lies within it (valid while the caller leaves that memory alone), else a fresh array.
   */
  bytes: Uint8Array;
  /** Length of the content without CRLF or LF. */
  contentLength: number;
  terminator: 'CRLF' | 'LF';
}

/** One piece of the stream in order: a whole line, or `maxLine` bytes that held no line end. */
export type LinePiece = ({ kind: 'line' } & SplitLine) | { kind: 'overlong'; bytes: Uint8Array };

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;

  /**
   * @param maxLine the most bytes a line may hold, terminator included (e.g. SMTP's 1000 octets,
   *   RFC 5321 §4.5.3.1.6). When that many bytes have come without an LF among them, they are cut
   *   off as an `overlong` piece and splitting goes on with the bytes after them.
   */
  constructor(private readonly maxLine: number) {
    if (!Number.isInteger(maxLine) || maxLine < 1) {
      throw new RangeError(`LineSplitter maxLine must be a positive integer, got ${maxLine}`);
    }
  }

  /** Bytes held waiting for a line end. */
  get buffered(): number {
    return this.pendingLength;
  }

  /**
   * Lines and overlong pieces completed by this chunk, in stream order. Pieces within the chunk are
   * views of it: a caller that reuses the chunk's memory copies what it keeps first. The unfinished
   * tail is copied, so the chunk may be reused once this returns.
   */
  split(chunk: Uint8Array): LinePiece[] {
    const pieces: LinePiece[] = [];
    let start = 0;
    // The next LF at or after `start` (-1: none in the chunk). An overlong cut moves `start` by
    // maxLine without reaching it, so it is searched for once per line, not once per cut.
    let lf = -2;
    while (start < chunk.length) {
      const room = this.maxLine - this.pendingLength;
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (lf !== -1 && lf - start + 1 <= room) {
        const bytes = this.drainWith(chunk.subarray(start, lf + 1));
        const crlf = bytes.length >= 2 && bytes[bytes.length - 2] === CR;
        pieces.push({ kind: 'line', bytes, contentLength: bytes.length - (crlf ? 2 : 1), terminator: crlf ? 'CRLF' : 'LF' });
        start = lf + 1;
      } else if ((lf === -1 ? chunk.length : lf) - start >= room) {
        pieces.push({ kind: 'overlong', bytes: this.drainWith(chunk.subarray(start, start + room)) });
        start += room;
      } else {
        this.pending.push(copyBytes(chunk.subarray(start)));
        this.pendingLength += chunk.length - start;
        start = chunk.length;
      }
    }
    return pieces;
  }

  /**
   * The same split grouped by kind: whole lines in order, and the overlong bytes joined. Use
   * `split` where the order between lines and cut pieces matters (framers do).
   */
  push(chunk: Uint8Array): { lines: SplitLine[]; overlong?: Uint8Array } {
    const lines: SplitLine[] = [];
    const cut: Uint8Array[] = [];
    for (const piece of this.split(chunk)) {
      if (piece.kind === 'line') lines.push({ bytes: piece.bytes, contentLength: piece.contentLength, terminator: piece.terminator });
      else cut.push(piece.bytes);
    }
    return cut.length > 0 ? { lines, overlong: concatBytes(cut) } : { lines };
  }

  /** Removes and returns whatever is buffered (an unterminated line). */
  take(): Uint8Array {
    const out = concatBytes(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    return out;
  }

  /** The buffered bytes followed by `tail`: `tail` itself when nothing is buffered, else a fresh array; the buffer is emptied. */
  private drainWith(tail: Uint8Array): Uint8Array {
    if (this.pendingLength === 0) return tail;
    const out = concatBytes([...this.pending, tail]);
    this.pending = [];
    this.pendingLength = 0;
    return out;
  }
}
