// The capture's processing, behind the hub: each event goes to the journal first (what the UI
// shows is on disk), then through its connection's framer into messages with request/response
// pairing, then to the live batcher for the faces and to the pcapng stream. It runs in the capture
// worker (capture-worker.ts), or on the main thread when no worker can start; either way it is fed
// events whose ids, sequence numbers and times the hub already assigned.
//
// A message's bytes are stored once: the framers cut each direction's stream into contiguous
// messages in order, so a message is a run of the chunk bytes already journalled as data events,
// and its record names those events (journal-format.ts, KIND_MESSAGE_SLICES).

import type {
  CaptureBatch,
  CaptureEvent,
  ConnectionInfo,
  Direction,
  Endpoint,
  MessageDetail,
  MessageSummary,
} from '../../../shared/capture';
import { bytesToBase64 } from '../../../protocols/core/bytes';
import type { FramedMessage, StreamFramer } from '../../../protocols/core/framing';
import { RequestPairer } from '../../../protocols/core/pairing';
import { getProtocol } from '../../../protocols/registry';
import { CaptureBatcher } from './batcher';
import { CaptureJournal, type EventSlice } from './journal';
import { openPcapngFile, type PcapngFile } from './pcapng';

/**
 * Closed connections kept in memory for the details pane; older ones are dropped (their messages
 * stay in the journal, shown without the connection record). ~300 bytes each: ~15 MB at most.
 */
export const MAX_RETAINED_CLOSED_CONNECTIONS = 50_000;

/**
 * Requests remembered as never answered (their connection ended first), for reading them back
 * marked; the oldest are forgotten past this (a Set of this many ids takes 5 MiB, measured with
 * Node 20). A request forgotten, or recorded by an earlier run of the lab, reads back unmarked,
 * never marked wrongly.
 */
export const MAX_REMEMBERED_UNANSWERED = 200_000;

/** Chunk bytes of one direction not yet claimed by a message: where they are in the journal. */
interface PendingChunk {
  /** File offset of the data event record that holds them. */
  event: number;
  length: number;
  /** Bytes of it already claimed by earlier messages. */
  used: number;
}

/** One direction of a connection: the journalled chunks its framer has not yet cut messages from. */
class ChunkLane {
  private chunks: PendingChunk[] = [];
  private head = 0;
  /** Set once the framer emitted bytes the lane did not have; from then on messages keep their own bytes. */
  untracked = false;

  add(event: number, length: number): void {
    if (length > 0 && !this.untracked) this.chunks.push({ event, length, used: 0 });
  }

  /** The slices making up the next `length` bytes of the stream, or null when the lane cannot tell. */
  take(length: number): EventSlice[] | null {
    if (this.untracked) return null;
    const slices: EventSlice[] = [];
    let left = length;
    while (left > 0) {
      const chunk = this.chunks[this.head];
      if (!chunk) {
        // The framer said a message is longer than the bytes it was given: it does not cut the
        // stream into contiguous pieces, so its messages cannot be found in the events.
        this.untracked = true;
        this.chunks = [];
        this.head = 0;
        return null;
      }
      const n = Math.min(left, chunk.length - chunk.used);
      slices.push({ event: chunk.event, start: chunk.used, length: n });
      chunk.used += n;
      left -= n;
      if (chunk.used === chunk.length) this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
    return slices;
  }
}

interface LiveConnection {
  info: ConnectionInfo;
  framer: StreamFramer;
  pairer: RequestPairer;
  source: Record<Direction, string>;
  destination: Record<Direction, string>;
  lanes: Record<Direction, ChunkLane>;
}

export interface CaptureRecorderOptions {
  journalPath: string;
  /** Stream the capture as pcapng to this file as it happens. */
  pcapngPath?: string;
  /** Wall-clock time (ms since the epoch) of capture time 0, for the pcapng timestamps. */
  startEpochMs: number;
  /** Default MAX_REMEMBERED_UNANSWERED. */
  maxRememberedUnanswered?: number;
}

/** What the recorder has done so far: the hub reports it in CaptureStats. */
export interface RecorderCounts {
  totalMessages: number;
}

function endpointName(e: Endpoint, port: number): string {
  return `${e.hostname ?? e.virtualAddress}:${port}`;
}

export class CaptureRecorder {
  private readonly journal: CaptureJournal;
  private readonly pcapng: PcapngFile | null;
  /** Live batches, while a face listens for them (setLiveBatches). */
  private batcher: CaptureBatcher | null = null;
  private readonly live = new Map<number, LiveConnection>();
  private readonly closed = new Map<number, ConnectionInfo>();
  /** Requests whose connection ended before their response came, oldest first (MAX_REMEMBERED_UNANSWERED). */
  private readonly unanswered = new Set<number>();
  private readonly maxRememberedUnanswered: number;
  private nextMessageId: number;
  private isClosed = false;

  constructor(options: CaptureRecorderOptions) {
    this.journal = CaptureJournal.open(options.journalPath);
    try {
      this.pcapng = options.pcapngPath ? openPcapngFile(options.pcapngPath, { startEpochMs: options.startEpochMs }) : null;
    } catch (err) {
      this.journal.close();
      throw err;
    }
    this.nextMessageId = this.journal.lastMessageId + 1;
    this.maxRememberedUnanswered = options.maxRememberedUnanswered ?? MAX_REMEMBERED_UNANSWERED;
  }

  /**
   * Starts (with the function that sends them) or stops building live batches. Nobody listening,
   * none are built: a face that starts listening reads what came before from the journal.
   */
  setLiveBatches(emit: ((batch: CaptureBatch) => void) | null): void {
    if (this.isClosed) return;
    this.batcher?.flush();
    this.batcher?.dispose();
    this.batcher = emit ? new CaptureBatcher(emit) : null;
  }

  get journalPath(): string {
    return this.journal.path;
  }

  counts(): RecorderCounts {
    return { totalMessages: this.nextMessageId - 1 };
  }

  open(seq: number, info: ConnectionInfo): void {
    if (this.isClosed) return;
    const client = endpointName(info.client, info.client.virtualPort);
    const server = endpointName(info.server, info.server.virtualPort);
    this.live.set(info.id, {
      info,
      framer: getProtocol(info.protocol).createFramer({ transport: info.transport }),
      pairer: new RequestPairer(),
      source: { c2s: client, s2c: server },
      destination: { c2s: server, s2c: client },
      lanes: { c2s: new ChunkLane(), s2c: new ChunkLane() },
    });
    this.record({ type: 'open', seq, t: info.openedAt, conn: { ...info } }, info);
    this.batcher?.addConnection({ ...info });
  }

  /**
   * A chunk of a connection's stream or a datagram. The journal may write a large chunk's bytes
   * from where they are rather than copy them: they stay unchanged while `holdsChunks` is true,
   * or until releaseChunks().
   */
  chunk(type: 'data' | 'datagram', seq: number, t: number, connId: number, dir: Direction, bytes: Uint8Array): void {
    const c = this.live.get(connId);
    if (!c || this.isClosed) return;
    const offset = this.record({ type, seq, t, connId, dir, bytes }, c.info, true);
    c.lanes[dir].add(offset, bytes.length);
    this.emitMessages(c, c.framer.push(dir, bytes, t));
  }

  finish(seq: number, t: number, connId: number, state: 'closed' | 'reset', by: 'client' | 'server', reason?: string): void {
    const c = this.live.get(connId);
    if (!c || this.isClosed) return;
    this.emitMessages(c, [...c.framer.end('c2s'), ...c.framer.end('s2c')]);
    if (c.pairer.pendingCount > 0) this.noteUnanswered(c.pairer.pendingIds());
    const event: CaptureEvent = state === 'closed' ? { type: 'close', seq, t, connId, by } : { type: 'reset', seq, t, connId, by, reason };
    this.record(event, c.info);
    c.info.state = state;
    c.info.closedAt = t;
    c.info.closedBy = by;
    if (reason !== undefined) c.info.closeReason = reason;
    this.live.delete(connId);
    this.closed.set(connId, c.info);
    if (this.closed.size > MAX_RETAINED_CLOSED_CONNECTIONS) {
      const oldest = this.closed.keys().next().value as number;
      this.closed.delete(oldest);
    }
    this.batcher?.addConnection({ ...c.info });
  }

  /** Whether the journal still holds chunk bytes it was lent. */
  get holdsChunks(): boolean {
    return this.journal.holdsLentBytes;
  }

  /** Writes the chunk bytes the journal holds, so their memory may be reused. */
  releaseChunks(): void {
    if (!this.isClosed) this.journal.returnLentBytes();
  }

  private record(event: CaptureEvent, conn: ConnectionInfo, lendBytes = false): number {
    const offset = lendBytes ? this.journal.appendLent({ kind: 'event', event }) : this.journal.append({ kind: 'event', event });
    this.pcapng?.writer.writeEvent(event, conn);
    return offset;
  }

  private emitMessages(c: LiveConnection, framed: FramedMessage[]): void {
    for (const m of framed) {
      const id = this.nextMessageId++;
      const summary: MessageSummary = {
        id,
        connId: c.info.id,
        protocol: c.info.protocol,
        transport: c.info.transport,
        dir: m.dir,
        role: m.role,
        t: m.t,
        length: m.bytes.length,
        summary: m.summary,
        source: c.source[m.dir],
        destination: c.destination[m.dir],
      };
      if (m.partial) summary.partial = true;
      const requestId = c.pairer.add(id, m.role)?.[0];
      if (requestId !== undefined) summary.responseTo = requestId;
      const slices = c.lanes[m.dir].take(m.bytes.length);
      if (slices) this.journal.append({ kind: 'messageSlices', message: summary, slices });
      // m.bytes may be a view the framer reuses on its next push: append() copies them (never lend them).
      else this.journal.append({ kind: 'message', message: summary, bytes: m.bytes });
      // The journal pairs a response with its request from `responseTo`: no answer record needed.
      this.batcher?.addMessage(summary);
      if (requestId !== undefined) this.batcher?.addAnswer(requestId, id);
    }
    if (framed.length > 0) this.batcher?.setTotal(this.nextMessageId - 1);
  }

  private connection(connId: number): ConnectionInfo | undefined {
    return this.live.get(connId)?.info ?? this.closed.get(connId);
  }

  listConnections(): ConnectionInfo[] {
    return [...this.closed.values(), ...[...this.live.values()].map((c) => c.info)].map((c) => ({ ...c }));
  }

  // Summaries are read back from the journal, not kept in memory as well: a face holds the rows it
  // shows (the live batches), and keeping the last few thousand here made every young-generation
  // collection of the worker copy them.
  listMessages(fromId: number, count: number): MessageSummary[] {
    if (count <= 0) return [];
    return this.journal.listMessages(fromId, count).map((m) => this.withNoReply(m));
  }

  getMessage(id: number): MessageDetail | null {
    const found = this.journal.readMessage(id);
    if (!found) return null;
    const conn = this.connection(found.message.connId);
    return { ...this.withNoReply(found.message), bytes: bytesToBase64(found.bytes), ...(conn ? { conn: { ...conn } } : {}) };
  }

  /** The requests a connection left unanswered as it ended: to the live batch, and remembered for reading back. */
  private noteUnanswered(requestIds: number[]): void {
    this.batcher?.addUnanswered(requestIds);
    for (const id of requestIds) this.unanswered.add(id);
    const over = this.unanswered.size - this.maxRememberedUnanswered;
    if (over > 0) {
      let n = 0;
      for (const id of this.unanswered) {
        if (n++ >= over) break;
        this.unanswered.delete(id);
      }
    }
  }

  /** A request read back, marked when its connection ended without a response to it (the journal keeps answers, not this). */
  private withNoReply(m: MessageSummary): MessageSummary {
    return this.unanswered.has(m.id) && m.answeredBy === undefined ? { ...m, noReply: true } : m;
  }

  /** Sends the pending live batch, then closes the journal and the pcapng file. Later events are ignored. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.batcher?.flush();
    this.batcher?.dispose();
    try {
      this.journal.close();
    } finally {
      this.pcapng?.close();
    }
  }
}
