// HTTP framing for the capture: requests client -> server and responses server -> client as whole
// messages (head and body, chunked bodies included), the way Wireshark reassembles them. Unlike
// the server's parser it never refuses anything: malformed bytes still become messages, so
// nothing captured is lost and the dissector can say what is wrong with them.
//
// A response's length depends on the request it answers (HEAD gets no body, an HTTP/0.9 request
// gets a bare page until close), and the framer sees both directions in capture order, so it
// remembers each request's method until its final response arrives.

import type { Direction, MessageRole } from '../../shared/capture';
import type { FramedMessage, FramerContext, StreamFramer } from '../core/framing';
import { DatagramFramer } from '../core/line-framer';
import { previewText, summarizeBytes } from '../core/summary';
import { concatBytes } from '../core/bytes';
import { ByteQueue, TextMemo } from './byte-queue';
import { parseMediaType } from './media-type';
import { codingsOf, fieldValueAt, parseChunkSizeLine, parseContentLength, parseRequestLine, parseStatusLine } from './syntax';

/**
 * Most bytes of one message head the framer gathers before it gives up on finding the blank
 * line and cuts the message there. The server refuses heads past its request-line and header
 * limits (40 KiB in all); the framer keeps a little more so the offending message is shown whole.
 */
export const HTTP_CAPTURE_MAX_HEAD = 64 * 1024;

/** Longest chunk-size line the framer reads before treating the body as malformed and ending it. */
export const HTTP_CAPTURE_MAX_CHUNK_LINE = 4 * 1024;

/** Characters of a start line a packet-list summary shows: request lines are often long. */
export const HTTP_SUMMARY_MAX_CHARS = 120;

/**
 * A message's bytes stay in the lane's queue until it ends, and are handed out as one view of it.
 * Past this many, the bytes so far are copied out as one piece, so that a long body (a download
 * read until the close, a tunnel) does not make the queue grow with it.
 */
export const HTTP_CAPTURE_SPILL_BYTES = 64 * 1024;

/** Requests remembered for pairing with their responses; beyond that the oldest is forgotten. */
export const HTTP_CAPTURE_MAX_PENDING_REQUESTS = 1000;

const ROLES: Readonly<Record<Direction, MessageRole>> = { c2s: 'request', s2c: 'response' };

const NO_CODINGS: readonly string[] = [];

/**
 * The usual request line: a token, one space, a target starting with "/" with no control, space
 * or non-ASCII byte, one space, HTTP/1.0 or 1.1. Three words, so whether parseRequestLine takes it
 * (it refuses CONNECT with a path) or not, the framer's method is the first word and the request
 * is not simple: the text before the first space. Any other line goes through parseRequestLine.
 */
export const USUAL_REQUEST_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ \/[\x21-\x7e]* HTTP\/1\.[01]$/;

/** A status line parseStatusLine takes as valid, with a code from 100 to 599 in characters 9-11. */
export const USUAL_STATUS_LINE = /^HTTP\/1\.[01] [1-5]\d\d(?: [^\r\n]*)?$/;

/** Text previewText shows as it is: printable ASCII only. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

interface PendingRequest {
  method: string;
  simple: boolean;
}

/** What the two directions of one connection share. */
interface ConnectionTrack {
  /** Requests framed whose final response has not been seen, oldest first. */
  requests: PendingRequest[];
  /** A 101 or a CONNECT tunnel ended HTTP on this connection. */
  switched: boolean;
}

type LanePhase = 'start' | 'fields' | 'body-length' | 'chunk-size' | 'chunk-data' | 'chunk-data-end' | 'trailers' | 'until-close' | 'tunnel';

const HTTP_PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"

/**
 * The only fields the framer reads: how the body is framed, and the type for the summary. Other
 * field lines are skipped without being decoded (a response has ten or so, for every message
 * captured); a line whose name is none of these could never have changed the result. The
 * constants below are their indexes.
 */
const FRAMING_FIELDS = ['content-length', 'content-type', 'transfer-encoding'] as const;
const CONTENT_LENGTH = 0;
const CONTENT_TYPE = 1;
const TRANSFER_ENCODING = 2;

/**
 * Which of FRAMING_FIELDS the field line at the front of `queue` is ("name:" at its start, the
 * name in any case), or -1. A field name has no white space before its colon (RFC 9112 §5.1), so
 * a line this does not take is one parseFieldLine would not have given any of these names.
 */
function framingFieldAt(queue: ByteQueue, contentLength: number): number {
  // Every name starts with c or t: most lines are passed over at their first byte.
  const first = queue.byteAt(0) | 0x20;
  if (first !== 0x63 && first !== 0x74) return -1;
  for (let f = 0; f < FRAMING_FIELDS.length; f++) {
    const name = FRAMING_FIELDS[f];
    if (contentLength > name.length && queue.byteAt(name.length) === 0x3a /* : */ && startsWithName(queue, name)) return f;
  }
  return -1;
}

/** ASCII case-insensitive: a letter matches either case, any other byte only itself (names are tokens). */
function startsWithName(queue: ByteQueue, lowerName: string): boolean {
  for (let i = 0; i < lowerName.length; i++) {
    const want = lowerName.charCodeAt(i);
    const b = queue.byteAt(i);
    const isLetter = want >= 0x61 && want <= 0x7a;
    if (isLetter ? (b | 0x20) !== want : b !== want) return false;
  }
  return true;
}

/** A framing field's value as parseFieldLine takes it, or null for a line it refuses (a CR or a NUL in the value). */
function validValue(raw: string): string | null {
  const v = fieldValueAt(raw, 0);
  return v.bad < 0 ? v.value : null;
}

/** The characters of a latin1 string as bytes (each code unit cut to 8 bits, as `new Uint8Array(array)` does). */
function charCodes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

class HttpLane {
  /** The bytes of the message being framed stay in the queue (marked) and are taken at once when it ends. */
  private readonly queue = new ByteQueue();
  private phase: LanePhase = 'start';
  /** Bytes of the message taken out of the queue already (see HTTP_CAPTURE_SPILL_BYTES). */
  private spilled: Uint8Array[] = [];
  private size = 0;
  /** Received-byte offsets where each pushed chunk began, with its time. */
  private readonly chunkTimes: Array<{ at: number; t: number }> = [];
  private received = 0;
  private consumed = 0;
  private messageStart = 0;
  private startLine: string | null = null;
  /** The last start line and the last value of each framing field, to be read again without decoding. */
  private readonly startMemo = new TextMemo();
  private readonly fieldMemos = FRAMING_FIELDS.map(() => new TextMemo());
  /** The head's framing fields, by value, in order (FRAMING_FIELDS). */
  private contentLengths: string[] = [];
  private transferEncodings: string[] = [];
  private contentType: string | undefined;
  private remaining = 0;
  /** Where the trailer section began (a count of the message's bytes), in the trailers phase. */
  private trailersFrom = 0;
  private status = 0;
  private bodyBytes = 0;
  private role: MessageRole;
  private note: string | null = null;
  private answers: PendingRequest | null = null;
  private lastContentType: string | null = null;
  private lastSummary: { startLine: string; type: string | undefined; partial: boolean; text: string } | null = null;
  private lastEssence: string | undefined;

  constructor(
    private readonly dir: Direction,
    private readonly track: ConnectionTrack,
  ) {
    this.role = ROLES[dir];
  }

  private get requests(): PendingRequest[] {
    return this.track.requests;
  }

  push(bytes: Uint8Array, t: number): FramedMessage[] {
    if (bytes.length === 0) return [];
    // Chunks that arrive at the same time need no entry of their own.
    if (this.chunkTimes.length === 0 || this.chunkTimes[this.chunkTimes.length - 1].t !== t) this.chunkTimes.push({ at: this.received, t });
    this.received += bytes.length;
    this.queue.append(bytes);
    const out: FramedMessage[] = [];
    while (this.step(out)) {
      /* keep going while bytes are consumed */
    }
    return out;
  }

  end(): FramedMessage[] {
    const out: FramedMessage[] = [];
    if (this.queue.length > 0) this.consume(this.queue.length);
    if (this.size === 0) return out;
    const closeEnds = this.phase === 'until-close' || this.phase === 'tunnel';
    out.push(this.finish(!closeEnds));
    return out;
  }

  private timeOf(offset: number): number {
    let t = this.chunkTimes[0]?.t ?? 0;
    for (const c of this.chunkTimes) {
      if (c.at > offset) break;
      t = c.t;
    }
    return t;
  }

  /** Adds the next `n` bytes to the message; returns how many there were. */
  private consume(n: number): number {
    const k = Math.min(n, this.queue.length);
    if (k === 0) return 0;
    if (this.size === 0) {
      this.messageStart = this.consumed;
      this.queue.mark();
    }
    this.queue.skip(k);
    this.size += k;
    this.consumed += k;
    if (this.queue.markedLength >= HTTP_CAPTURE_SPILL_BYTES) {
      this.spilled.push(this.queue.takeMarked());
      this.queue.mark();
    }
    return k;
  }

  private finish(partial = false): FramedMessage {
    // A view, valid until the next push (FramedMessage.bytes): the capture only reads it at once.
    const rest = this.queue.takeMarkedView();
    const bytes = this.spilled.length === 0 ? rest : concatBytes([...this.spilled, rest]);
    this.spilled = [];
    const t = this.timeOf(this.messageStart);
    const msg: FramedMessage = { dir: this.dir, role: this.role, t, bytes, summary: this.summary(bytes, partial) };
    if (partial) msg.partial = true;
    // Forget chunk times that only earlier messages needed.
    while (this.chunkTimes.length > 1 && this.chunkTimes[1].at <= this.consumed) this.chunkTimes.shift();
    this.size = 0;
    this.startLine = null;
    if (this.contentLengths.length > 0) this.contentLengths = [];
    if (this.transferEncodings.length > 0) this.transferEncodings = [];
    this.contentType = undefined;
    this.bodyBytes = 0;
    this.status = 0;
    this.note = null;
    this.role = ROLES[this.dir];
    this.answers = null;
    if (this.phase !== 'tunnel') this.phase = 'start';
    return msg;
  }

  private summary(bytes: Uint8Array, partial: boolean): string {
    const suffix = partial ? ' (incomplete)' : '';
    if (this.note !== null) return `${this.note}: ${summarizeBytes(bytes, partial ? 'incomplete' : undefined)}`;
    if (this.startLine === null) return summarizeBytes(bytes, partial ? 'incomplete' : undefined);
    const simple = this.answers?.simple === true && this.dir === 'c2s';
    const type = this.bodyBytes > 0 && !simple ? this.essenceOf(this.contentType ?? '') : undefined;
    // A connection's messages often repeat their summary (a keep-alive client asking again, the
    // server's "200 OK (text/html)"): the last one is given again rather than made again. (`simple`
    // follows from the start line, this lane's direction being fixed.)
    const last = this.lastSummary;
    if (last !== null && last.startLine === this.startLine && last.type === type && last.partial === partial) return last.text;
    // A start line of printable ASCII short enough is its own preview (the usual case, spared two conversions).
    const line = this.startLine.length <= HTTP_SUMMARY_MAX_CHARS && PRINTABLE_ASCII.test(this.startLine) ? this.startLine : previewText(charCodes(this.startLine), HTTP_SUMMARY_MAX_CHARS);
    const text = simple ? `${line} (HTTP/0.9 simple request)${suffix}` : `${line}${type ? ` (${type})` : ''}${suffix}`;
    this.lastSummary = { startLine: this.startLine, type, partial, text };
    return text;
  }

  /** The media type's essence (`text/html`) for a Content-Type value; the last answer is kept, since a connection repeats its types. */
  private essenceOf(contentType: string): string | undefined {
    if (this.lastContentType !== contentType) {
      this.lastContentType = contentType;
      this.lastEssence = parseMediaType(contentType)?.essence;
    }
    return this.lastEssence;
  }

  /** One step of framing; false when it needs more bytes. */
  private step(out: FramedMessage[]): boolean {
    switch (this.phase) {
      case 'start':
        return this.readStart(out);
      case 'fields':
      case 'trailers':
        return this.readFieldLines(out);
      case 'body-length': {
        const n = Math.min(this.remaining, this.queue.length);
        if (n === 0) return false;
        this.consume(n);
        this.bodyBytes += n;
        this.remaining -= n;
        if (this.remaining === 0) out.push(this.finish());
        return true;
      }
      case 'chunk-size':
        return this.readChunkSize(out);
      case 'chunk-data': {
        const n = Math.min(this.remaining, this.queue.length);
        if (n === 0) return false;
        this.consume(n);
        this.bodyBytes += n;
        this.remaining -= n;
        if (this.remaining === 0) this.phase = 'chunk-data-end';
        return true;
      }
      case 'chunk-data-end': {
        if (this.queue.length === 0) return false;
        const first = this.queue.byteAt(0);
        if (first === 0x0a) this.consume(1);
        else if (first === 0x0d) {
          if (this.queue.length < 2) return false;
          this.consume(this.queue.byteAt(1) === 0x0a ? 2 : 1);
        }
        // Data longer than its size line said: the chunk line reader will flag what follows.
        this.phase = 'chunk-size';
        return true;
      }
      case 'until-close':
      case 'tunnel':
        if (this.queue.length === 0) return false;
        this.bodyBytes += this.queue.length;
        this.consume(this.queue.length);
        return false;
    }
  }

  private readStart(out: FramedMessage[]): boolean {
    if (this.queue.length === 0) return false;
    if (this.track.switched && this.size === 0) {
      this.enterTunnel();
      return true;
    }
    if (this.dir === 's2c') {
      const front = this.requests[0];
      if (front?.simple && this.size === 0) {
        // The answer to an HTTP/0.9 request is the bare page, ended by the close.
        this.requests.shift();
        this.note = 'HTTP/0.9 response';
        this.phase = 'until-close';
        return true;
      }
      const first = this.queue.byteAt(0);
      if (first !== 0x0d && first !== 0x0a) {
        const n = Math.min(this.queue.length, HTTP_PREFIX.length);
        for (let i = 0; i < n; i++) {
          if (this.queue.byteAt(i) !== HTTP_PREFIX[i]) {
            // Not a status line: bytes no request asked for (a body after a 204/304, or junk).
            this.note = 'not an HTTP response';
            this.role = 'other';
            this.phase = 'until-close';
            return true;
          }
        }
        if (n < HTTP_PREFIX.length) return false;
      }
    }
    const line = this.queue.line();
    if (line === null) {
      if (this.queue.length + this.size > HTTP_CAPTURE_MAX_HEAD) return this.cut(out);
      return false;
    }
    const text = this.queue.text(line.contentLength, 0, this.startMemo);
    this.consume(line.contentLength + line.terminatorLength);
    if (line.contentLength === 0) return true; // empty lines before a start line stay with it
    this.startLine = text;
    if (this.dir === 'c2s') {
      // The usual line ("GET /page HTTP/1.1") by one regular expression; anything else is parsed whole.
      const usual = USUAL_REQUEST_LINE.test(text);
      const parsed = usual ? null : parseRequestLine(text);
      const method = parsed?.ok ? parsed.value.method : text.slice(0, text.indexOf(' ') >>> 0);
      const simple = parsed?.ok === true && parsed.value.simple;
      this.answers = { method, simple };
      if (simple) {
        this.remember(this.answers);
        out.push(this.finish());
        return true;
      }
    } else {
      if (USUAL_STATUS_LINE.test(text)) this.status = (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + (text.charCodeAt(11) - 48);
      else {
        const parsed = parseStatusLine(text);
        this.status = parsed.ok ? parsed.value.status : 0;
      }
    }
    this.phase = 'fields';
    return true;
  }

  private remember(request: PendingRequest): void {
    this.requests.push(request);
    if (this.requests.length > HTTP_CAPTURE_MAX_PENDING_REQUESTS) this.requests.shift();
  }

  /**
   * Bytes of the section being read: the head, or in the trailers phase the trailer section after
   * the last chunk. Either may hold HTTP_CAPTURE_MAX_HEAD bytes before its blank line.
   */
  private sectionBytes(): number {
    return this.phase === 'trailers' ? this.size - this.trailersFrom : this.size;
  }

  /** The head or the trailer section grew past the capture limit without a blank line: the bytes so far become one message. */
  private cut(out: FramedMessage[]): boolean {
    const room = Math.max(0, HTTP_CAPTURE_MAX_HEAD - this.sectionBytes());
    if (room > 0) this.consume(Math.min(room, this.queue.length));
    const section = this.phase === 'trailers' ? 'trailer section' : 'head';
    this.note = `${section} cut (no blank line within ${HTTP_CAPTURE_MAX_HEAD} bytes)`;
    this.startLine = null;
    out.push(this.finish());
    return this.queue.length > 0;
  }

  /** Field lines (or trailer lines), as many as have arrived: a head's lines come together. */
  private readFieldLines(out: FramedMessage[]): boolean {
    const fields = this.phase === 'fields';
    for (;;) {
      const line = this.queue.line();
      if (line === null) {
        if (this.queue.length + this.sectionBytes() > HTTP_CAPTURE_MAX_HEAD) return this.cut(out);
        return false;
      }
      if (line.contentLength + line.terminatorLength + this.sectionBytes() > HTTP_CAPTURE_MAX_HEAD) return this.cut(out);
      const field = fields && line.contentLength > 0 ? framingFieldAt(this.queue, line.contentLength) : -1;
      const value = field < 0 ? null : validValue(this.queue.text(line.contentLength, FRAMING_FIELDS[field].length + 1, this.fieldMemos[field]));
      this.consume(line.contentLength + line.terminatorLength);
      if (line.contentLength === 0) {
        if (fields) this.headComplete(out);
        else out.push(this.finish());
        return true;
      }
      if (value === null) continue;
      if (field === CONTENT_LENGTH) this.contentLengths.push(value);
      else if (field === TRANSFER_ENCODING) this.transferEncodings.push(value);
      else this.contentType ??= value;
    }
  }

  private headComplete(out: FramedMessage[]): void {
    const codings = this.transferEncodings.length > 0 ? codingsOf(this.transferEncodings) : NO_CODINGS;
    const chunked = codings.length > 0 && codings[codings.length - 1] === 'chunked';
    const length = this.contentLengths.length > 0 ? parseContentLength(this.contentLengths) : null;
    if (this.dir === 'c2s') {
      if (this.answers) this.remember(this.answers);
      if (chunked) this.phase = 'chunk-size';
      else if (length?.ok && length.value.length > 0) this.startFixed(length.value.length);
      else out.push(this.finish());
      return;
    }
    const status = this.status;
    if (status >= 100 && status < 200 && status !== 101) {
      this.role = 'other'; // interim: the final response to the same request follows
      out.push(this.finish());
      return;
    }
    const answered = this.requests.shift();
    const method = answered?.method ?? 'GET';
    if (status === 101 || (method === 'CONNECT' && status >= 200 && status < 300)) {
      out.push(this.finish());
      this.track.switched = true;
      this.enterTunnel();
      return;
    }
    if (method === 'HEAD' || status === 204 || status === 304) {
      out.push(this.finish());
      return;
    }
    if (chunked) this.phase = 'chunk-size';
    else if (codings.length > 0) this.phase = 'until-close';
    else if (length?.ok) {
      if (length.value.length > 0) this.startFixed(length.value.length);
      else out.push(this.finish());
    } else this.phase = 'until-close';
  }

  /** Everything after a protocol switch is another protocol's bytes, until the connection ends. */
  private enterTunnel(): void {
    this.phase = 'tunnel';
    this.role = 'other';
    this.note = 'after a protocol switch: not HTTP';
  }

  private startFixed(n: number): void {
    this.remaining = n;
    this.phase = 'body-length';
  }

  private readChunkSize(out: FramedMessage[]): boolean {
    const line = this.queue.line();
    if (line === null) {
      if (this.queue.length > HTTP_CAPTURE_MAX_CHUNK_LINE) {
        // No size line in sight: the body is not chunked as announced; it ends here.
        this.note = 'malformed chunked body';
        out.push(this.finish());
        return true;
      }
      return false;
    }
    const text = this.queue.text(line.contentLength);
    const parsed = parseChunkSizeLine(text);
    if (!parsed.ok || line.contentLength > HTTP_CAPTURE_MAX_CHUNK_LINE) {
      this.note = 'malformed chunked body';
      out.push(this.finish());
      return true;
    }
    this.consume(line.contentLength + line.terminatorLength);
    if (parsed.value.size === 0) {
      this.phase = 'trailers';
      this.trailersFrom = this.size;
    }
    else {
      this.remaining = parsed.value.size;
      this.phase = 'chunk-data';
    }
    return true;
  }
}

/** Frames an HTTP connection: c2s requests, s2c responses, paired in order by the capture. */
export class HttpFramer implements StreamFramer {
  private readonly lanes: Record<Direction, HttpLane>;

  constructor() {
    const track: ConnectionTrack = { requests: [], switched: false };
    this.lanes = { c2s: new HttpLane('c2s', track), s2c: new HttpLane('s2c', track) };
  }

  push(dir: Direction, bytes: Uint8Array, t: number): FramedMessage[] {
    return this.lanes[dir].push(bytes, t);
  }

  end(dir: Direction): FramedMessage[] {
    return this.lanes[dir].end();
  }
}

export function createHttpFramer(ctx: FramerContext): StreamFramer {
  // HTTP/1.x runs over TCP; anything else on an "http" connection is shown datagram by datagram.
  return ctx.transport === 'tcp' ? new HttpFramer() : new DatagramFramer({ c2s: 'request', s2c: 'response' });
}
