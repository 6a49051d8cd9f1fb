// Raw dissector: each line with its line end, and expert notes on what makes it doubtful as text
// (bare LF, NUL bytes, bytes outside US-ASCII).

import { bytesToUtf8 } from '../core/bytes';
import type { ExpertInfo, FieldNode } from '../core/field';
import { field } from '../core/field';
import { lineSpans, missingLineEndExpert, terminatorNode, type LineSpan } from '../core/line-spans';
import { byteCount, quotedPreview } from '../core/summary';
import type { DissectContext } from '../registry-types';
import { RAW_FIELDS as F } from './fields';
import { RAW_MAX_LINE } from './framer';

export const EXPERT_NUL_IN_LINE: ExpertInfo = {
  severity: 'warn',
  message: 'NUL byte in a text line: text protocols do not allow it',
};

export const EXPERT_NON_ASCII_UTF8: ExpertInfo = {
  severity: 'note',
  message: 'bytes outside US-ASCII; they decode as UTF-8 text',
};

export const EXPERT_NON_ASCII_BINARY: ExpertInfo = {
  severity: 'warn',
  message: 'bytes outside US-ASCII that are not valid UTF-8: binary data?',
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Count of bytes matching `test` in [start, end), and where the first is. */
function scan(bytes: Uint8Array, start: number, end: number, test: (b: number) => boolean): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = start; i < end; i++) {
    if (!test(bytes[i])) continue;
    if (first === -1) first = i;
    count++;
  }
  return { count, first };
}

function nulNode(bytes: Uint8Array, span: LineSpan): FieldNode | null {
  const { count, first } = scan(bytes, span.offset, span.offset + span.contentLength, (b) => b === 0x00);
  if (count === 0) return null;
  return field(F['raw.nul'], first, 1, count, `${F['raw.nul'].name}: ${count} (first at offset ${first})`, {
    generated: true,
    expert: EXPERT_NUL_IN_LINE,
  });
}

function nonAsciiNode(bytes: Uint8Array, span: LineSpan): FieldNode | null {
  const end = span.offset + span.contentLength;
  const { count, first } = scan(bytes, span.offset, end, (b) => b >= 0x80);
  if (count === 0) return null;
  const expert = isValidUtf8(bytes.subarray(span.offset, end)) ? EXPERT_NON_ASCII_UTF8 : EXPERT_NON_ASCII_BINARY;
  return field(F['raw.non_ascii'], first, 1, count, `${F['raw.non_ascii'].name}: ${count} (first at offset ${first})`, {
    generated: true,
    expert,
  });
}

function lineNode(bytes: Uint8Array, span: LineSpan, ctx: DissectContext): FieldNode {
  const content = bytes.subarray(span.offset, span.offset + span.contentLength);
  const children: FieldNode[] = [
    field(F['raw.text'], span.offset, span.contentLength, bytesToUtf8(content), `${F['raw.text'].name}: ${quotedPreview(content)}`, {
      expert: missingLineEndExpert(span, ctx, RAW_MAX_LINE),
    }),
  ];
  const end = terminatorNode(F['raw.terminator'], span);
  if (end) children.push(end);
  const nul = nulNode(bytes, span);
  if (nul) children.push(nul);
  const nonAscii = nonAsciiNode(bytes, span);
  if (nonAscii) children.push(nonAscii);
  children.push(
    field(F['raw.length'], span.offset, span.length, span.length, `${F['raw.length'].name}: ${byteCount(span.length)}`, { generated: true }),
  );
  const title = span.terminator === null ? `Data without a line end (${byteCount(span.length)})` : `Line (${byteCount(span.length)})`;
  return field(F['raw.line'], span.offset, span.length, undefined, title, { children });
}

export function dissectRaw(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  const lines = lineSpans(bytes).map((span) => lineNode(bytes, span, ctx));
  if (ctx.transport === 'tcp') return lines;
  return [field(F['raw.datagram'], 0, bytes.length, undefined, `Datagram (${byteCount(bytes.length)})`, { children: lines })];
}
