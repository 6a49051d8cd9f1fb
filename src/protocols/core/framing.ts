// Framers turn a connection's chunk streams into messages (PDUs). One framer instance per
// connection; it sees both directions in capture order. Sans-IO: bytes and times come in, framed
// messages come out, nothing is read or written anywhere else.

import type { Direction, MessageRole } from '../../shared/capture';

export interface FramedMessage {
  dir: Direction;
  role: MessageRole;
  /** Time of the message's first byte (ms since capture start). */
  t: number;
  /**
   * The message's bytes. May be a view of memory that is reused (the chunk that was pushed, or the
   * framer's own buffer): valid until the next push() or end() on this framer. A caller that keeps
   * them longer copies them.
   */
  bytes: Uint8Array;
  summary: string;
  /** The connection ended before the message did. */
  partial?: boolean;
}

export interface StreamFramer {
  /** Feed a chunk in one direction; returns the messages it completed, in order. */
  push(dir: Direction, bytes: Uint8Array, t: number): FramedMessage[];
  /** The connection (or that direction) ended: whatever is buffered becomes a partial message. */
  end(dir: Direction): FramedMessage[];
}

/** Context a framer gets when its connection opens. */
export interface FramerContext {
  transport: 'tcp' | 'udp';
}

export type FramerFactory = (ctx: FramerContext) => StreamFramer;
