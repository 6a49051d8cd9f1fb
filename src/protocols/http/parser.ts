// Incremental HTTP/1.x parsers (RFC 9112), fed bytes as they arrive in any chunking: the request
// parser a server uses and the response parser the proxy and the terminal's http client use.
// Sans-IO: no sockets, no timers; problems come back as values naming the status to answer with.
//
// The same bytes give the same result however they were split: lines are handled strictly in
// order, and every limit is checked against a byte count that does not depend on the chunking.

import { assertNever } from '../core/assert-never';
import { ByteQueue, joinParts, type QueuedLine } from './byte-queue';
import { getHeaderValues, type HttpHeader } from './headers';
import { httpLimits, type HttpLimits } from './limits';
import { httpProblem, type HttpNote, type HttpProblem, type HttpProblemCode } from './problems';
import {
  checkHost,
  parseChunkSizeLine,
  parseFieldLine,
  parseRequestLine,
  parseStatusLine,
  requestBodyFraming,
  responseBodyFraming,
  type BodyFraming,
  type ChunkExtension,
  type HttpVersion,
  type Parsed,
  type RequestLineParts,
  type TargetForm,
} from './syntax';

export interface ParsedHeader extends HttpHeader {
  /** Offset of the field line from the message's first byte. */
  offset: number;
  /** The field line's length, line end included. */
  length: number;
  /** Offset of the value from the message's first byte. */
  valueOffset: number;
  terminator: 'CRLF' | 'LF';
}

export interface ChunkSpan {
  /** Offset of the chunk-size line from the message's first byte. */
  offset: number;
  /** The chunk-size line's length, line end included. */
  sizeLineLength: number;
  size: number;
  extensions: ChunkExtension[];
  /** Offset of the chunk data (equal to the end of the size line). */
  dataOffset: number;
  /** Length of the line end after the data: 2 (CRLF), 1 (bare LF), 0 for the last chunk. */
  dataEndLength: number;
  last: boolean;
}

export type FramingKind = BodyFraming['kind'];

interface MessageCommon {
  /** The start line, field lines and the empty line, exactly as received. */
  head: Uint8Array;
  headers: ParsedHeader[];
  framing: FramingKind;
  /** The body with any chunked framing removed. */
  body: Uint8Array;
  chunks: ChunkSpan[];
  trailers: ParsedHeader[];
  /** Bytes the whole message took on the wire: head and framed body. */
  wireLength: number;
  /** Things the parser accepted but the breakdown should flag (bare LF, skipped empty lines...). */
  notes: HttpNote[];
  /**
   * Body bytes read and counted but not kept, past the reader's `maxKeptBody`; absent when `body`
   * holds the whole body.
   */
  droppedBody?: number;
}

export interface RequestHead {
  method: string;
  target: string;
  targetForm: TargetForm;
  version: HttpVersion;
  /** The version as written, or null for an HTTP/0.9 simple request. */
  versionText: string | null;
  /** HTTP/0.9 simple request: `GET /path` alone; the answer is the bare body, then close. */
  simple: boolean;
  headers: ParsedHeader[];
  framing: BodyFraming;
}

export interface ParsedRequest extends MessageCommon {
  method: string;
  target: string;
  targetForm: TargetForm;
  version: HttpVersion;
  versionText: string | null;
  simple: boolean;
}

export interface ResponseHead {
  version: HttpVersion;
  versionText: string;
  status: number;
  reason: string;
  headers: ParsedHeader[];
  framing: BodyFraming;
  /** The method of the request this answers (it decides whether a body follows). */
  requestMethod: string;
}

export interface ParsedResponse extends MessageCommon {
  version: HttpVersion;
  versionText: string;
  status: number;
  reason: string;
  requestMethod: string;
  /** An HTTP/0.9 answer: no status line or headers, the body runs until the connection closes. */
  simple: boolean;
}

export type RequestParserEvent =
  | { type: 'head'; head: RequestHead }
  | { type: 'request'; request: ParsedRequest }
  | { type: 'error'; problem: HttpProblem };

export type ResponseParserEvent =
  | { type: 'head'; head: ResponseHead }
  /** A 1xx response other than 101: the final response to the same request is still to come. */
  | { type: 'interim'; response: ParsedResponse }
  | { type: 'response'; response: ParsedResponse }
  | { type: 'error'; problem: HttpProblem };

/** Where a parser is: between messages, in a head, in a body, finished, or stopped by an error. */
export type ParserPhase = 'idle' | 'head' | 'body' | 'done' | 'failed';

type Step =
  | 'start-line'
  | 'fields'
  | 'body-length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-data-end'
  | 'trailers'
  | 'body-close'
  | 'done'
  | 'failed';

const LF = 0x0a;
const CR = 0x0d;
/** "HTTP/": every HTTP/1.x status line starts with it. */
const STATUS_PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f];

/** What the two parsers share: line handling, header fields, the body framings, limits. */
abstract class MessageReader<E> {
  protected readonly queue = new ByteQueue();
  protected step: Step = 'start-line';
  protected readonly limits: HttpLimits;
  protected out: E[] = [];

  /** The head as received, once its empty line has arrived (the queue's mark keeps it until then). */
  private headCopy: Uint8Array | null = null;
  private bodyParts: Uint8Array[] = [];
  protected bodyLength = 0;
  /** Body bytes of the current message kept in `bodyParts`; the rest up to `bodyLength` is dropped. */
  private keptBodyLength = 0;
  /** Most body bytes kept per message (see ResponseParserOptions.maxKeptBody). */
  protected maxKeptBody = Number.POSITIVE_INFINITY;
  /** Bytes of the current message consumed so far (its wire offset). */
  protected wire = 0;
  protected headers: ParsedHeader[] = [];
  protected trailers: ParsedHeader[] = [];
  protected chunks: ChunkSpan[] = [];
  protected notes: HttpNote[] = [];
  /** Field-line bytes (head and trailers) counted against the header-section limit. */
  private headerBytes = 0;
  private fieldCount = 0;
  private remaining = 0;
  private skippedEmptyLines = 0;
  protected framing: BodyFraming = { kind: 'none' };

  constructor(limits: Partial<HttpLimits>) {
    this.limits = httpLimits(limits);
  }

  get phase(): ParserPhase {
    switch (this.step) {
      case 'start-line':
        return this.wire === 0 && this.queue.length === 0 ? 'idle' : 'head';
      case 'fields':
        return 'head';
      case 'body-length':
      case 'chunk-size':
      case 'chunk-data':
      case 'chunk-data-end':
      case 'trailers':
      case 'body-close':
        return 'body';
      case 'done':
        return 'done';
      case 'failed':
        return 'failed';
      default:
        return assertNever(this.step, 'parser step');
    }
  }

  /** Bytes received and not yet part of a finished message. */
  get buffered(): number {
    return this.queue.length;
  }

  /** Feeds bytes; returns the events they completed, in order. */
  push(bytes: Uint8Array): E[] {
    if (this.step === 'done' || this.step === 'failed') return [];
    this.queue.append(bytes);
    return this.run();
  }

  protected run(): E[] {
    this.out = [];
    while (this.advance()) {
      /* keep going while a step makes progress */
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  protected abstract readonly startLineLimit: number;
  protected abstract readonly startLineTooLong: HttpProblemCode;
  protected abstract errorEvent(problem: HttpProblem): E;
  /** The start line has been read; returns false when it failed (and failed the parser). */
  protected abstract onStartLine(text: string): boolean;
  /** The head is complete; decide the framing or fail. */
  protected abstract onHeadComplete(): void;
  /** The message is complete with this body. */
  protected abstract onMessageComplete(common: MessageCommon): void;

  protected fail(problem: HttpProblem): void {
    this.step = 'failed';
    this.out.push(this.errorEvent(problem));
  }

  private advance(): boolean {
    switch (this.step) {
      case 'start-line':
        return this.readStartLine();
      case 'fields':
        return this.readFieldLine(this.headers, 'fields');
      case 'trailers':
        return this.readFieldLine(this.trailers, 'trailers');
      case 'body-length':
        return this.readFixedBody();
      case 'chunk-size':
        return this.readChunkSize();
      case 'chunk-data':
        return this.readChunkData();
      case 'chunk-data-end':
        return this.readChunkDataEnd();
      case 'body-close':
        return this.readUntilClose();
      case 'done':
      case 'failed':
        return false;
      default:
        return assertNever(this.step, 'parser step');
    }
  }

  /** Consumes a line: its length with the line end, its offset in the message, its text without the line end. */
  private takeLine(line: QueuedLine): { length: number; offset: number; text: string } {
    const offset = this.wire;
    const length = line.contentLength + line.terminatorLength;
    const text = this.queue.text(line.contentLength);
    this.queue.skip(length);
    this.wire += length;
    if (line.terminatorLength === 1) {
      this.notes.push({ code: 'bare-lf', message: 'line ends in a bare LF instead of CR LF (accepted)', offset: offset + line.contentLength, length: 1 });
    }
    return { length, offset, text };
  }

  private readStartLine(): boolean {
    if (this.beforeStartLine()) return true;
    if (this.step !== 'start-line') return false;
    const line = this.queue.line();
    const max = this.startLineLimit;
    if (line === null) {
      if (this.queue.partialContentLength() > max) this.fail(this.tooLong(max));
      return false;
    }
    if (line.contentLength > max) {
      this.fail(this.tooLong(max));
      return false;
    }
    if (line.contentLength === 0) {
      // RFC 9112 §2.2: ignore empty lines before the start line (old clients sent an extra CRLF after a POST body).
      this.queue.skip(line.terminatorLength);
      this.skippedEmptyLines++;
      return true;
    }
    if (this.skippedEmptyLines > 0) {
      this.notes.push({
        code: 'leading-empty-line',
        message: `${this.skippedEmptyLines} empty line${this.skippedEmptyLines === 1 ? '' : 's'} before the start line ignored (RFC 9112 §2.2)`,
      });
      this.skippedEmptyLines = 0;
    }
    // The head is kept from its first byte on, and taken as one copy when its empty line arrives.
    this.queue.mark();
    const { text } = this.takeLine(line);
    if (!this.onStartLine(text)) return false;
    if (this.step === 'start-line') this.step = 'fields';
    return true;
  }

  /** A hook for the response parser's HTTP/0.9 case; true when it changed the step. */
  protected beforeStartLine(): boolean {
    return false;
  }

  private tooLong(max: number): HttpProblem {
    const what = this.startLineTooLong === 'request-line-too-long' ? 'request line' : 'status line';
    return httpProblem(this.startLineTooLong, `the ${what} is longer than ${max} bytes`, { offset: 0, rfc: 'RFC 9112 §3' });
  }

  private headerSectionTooLarge(): HttpProblem {
    return httpProblem('header-section-too-large', `the header section is larger than ${this.limits.maxHeaderSection} bytes`, { offset: this.wire, rfc: 'RFC 6585 §5' });
  }

  private readFieldLine(into: ParsedHeader[], where: 'fields' | 'trailers'): boolean {
    const line = this.queue.line();
    const max = this.limits.maxHeaderSection;
    if (line === null) {
      const partial = this.queue.partialContentLength();
      if (partial > 0 && this.headerBytes + partial + 1 > max) this.fail(this.headerSectionTooLarge());
      return false;
    }
    if (line.contentLength === 0) {
      this.takeLine(line);
      // The empty line after trailers ends the chunked body, not the head.
      if (where === 'fields') {
        this.headCopy = this.queue.takeMarked();
        this.onHeadComplete();
      } else {
        this.completeMessage();
      }
      return true;
    }
    if (this.headerBytes + line.contentLength + line.terminatorLength > max) {
      this.fail(this.headerSectionTooLarge());
      return false;
    }
    this.fieldCount++;
    if (this.fieldCount > this.limits.maxHeaderCount) {
      this.fail(httpProblem('too-many-headers', `the message has more than ${this.limits.maxHeaderCount} header fields`, { offset: this.wire, rfc: 'RFC 6585 §5' }));
      return false;
    }
    // Trailer lines belong to the body on the wire; they are counted in `wire` and kept as fields.
    const { length, offset, text } = this.takeLine(line);
    this.headerBytes += length;
    const parsed = parseFieldLine(text, where === 'fields' && into.length === 0);
    if (!parsed.ok) {
      this.fail({ ...parsed.problem, offset: offset + (parsed.problem.offset ?? 0) });
      return false;
    }
    into.push({
      name: parsed.value.name,
      value: parsed.value.value,
      offset,
      length,
      valueOffset: offset + parsed.value.valueOffset,
      terminator: line.terminatorLength === 2 ? 'CRLF' : 'LF',
    });
    return true;
  }

  /** Starts reading the body the head announced (or finishes a message that has none). */
  protected beginBody(framing: BodyFraming): void {
    this.framing = framing;
    switch (framing.kind) {
      case 'none':
        this.completeMessage();
        return;
      case 'length':
        if (framing.length === 0) {
          this.completeMessage();
          return;
        }
        this.remaining = framing.length;
        this.step = 'body-length';
        return;
      case 'chunked':
        this.step = 'chunk-size';
        return;
      case 'close':
        this.step = 'body-close';
        return;
      default:
        assertNever(framing, 'body framing');
    }
  }

  private takeBody(n: number): void {
    const bytes = this.queue.take(n);
    this.wire += bytes.length;
    this.bodyLength += bytes.length;
    const room = this.maxKeptBody - this.keptBodyLength;
    const kept = room >= bytes.length ? bytes : bytes.subarray(0, Math.max(0, room));
    if (kept.length > 0) this.bodyParts.push(kept);
    this.keptBodyLength += kept.length;
  }

  private readFixedBody(): boolean {
    const n = Math.min(this.remaining, this.queue.length);
    if (n === 0) return false;
    this.takeBody(n);
    this.remaining -= n;
    if (this.remaining === 0) this.completeMessage();
    return true;
  }

  private readChunkSize(): boolean {
    const line = this.queue.line();
    const max = this.limits.maxChunkLine;
    const tooLong = () => httpProblem('chunk-line-too-long', `a chunk-size line is longer than ${max} bytes`, { offset: this.wire, rfc: 'RFC 9112 §7.1.1' });
    if (line === null) {
      if (this.queue.partialContentLength() > max) this.fail(tooLong());
      return false;
    }
    if (line.contentLength > max) {
      this.fail(tooLong());
      return false;
    }
    const { length, offset, text } = this.takeLine(line);
    const parsed = parseChunkSizeLine(text);
    if (!parsed.ok) {
      this.fail({ ...parsed.problem, offset: offset + (parsed.problem.offset ?? 0) });
      return false;
    }
    const { size, extensions } = parsed.value;
    if (this.bodyLength + size > this.limits.maxBody) {
      this.fail(httpProblem('body-too-large', `the chunked body grows past ${this.limits.maxBody} bytes`, { offset, length, rfc: 'RFC 9110 §15.5.14' }));
      return false;
    }
    if (extensions.length > 0) {
      this.notes.push({ code: 'chunk-extension', message: `chunk extension ${extensions.map((e) => e.name).join(', ')} (ignored)`, offset, length });
    }
    this.chunks.push({ offset, sizeLineLength: length, size, extensions, dataOffset: offset + length, dataEndLength: 0, last: size === 0 });
    if (size === 0) {
      this.step = 'trailers';
    } else {
      this.remaining = size;
      this.step = 'chunk-data';
    }
    return true;
  }

  private readChunkData(): boolean {
    const n = Math.min(this.remaining, this.queue.length);
    if (n === 0) return false;
    this.takeBody(n);
    this.remaining -= n;
    if (this.remaining === 0) this.step = 'chunk-data-end';
    return true;
  }

  private readChunkDataEnd(): boolean {
    if (this.queue.length === 0) return false;
    const chunk = this.chunks[this.chunks.length - 1];
    const first = this.queue.byteAt(0);
    let end = 0;
    if (first === LF) end = 1;
    else if (first === CR) {
      if (this.queue.length < 2) return false;
      if (this.queue.byteAt(1) === LF) end = 2;
    }
    if (end === 0) {
      this.fail(
        httpProblem('bad-chunk-end', `the ${chunk.size}-byte chunk is not followed by CR LF: the data is longer than its size line says (sizes are hexadecimal: "${chunk.size.toString(16)}" means ${chunk.size} bytes)`, {
          offset: this.wire,
          rfc: 'RFC 9112 §7.1',
        }),
      );
      return false;
    }
    if (end === 1) this.notes.push({ code: 'bare-lf', message: 'chunk data ends in a bare LF instead of CR LF (accepted)', offset: this.wire, length: 1 });
    this.queue.skip(end);
    this.wire += end;
    chunk.dataEndLength = end;
    this.step = 'chunk-size';
    return true;
  }

  private readUntilClose(): boolean {
    const n = this.queue.length;
    if (n === 0) return false;
    if (this.bodyLength + n > this.limits.maxBody) {
      this.fail(httpProblem('body-too-large', `the body grows past ${this.limits.maxBody} bytes`, { offset: this.wire, rfc: 'RFC 9110 §15.5.14' }));
      return false;
    }
    this.takeBody(n);
    return true;
  }

  /** The connection ended; a read-until-close body is complete, anything else mid-message is a problem. */
  protected endOfInput(what: string): void {
    if (this.step === 'body-close') {
      this.completeMessage();
      return;
    }
    if (this.step === 'done' || this.step === 'failed') return;
    if (this.phase === 'idle') {
      this.step = 'done';
      return;
    }
    this.fail(httpProblem('incomplete-message', `the connection ended in the middle of the ${what} (after ${this.wire + this.queue.length} bytes of it)`, { offset: this.wire }));
  }

  protected completeMessage(): void {
    if (this.trailers.length > 0) {
      this.notes.push({ code: 'trailer-fields', message: `${this.trailers.length} trailer field${this.trailers.length === 1 ? '' : 's'} after the last chunk` });
    }
    const common: MessageCommon = {
      // A message without an empty line ending its head (an HTTP/0.9 request) ends at its start line.
      head: this.headCopy ?? this.queue.takeMarked(),
      headers: this.headers,
      framing: this.framing.kind,
      body: this.bodyParts.length === 0 ? new Uint8Array(0) : joinParts(this.bodyParts),
      chunks: this.chunks,
      trailers: this.trailers,
      wireLength: this.wire,
      notes: this.notes,
    };
    if (this.bodyLength > this.keptBodyLength) common.droppedBody = this.bodyLength - this.keptBodyLength;
    this.headCopy = null;
    this.bodyParts = [];
    this.bodyLength = 0;
    this.keptBodyLength = 0;
    this.wire = 0;
    this.headers = [];
    this.trailers = [];
    this.chunks = [];
    this.notes = [];
    this.headerBytes = 0;
    this.fieldCount = 0;
    this.remaining = 0;
    this.framing = { kind: 'none' };
    this.step = 'start-line';
    this.onMessageComplete(common);
  }

  /** Fails with a problem found in the head (offsets are already message offsets). */
  protected failWith<T>(parsed: Parsed<T>): parsed is { ok: false; problem: HttpProblem } {
    if (parsed.ok) return false;
    this.fail(parsed.problem);
    return true;
  }
}

export interface RequestParserOptions {
  limits?: Partial<HttpLimits>;
}

/** A server's view of one connection's request stream. */
export class RequestParser extends MessageReader<RequestParserEvent> {
  protected readonly startLineLimit: number;
  protected readonly startLineTooLong = 'request-line-too-long' as const;
  private line: RequestLineParts | null = null;

  constructor(options: RequestParserOptions = {}) {
    super(options.limits ?? {});
    this.startLineLimit = this.limits.maxRequestLine;
  }

  /** The connection ended: a request cut off mid-way is reported as a problem. */
  end(): RequestParserEvent[] {
    this.out = [];
    this.endOfInput('request');
    const out = this.out;
    this.out = [];
    return out;
  }

  protected errorEvent(problem: HttpProblem): RequestParserEvent {
    return { type: 'error', problem };
  }

  protected onStartLine(text: string): boolean {
    const parsed = parseRequestLine(text);
    if (!parsed.ok) {
      this.fail(parsed.problem);
      return false;
    }
    this.line = parsed.value;
    if (parsed.value.newerMinor) {
      this.notes.push({ code: 'newer-minor-version', message: `${parsed.value.versionText} is served as HTTP/1.1 (RFC 9110 §2.5)` });
    }
    if (parsed.value.simple) {
      this.notes.push({ code: 'simple-request', message: 'HTTP/0.9 simple request: no version and no headers; the answer is the bare page, then the connection closes' });
      this.out.push({ type: 'head', head: this.requestHead(parsed.value) });
      this.completeMessage();
      this.step = 'done';
    }
    return true;
  }

  private requestHead(l: RequestLineParts): RequestHead {
    return {
      method: l.method,
      target: l.target,
      targetForm: l.targetForm,
      version: l.version,
      versionText: l.versionText,
      simple: l.simple,
      headers: this.headers,
      framing: this.framing,
    };
  }

  protected onHeadComplete(): void {
    const line = this.line;
    if (!line) return;
    const { version, method } = line;
    const host = checkHost(this.headers, version);
    if (host) {
      this.fail(host);
      return;
    }
    const framing = requestBodyFraming(this.headers, version);
    if (this.failWith(framing)) return;
    if (framing.value.kind === 'length' && framing.value.repeated) {
      this.notes.push({ code: 'repeated-content-length', message: 'Content-Length is given more than once with the same value (accepted)' });
    }
    if (framing.value.kind === 'none' && version === 'HTTP/1.0' && (method === 'POST' || method === 'PUT') && getHeaderValues(this.headers, 'content-length').length === 0) {
      this.fail(httpProblem('length-required', `an HTTP/1.0 ${method} request must give the size of its body in Content-Length (HTTP/1.0 has no other way to mark where the body ends)`, { rfc: 'RFC 1945 §8.3' }));
      return;
    }
    if (framing.value.kind === 'length' && framing.value.length > this.limits.maxBody) {
      this.fail(httpProblem('body-too-large', `Content-Length announces ${framing.value.length} bytes, more than the ${this.limits.maxBody} this server accepts`, { rfc: 'RFC 9110 §15.5.14' }));
      return;
    }
    this.framing = framing.value;
    this.out.push({ type: 'head', head: this.requestHead(line) });
    this.beginBody(framing.value);
  }

  protected onMessageComplete(common: MessageCommon): void {
    const l = this.line;
    if (!l) return;
    this.line = null;
    // Written out rather than spread: this runs once per request, and a spread of `common` was a
    // measurable share of a static GET's time.
    const request: ParsedRequest = {
      head: common.head,
      headers: common.headers,
      framing: common.framing,
      body: common.body,
      chunks: common.chunks,
      trailers: common.trailers,
      wireLength: common.wireLength,
      notes: common.notes,
      method: l.method,
      target: l.target,
      targetForm: l.targetForm,
      version: l.version,
      versionText: l.versionText,
      simple: l.simple,
    };
    if (common.droppedBody !== undefined) request.droppedBody = common.droppedBody;
    this.out.push({ type: 'request', request });
  }
}

export interface ResponseParserOptions {
  limits?: Partial<HttpLimits>;
  /**
   * Most body bytes to keep per response; the rest is still read (so the next response is found)
   * and counted in `droppedBody`, but not stored. Pair it with a large `limits.maxBody` to read
   * big responses through without holding them. Default: keep the whole body.
   */
  maxKeptBody?: number;
}

interface Expectation {
  method: string;
  simple: boolean;
}

/**
 * A client's view of one connection's response stream. Whether a response has a body depends on
 * the request it answers (HEAD never gets one), so tell the parser each request with `expect`, in
 * the order they were sent; with none expected it assumes GET.
 */
export class ResponseParser extends MessageReader<ResponseParserEvent> {
  protected readonly startLineLimit: number;
  protected readonly startLineTooLong = 'status-line-too-long' as const;
  private readonly expected: Expectation[] = [];
  private status: ReturnType<typeof parseStatusLine> | null = null;
  private simpleResponse = false;

  constructor(options: ResponseParserOptions = {}) {
    super(options.limits ?? {});
    this.startLineLimit = this.limits.maxStatusLine;
    if (options.maxKeptBody !== undefined) this.maxKeptBody = Math.max(0, options.maxKeptBody);
  }

  /** The next request sent on the connection; `simple` for an HTTP/0.9 `GET /path`. */
  expect(method: string, options: { simple?: boolean } = {}): void {
    this.expected.push({ method: method.toUpperCase(), simple: options.simple === true });
  }

  /** Requests sent whose final response has not been parsed yet. */
  get awaiting(): number {
    return this.expected.length;
  }

  /** The connection closed: a body that runs until close is complete now. */
  end(): ResponseParserEvent[] {
    this.out = [];
    this.endOfInput('response');
    const out = this.out;
    this.out = [];
    return out;
  }

  private get current(): Expectation {
    return this.expected[0] ?? { method: 'GET', simple: false };
  }

  protected errorEvent(problem: HttpProblem): ResponseParserEvent {
    return { type: 'error', problem };
  }

  protected override beforeStartLine(): boolean {
    if (this.queue.length === 0) return false;
    if (this.current.simple) {
      // An HTTP/0.9 answer has no status line: every byte until the close is the page.
      this.simpleResponse = true;
      this.beginBody({ kind: 'close' });
      return true;
    }
    // Say so as soon as the first bytes cannot begin "HTTP/", rather than waiting for a line end.
    const first = this.queue.byteAt(0);
    if (first === CR || first === LF) return false;
    const n = Math.min(this.queue.length, STATUS_PREFIX.length);
    for (let i = 0; i < n; i++) {
      if (this.queue.byteAt(i) !== STATUS_PREFIX[i]) {
        this.fail(httpProblem('bad-status-line', 'the answer does not start with "HTTP/": the server is not speaking HTTP/1.x (or answered the HTTP/0.9 way)', { offset: 0, rfc: 'RFC 9112 §4' }));
        return false;
      }
    }
    return false;
  }

  protected onStartLine(text: string): boolean {
    const parsed = parseStatusLine(text);
    this.status = parsed;
    if (!parsed.ok) {
      this.fail(parsed.problem);
      return false;
    }
    return true;
  }

  protected onHeadComplete(): void {
    if (!this.status || !this.status.ok) return;
    const s = this.status.value;
    const framing = responseBodyFraming(this.headers, s.status, this.current.method);
    if (this.failWith(framing)) return;
    if (framing.value.kind === 'length' && framing.value.length > this.limits.maxBody) {
      this.fail(httpProblem('body-too-large', `Content-Length announces ${framing.value.length} bytes, more than the ${this.limits.maxBody} this client accepts`, { rfc: 'RFC 9110 §15.5.14' }));
      return;
    }
    this.framing = framing.value;
    this.out.push({
      type: 'head',
      head: { version: s.version, versionText: s.versionText, status: s.status, reason: s.reason, headers: this.headers, framing: framing.value, requestMethod: this.current.method },
    });
    this.beginBody(framing.value);
  }

  protected onMessageComplete(common: MessageCommon): void {
    const expectation = this.current;
    if (this.simpleResponse) {
      this.simpleResponse = false;
      this.expected.shift();
      this.step = 'done';
      this.out.push({ type: 'response', response: { ...common, version: 'HTTP/0.9', versionText: '', status: 200, reason: '', requestMethod: expectation.method, simple: true } });
      return;
    }
    if (!this.status || !this.status.ok) return;
    const s = this.status.value;
    this.status = null;
    const response: ParsedResponse = { ...common, version: s.version, versionText: s.versionText, status: s.status, reason: s.reason, requestMethod: expectation.method, simple: false };
    if (s.status >= 100 && s.status < 200 && s.status !== 101) {
      this.out.push({ type: 'interim', response });
      return;
    }
    this.expected.shift();
    this.out.push({ type: 'response', response });
    // After 101 the connection speaks another protocol; a CONNECT tunnel carries raw bytes.
    if (s.status === 101) this.step = 'done';
  }
}
