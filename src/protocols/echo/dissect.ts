// Echo dissector: a TCP message is a line (data + line end), a UDP message is a datagram.

import type { FieldNode } from '../core/field';
import { field } from '../core/field';
import { CAPTURE_MAX_LINE } from '../core/line-framer';
import { lineSpans, missingLineEndExpert, terminatorNode, type LineSpan } from '../core/line-spans';
import { byteCount, quotedPreview } from '../core/summary';
import { bytesToUtf8 } from '../core/bytes';
import type { DissectContext } from '../registry-types';
import { ECHO_FIELDS as F } from './fields';

function messageTitle(ctx: DissectContext): string {
  return ctx.dir === 'c2s' ? 'Echo request' : 'Echo reply';
}

function dataNode(bytes: Uint8Array, offset: number, length: number, ctx: DissectContext, span?: LineSpan): FieldNode {
  const content = bytes.subarray(offset, offset + length);
  const expert = span ? missingLineEndExpert(span, ctx, CAPTURE_MAX_LINE) : undefined;
  return field(F['echo.data'], offset, length, bytesToUtf8(content), `${F['echo.data'].name}: ${quotedPreview(content)}`, { expert });
}

function lengthNode(offset: number, length: number): FieldNode {
  return field(F['echo.length'], offset, length, length, `${F['echo.length'].name}: ${byteCount(length)}`, { generated: true });
}

export function dissectEcho(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  if (ctx.transport === 'udp') {
    const children = [dataNode(bytes, 0, bytes.length, ctx), lengthNode(0, bytes.length)];
    return [field(F.echo, 0, bytes.length, undefined, `${messageTitle(ctx)} (datagram)`, { children })];
  }
  return lineSpans(bytes).map((span) => {
    const children: FieldNode[] = [dataNode(bytes, span.offset, span.contentLength, ctx, span)];
    const end = terminatorNode(F['echo.terminator'], span);
    if (end) children.push(end);
    children.push(lengthNode(span.offset, span.length));
    return field(F.echo, span.offset, span.length, undefined, messageTitle(ctx), { children });
  });
}
