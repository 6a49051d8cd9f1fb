// Line-level helpers for the HTTP dissector: where one line is, and the line-end node.

import { EXPERT_BARE_LF } from '../core/expert';
import { field, type FieldNode } from '../core/field';
import { HTTP_FIELDS as F } from './fields';

export interface Line {
  offset: number;
  contentLength: number;
  /** null when the bytes end before a line end. */
  terminator: 'CRLF' | 'LF' | null;
  length: number;
}

/** The line starting at `pos` (stateless: the dissector gets a whole message). */
export function lineAt(bytes: Uint8Array, pos: number): Line {
  const lf = bytes.indexOf(0x0a, pos);
  if (lf === -1) return { offset: pos, contentLength: bytes.length - pos, terminator: null, length: bytes.length - pos };
  const crlf = lf > pos && bytes[lf - 1] === 0x0d;
  return { offset: pos, contentLength: lf - pos - (crlf ? 1 : 0), terminator: crlf ? 'CRLF' : 'LF', length: lf + 1 - pos };
}

/** The line-end node (bare LF flagged), or null when the line has none. */
export function lineEndNode(line: Line): FieldNode | null {
  if (line.terminator === null) return null;
  const at = line.offset + line.contentLength;
  if (line.terminator === 'CRLF') return field(F['http.line_end'], at, 2, 'CRLF', 'Line end: CR LF (\\r\\n)');
  return field(F['http.line_end'], at, 1, 'LF', 'Line end: LF (\\n)', { expert: EXPERT_BARE_LF });
}
