// Framers for the simple text services: over TCP each line in a direction is one message, over
// UDP each datagram is. Roles per direction say which messages are requests and which answer them.
//
// A line's bytes are a view of the chunk pushed when the line lies within it (LineSplitter): the
// capture reads them during push and keeps only where they are in the journal, so copying every
// byte of every stream for it would be wasted.

import type { Direction, MessageRole } from '../../shared/capture';
import { assertNever } from './assert-never';
import { copyBytes } from './bytes';
import type { FramedMessage, FramerContext, StreamFramer } from './framing';
import { LineSplitter } from './line-splitter';
import { summarizeBytes } from './summary';

/**
 * Longest line the capture keeps as one message before cutting it, terminator included. No RFC
 * sets it for these services: it bounds what a framer buffers for a peer that never sends a line
 * end (binary data, a stuck client) and keeps one packet-list row to a readable size.
 */
export const CAPTURE_MAX_LINE = 4096;

export const LINE_CUT_NOTE = 'line cut';

export type RolesByDirection = Readonly<Record<Direction, MessageRole>>;

export interface LineFramerOptions {
  roles: RolesByDirection;
  /** Defaults to CAPTURE_MAX_LINE. */
  maxLine?: number;
}

interface Lane {
  splitter: LineSplitter;
  /** Time of the first byte still buffered, if any. */
  since?: number;
}

export class LineFramer implements StreamFramer {
  private readonly lanes: Record<Direction, Lane>;
  private readonly roles: RolesByDirection;

  constructor(options: LineFramerOptions) {
    const maxLine = options.maxLine ?? CAPTURE_MAX_LINE;
    this.roles = options.roles;
    this.lanes = { c2s: { splitter: new LineSplitter(maxLine) }, s2c: { splitter: new LineSplitter(maxLine) } };
  }

  push(dir: Direction, bytes: Uint8Array, t: number): FramedMessage[] {
    const lane = this.lanes[dir];
    const heldSince = lane.since;
    const pieces = lane.splitter.split(bytes);
    const out = pieces.map((piece, i): FramedMessage => {
      // Only the first piece can have begun in an earlier chunk.
      const started = i === 0 && heldSince !== undefined ? heldSince : t;
      const summary = piece.kind === 'line' ? summarizeBytes(piece.bytes) : summarizeBytes(piece.bytes, LINE_CUT_NOTE);
      return { dir, role: this.roles[dir], t: started, bytes: piece.bytes, summary };
    });
    if (lane.splitter.buffered === 0) lane.since = undefined;
    else if (pieces.length > 0 || heldSince === undefined) lane.since = t;
    return out;
  }

  end(dir: Direction): FramedMessage[] {
    const lane = this.lanes[dir];
    if (lane.splitter.buffered === 0) return [];
    const t = lane.since ?? 0;
    lane.since = undefined;
    const bytes = lane.splitter.take();
    return [{ dir, role: this.roles[dir], t, bytes, summary: summarizeBytes(bytes), partial: true }];
  }
}

/** Each datagram is one message; nothing is ever buffered. */
export class DatagramFramer implements StreamFramer {
  constructor(private readonly roles: RolesByDirection) {}

  push(dir: Direction, bytes: Uint8Array, t: number): FramedMessage[] {
    const copy = copyBytes(bytes);
    return [{ dir, role: this.roles[dir], t, bytes: copy, summary: summarizeBytes(copy) }];
  }

  end(_dir: Direction): FramedMessage[] {
    return [];
  }
}

/** Lines over TCP, datagrams over UDP. */
export function createLineOrDatagramFramer(ctx: FramerContext, roles: RolesByDirection, maxLine?: number): StreamFramer {
  switch (ctx.transport) {
    case 'tcp':
      return new LineFramer({ roles, maxLine });
    case 'udp':
      return new DatagramFramer(roles);
    default:
      return assertNever(ctx.transport, 'transport');
  }
}
