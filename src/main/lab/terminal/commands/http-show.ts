// How `http` shows an exchange: every head line exactly as it went over the wire, each with a dim
// marker for the bytes that ended it (\r\n, or \n for a bare line feed), then the body: text cut
// to a preview, binary summarised. Untrusted bytes never drive the terminal: control characters
// show in caret notation, as the connected mode shows them.

import { bytesToLatin1 } from '../../../../protocols/core/bytes';
import { getHeader } from '../../../../protocols/http/headers';
import { isTextual, parameter, parseMediaType } from '../../../../protocols/http/media-type';
import type { ChunkSpan, ParsedResponse } from '../../../../protocols/http/parser';
import { visibleControl } from '../remote-text';

/** Lines of a text body shown by default; -i shows them all. About one screen. */
export const BODY_PREVIEW_LINES = 40;

/**
 * Characters of one body line shown in the preview. Minified pages put everything on one line;
 * past this the line is cut, so a preview stays a preview.
 */
export const BODY_PREVIEW_LINE_CHARS = 300;

/** Chunk sizes listed one by one before the rest are only counted. */
export const CHUNKS_LISTED = 8;

/**
 * Bytes looked at to guess whether a body without Content-Type is text: the 512 that the WHATWG
 * MIME Sniffing standard (§7.1, "resource header") reads for the same question.
 */
export const TEXT_SNIFF_BYTES = 512;

const DIM = '\x1b[2m';
const NORMAL = '\x1b[22m';
/** Keeps `3 127` on one row when the shell word-wraps a message. */
const GROUP_SEPARATOR = '\u00a0';

export const SENT_PREFIX = '> ';
export const RECEIVED_PREFIX = '< ';

/** 3127 -> `3 127` (digits grouped by three, as the SI brochure writes numbers). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, GROUP_SEPARATOR);
}

export function formatBytes(n: number): string {
  return `${formatCount(n)} byte${n === 1 ? '' : 's'}`;
}

export function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function isUnsafeControl(codePoint: number): boolean {
  return (codePoint < 0x20 && codePoint !== 0x09) || (codePoint >= 0x7f && codePoint < 0xa0);
}

/** Text from the network, safe to write: controls (TAB aside) in caret notation. */
export function safeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const codePoint = ch.codePointAt(0)!;
    out += isUnsafeControl(codePoint) ? visibleControl(codePoint) : ch;
  }
  return out;
}

export interface HeadLine {
  /** The line without its ending, as latin1 (one character per byte). */
  text: string;
  ending: '\r\n' | '\n' | '';
}

/** Splits the bytes of a head into lines, keeping how each one ended. */
export function headLines(head: Uint8Array): HeadLine[] {
  const text = bytesToLatin1(head);
  const lines: HeadLine[] = [];
  let start = 0;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    if (lf === -1) {
      lines.push({ text: text.slice(start), ending: '' });
      break;
    }
    const cr = lf > start && text[lf - 1] === '\r';
    lines.push({ text: text.slice(start, cr ? lf - 1 : lf), ending: cr ? '\r\n' : '\n' });
    start = lf + 1;
  }
  return lines;
}

function endingMarker(ending: HeadLine['ending']): string {
  if (ending === '') return '';
  return `${DIM}${ending === '\r\n' ? '\\r\\n' : '\\n'}${NORMAL}`;
}

/** The head's lines for the terminal, each prefixed and ended with its marker and a line end. */
export function formatHead(head: Uint8Array, prefix: string): string {
  return headLines(head)
    .map((line) => `${prefix}${safeText(line.text)}${endingMarker(line.ending)}\n`)
    .join('');
}

export interface BodyView {
  /** Text to write as is (lines ending in LF), possibly empty. */
  text: string;
  /** Messages of the command's own about the body, one line each. */
  notes: string[];
}

function charsetDecoder(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** A body with no Content-Type is shown as text when its start has no NUL and is valid UTF-8. */
function looksLikeText(body: Uint8Array): boolean {
  const start = body.subarray(0, TEXT_SNIFF_BYTES);
  if (start.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function cutLine(line: string): string {
  const chars = Array.from(line);
  if (chars.length <= BODY_PREVIEW_LINE_CHARS) return line;
  return `${chars.slice(0, BODY_PREVIEW_LINE_CHARS).join('')}… (${formatCount(chars.length - BODY_PREVIEW_LINE_CHARS)} more characters)`;
}

/** The body for the terminal: all of it with `full`, else the first lines, each cut; binary as a summary. */
export function viewBody(response: ParsedResponse, full: boolean): BodyView {
  const body = response.body;
  const dropped = response.droppedBody ?? 0;
  const total = body.length + dropped;
  const notes: string[] = [];
  if (total === 0) return { text: '', notes };
  const contentType = getHeader(response.headers, 'content-type');
  const mediaType = contentType === undefined ? null : parseMediaType(contentType);
  const typeName = mediaType?.essence ?? 'data with no Content-Type';
  const textual = mediaType ? isTextual(mediaType) : looksLikeText(body);
  if (dropped > 0) notes.push(`the body is ${formatBytes(total)}: the first ${formatBytes(body.length)} were kept, the rest read and counted but not stored`);
  if (!textual) {
    notes.push(`[${formatBytes(total)} of ${typeName} not shown]`);
    return { text: '', notes };
  }
  const decoded = charsetDecoder(mediaType ? parameter(mediaType.params, 'charset') : undefined).decode(body);
  const lines = decoded.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const shown = full ? lines : lines.slice(0, BODY_PREVIEW_LINES).map(cutLine);
  const text = shown.map((line) => `${safeText(line)}\n`).join('');
  if (shown.length < lines.length) {
    const rest = lines.length - shown.length;
    notes.push(`… ${formatCount(rest)} more line${rest === 1 ? '' : 's'} of the ${formatBytes(total)} body not shown (-i shows the whole body)`);
  }
  return { text, notes };
}

function listChunks(chunks: readonly ChunkSpan[]): string {
  const data = chunks.filter((c) => !c.last);
  const listed = data.slice(0, CHUNKS_LISTED).map((c) => formatCount(c.size));
  const more = data.length > CHUNKS_LISTED ? ` and ${data.length - CHUNKS_LISTED} more` : '';
  return `${data.length} chunk${data.length === 1 ? '' : 's'} (${listed.join(' + ')}${more} bytes) and the empty last chunk`;
}

/** How the body's end was found (RFC 9112 §6.3), or why there is none. */
export function describeFraming(response: ParsedResponse): string {
  const size = formatBytes(response.body.length + (response.droppedBody ?? 0));
  switch (response.framing) {
    case 'length':
      return `${size} of body, as Content-Length said`;
    case 'chunked':
      return `${size} of body in chunked transfer coding: ${listChunks(response.chunks)}`;
    case 'close':
      return `${size} of body, ended by the server closing the connection`;
    case 'none':
      if (response.requestMethod === 'HEAD') {
        const length = getHeader(response.headers, 'content-length');
        return `no body: the answer to HEAD never has one${length !== undefined ? ` (Content-Length ${length} is what GET would get)` : ''}`;
      }
      if (response.status === 304) return 'no body: 304 Not Modified says the copy the client has is still good';
      if (response.status === 204) return 'no body: 204 No Content';
      if (response.status >= 100 && response.status < 200) return 'no body: an interim response; the final one follows';
      return 'no body (Content-Length: 0)';
  }
}
