// Discard dissector: lines (TCP) or a datagram (UDP) of bytes that the server dropped.

import { bytesToUtf8 } from '../core/bytes';
import type { ExpertInfo, FieldNode } from '../core/field';
import { field } from '../core/field';
import { CAPTURE_MAX_LINE } from '../core/line-framer';
import { lineSpans, missingLineEndExpert, terminatorNode, type LineSpan } from '../core/line-spans';
import { byteCount, quotedPreview } from '../core/summary';
import type { DissectContext } from '../registry-types';
import { DISCARD_FIELDS as F } from './fields';

export const EXPERT_DISCARD_SERVER_SENT: ExpertInfo = {
  severity: 'warn',
  message: 'a discard server never sends anything (RFC 863)',
};

function messageTitle(ctx: DissectContext): string {
  return ctx.dir === 'c2s' ? 'Discarded data' : 'Data from a discard server';
}

function topExpert(ctx: DissectContext): ExpertInfo | undefined {
  return ctx.dir === 's2c' ? EXPERT_DISCARD_SERVER_SENT : undefined;
}

function dataNode(bytes: Uint8Array, offset: number, length: number, ctx: DissectContext, span?: LineSpan): FieldNode {
  const content = bytes.subarray(offset, offset + length);
  const expert = span ? missingLineEndExpert(span, ctx, CAPTURE_MAX_LINE) : undefined;
  return field(F['discard.data'], offset, length, bytesToUtf8(content), `${F['discard.data'].name}: ${quotedPreview(content)}`, { expert });
}

function lengthNode(offset: number, length: number): FieldNode {
  return field(F['discard.length'], offset, length, length, `${F['discard.length'].name}: ${byteCount(length)}`, { generated: true });
}

export function dissectDiscard(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  if (ctx.transport === 'udp') {
    const children = [dataNode(bytes, 0, bytes.length, ctx), lengthNode(0, bytes.length)];
    return [field(F.discard, 0, bytes.length, undefined, `${messageTitle(ctx)} (datagram)`, { children, expert: topExpert(ctx) })];
  }
  return lineSpans(bytes).map((span) => {
    const children: FieldNode[] = [dataNode(bytes, span.offset, span.contentLength, ctx, span)];
    const end = terminatorNode(F['discard.terminator'], span);
    if (end) children.push(end);
    children.push(lengthNode(span.offset, span.length));
    return field(F.discard, span.offset, span.length, undefined, messageTitle(ctx), { children, expert: topExpert(ctx) });
  });
}
