// Where the lines of one message are, for dissectors: each line's content range and terminator.
// Stateless: a dissector gets a whole message, so nothing is carried from call to call.

import { EXPERT_BARE_LF, EXPERT_CONNECTION_ENDED_MID_LINE, expertLineCut } from './expert';
import { field, type ExpertInfo, type FieldDef, type FieldNode } from './field';

export interface LineSpan {
  /** Offset of the line's first byte in the message. */
  offset: number;
  /** Bytes before the terminator. */
  contentLength: number;
  /** The line end, or null when the message ends without one. */
  terminator: 'CRLF' | 'LF' | null;
  /** Content plus terminator. */
  length: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** Every line of `bytes` in order; the last has `terminator: null` if the bytes end mid-line. */
export function lineSpans(bytes: Uint8Array): LineSpan[] {
  const spans: LineSpan[] = [];
  let start = 0;
  while (start < bytes.length) {
    const lf = bytes.indexOf(LF, start);
    if (lf === -1) {
      spans.push({ offset: start, contentLength: bytes.length - start, terminator: null, length: bytes.length - start });
      break;
    }
    const crlf = lf > start && bytes[lf - 1] === CR;
    const contentLength = lf - start - (crlf ? 1 : 0);
    spans.push({ offset: start, contentLength, terminator: crlf ? 'CRLF' : 'LF', length: lf + 1 - start });
    start = lf + 1;
  }
  return spans;
}

/** The terminator field of a line, flagged when it is a bare LF; null when the line has none. */
export function terminatorNode(def: FieldDef, span: LineSpan): FieldNode | null {
  if (span.terminator === null) return null;
  const at = span.offset + span.contentLength;
  if (span.terminator === 'CRLF') return field(def, at, 2, 'CRLF', `${def.name}: CR LF (\\r\\n)`);
  return field(def, at, 1, 'LF', `${def.name}: LF (\\n)`, { expert: EXPERT_BARE_LF });
}

/**
 * Why a line has no terminator, when that deserves a note: the connection ended mid-line, or (over
 * TCP) the framer cut a line that grew past its limit. A UDP datagram need not end a line at all.
 */
export function missingLineEndExpert(
  span: LineSpan,
  ctx: { transport: 'tcp' | 'udp'; partial?: boolean },
  maxLine: number,
): ExpertInfo | undefined {
  if (span.terminator !== null) return undefined;
  if (ctx.partial) return EXPERT_CONNECTION_ENDED_MID_LINE;
  if (ctx.transport === 'tcp') return expertLineCut(maxLine);
  return undefined;
}
