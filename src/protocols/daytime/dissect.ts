// Daytime dissector: the server's date line (text, line end, parsed instant) or the ignored bytes
// a client sent.

import { bytesToUtf8 } from '../core/bytes';
import type { ExpertInfo, FieldNode } from '../core/field';
import { field } from '../core/field';
import { CAPTURE_MAX_LINE } from '../core/line-framer';
import { lineSpans, missingLineEndExpert, terminatorNode, type LineSpan } from '../core/line-spans';
import { byteCount, quotedPreview } from '../core/summary';
import type { DissectContext } from '../registry-types';
import { parseDaytime } from './date-line';
import { DAYTIME_FIELDS as F } from './fields';

export const EXPERT_WEEKDAY_MISMATCH: ExpertInfo = {
  severity: 'warn',
  message: 'the weekday does not match the date',
};

function withTransport(title: string, ctx: DissectContext): string {
  return ctx.transport === 'udp' ? `${title} (datagram)` : title;
}

function timeNode(text: string, span: LineSpan): FieldNode | null {
  const parsed = parseDaytime(text);
  if (!parsed) return null;
  return field(F['daytime.time'], span.offset, span.contentLength, parsed.iso, `${F['daytime.time'].name}: ${parsed.iso}`, {
    generated: true,
    expert: parsed.weekdayMatches ? undefined : EXPERT_WEEKDAY_MISMATCH,
  });
}

function dateLineNode(bytes: Uint8Array, span: LineSpan, ctx: DissectContext): FieldNode {
  const content = bytes.subarray(span.offset, span.offset + span.contentLength);
  const text = bytesToUtf8(content);
  const children: FieldNode[] = [
    field(F['daytime.text'], span.offset, span.contentLength, text, `${F['daytime.text'].name}: ${quotedPreview(content)}`, {
      expert: missingLineEndExpert(span, ctx, CAPTURE_MAX_LINE),
    }),
  ];
  const end = terminatorNode(F['daytime.terminator'], span);
  if (end) children.push(end);
  const time = timeNode(text, span);
  if (time) children.push(time);
  return field(F.daytime, span.offset, span.length, undefined, withTransport('Daytime reply', ctx), { children });
}

function ignoredNode(bytes: Uint8Array, ctx: DissectContext): FieldNode {
  const title = ctx.transport === 'udp' ? 'Daytime request' : 'Data sent to a daytime server';
  const children = [
    field(F['daytime.ignored'], 0, bytes.length, bytesToUtf8(bytes), `${F['daytime.ignored'].name}: ${quotedPreview(bytes)}`),
    field(F['daytime.length'], 0, bytes.length, bytes.length, `${F['daytime.length'].name}: ${byteCount(bytes.length)}`, { generated: true }),
  ];
  return field(F.daytime, 0, bytes.length, undefined, withTransport(title, ctx), { children });
}

export function dissectDaytime(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  if (ctx.dir === 'c2s') return [ignoredNode(bytes, ctx)];
  return lineSpans(bytes).map((span) => dateLineNode(bytes, span, ctx));
}
