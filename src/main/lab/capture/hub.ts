// The capture hub: every tapped socket reports here. Each event goes to the journal first (what
// the UI shows is on disk), then through the connection's framer into messages with
// request/response pairing, then to the live batcher for the faces and the pcapng stream.

import { performance } from 'node:perf_hooks';
import type {
  CaptureBatch,
  CaptureEvent,
  CaptureStats,
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
import { CaptureJournal } from './journal';
import { openPcapngFile } from './pcapng';
import type { CaptureSink } from './tap';

/**
 * Closed connections kept in memory for the details pane; older ones are dropped (their messages
 * stay in the journal, shown without the connection record). ~300 bytes each: ~15 MB at most.
 */
export const MAX_RETAINED_CLOSED_CONNECTIONS = 50_000;

/** Recent message summaries kept in memory so the packet list's live window needs no disk reads. */
export const RECENT_MESSAGES = 2_000;

interface LiveConnection {
  info: ConnectionInfo;
  framer: StreamFramer;
  pairer: RequestPairer;
  source: Record<Direction, string>;
  destination: Record<Direction, string>;
}

export interface CaptureHubOptions {
  journalPath: string;
  /** Stream the capture as pcapng to this file as it happens. */
  pcapngPath?: string;
  /** Live batches for the faces. */
  onBatch?: (batch: CaptureBatch) => void;
  /** Capture off: sockets are still tapped but nothing is recorded (for the overhead benchmark). */
  enabled?: boolean;
}

function endpointName(e: Endpoint, port: number): string {
  return `${e.hostname ?? e.virtualAddress}:${port}`;
}

export class CaptureHub implements CaptureSink {
  readonly enabled: boolean;
  private readonly journal: CaptureJournal | null;
  private readonly pcapng: ReturnType<typeof openPcapngFile> | null;
  private readonly batcher: CaptureBatcher | null;
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly live = new Map<number, LiveConnection>();
  private readonly closed = new Map<number, ConnectionInfo>();
  private readonly recent: MessageSummary[] = [];
  private nextConnId = 1;
  private isShutDown = false;
  private nextSeq = 1;
  private nextMessageId: number;
  private totalBytes = 0;

  constructor(options: CaptureHubOptions) {
    this.enabled = options.enabled ?? true;
    this.journal = this.enabled ? CaptureJournal.open(options.journalPath) : null;
    this.nextMessageId = (this.journal?.messageCount ?? 0) + 1;
    this.pcapng = this.enabled && options.pcapngPath ? openPcapngFile(options.pcapngPath) : null;
    this.batcher = this.enabled && options.onBatch ? new CaptureBatcher(options.onBatch) : null;
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  private record(event: CaptureEvent, conn: ConnectionInfo): void {
    if (this.isShutDown) return;
    this.journal!.append({ kind: 'event', event });
    this.pcapng?.writer.writeEvent(event, conn);
  }

  open(partial: Omit<ConnectionInfo, 'id' | 'openedAt' | 'state'>): ConnectionInfo {
    const info: ConnectionInfo = { ...partial, id: this.nextConnId++, openedAt: this.now(), state: 'open' };
    if (!this.enabled || this.isShutDown) return info;
    const client = endpointName(info.client, info.client.virtualPort);
    const server = endpointName(info.server, info.server.virtualPort);
    this.live.set(info.id, {
      info,
      framer: getProtocol(info.protocol).createFramer({ transport: info.transport }),
      pairer: new RequestPairer(),
      source: { c2s: client, s2c: server },
      destination: { c2s: server, s2c: client },
    });
    this.record({ type: 'open', seq: this.nextSeq++, t: info.openedAt, conn: { ...info } }, info);
    this.batcher?.addConnection({ ...info });
    return info;
  }

  data(connId: number, dir: Direction, bytes: Uint8Array): void {
    this.chunk('data', connId, dir, bytes);
  }

  datagram(connId: number, dir: Direction, bytes: Uint8Array): void {
    this.chunk('datagram', connId, dir, bytes);
  }

  private chunk(type: 'data' | 'datagram', connId: number, dir: Direction, bytes: Uint8Array): void {
    const c = this.live.get(connId);
    if (!c) return;
    const t = this.now();
    // The socket may reuse its buffer after the callback; the journal and framer keep their own copy.
    const copy = new Uint8Array(bytes);
    this.totalBytes += copy.length;
    this.record({ type, seq: this.nextSeq++, t, connId, dir, bytes: copy }, c.info);
    this.emitMessages(c, c.framer.push(dir, copy, t));
  }

  close(connId: number, by: 'client' | 'server'): void {
    this.finish(connId, 'closed', { type: 'close', seq: 0, t: 0, connId, by });
  }

  reset(connId: number, by: 'client' | 'server', reason?: string): void {
    this.finish(connId, 'reset', { type: 'reset', seq: 0, t: 0, connId, by, reason });
  }

  private finish(connId: number, state: 'closed' | 'reset', event: Extract<CaptureEvent, { type: 'close' | 'reset' }>): void {
    const c = this.live.get(connId);
    if (!c) return;
    const t = this.now();
    this.emitMessages(c, [...c.framer.end('c2s'), ...c.framer.end('s2c')]);
    this.record({ ...event, seq: this.nextSeq++, t }, c.info);
    c.info.state = state;
    c.info.closedAt = t;
    this.live.delete(connId);
    this.closed.set(connId, c.info);
    if (this.closed.size > MAX_RETAINED_CLOSED_CONNECTIONS) {
      const oldest = this.closed.keys().next().value as number;
      this.closed.delete(oldest);
    }
    this.batcher?.addConnection({ ...c.info });
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
      this.journal!.append({ kind: 'message', message: summary, bytes: m.bytes });
      if (requestId !== undefined) this.journal!.append({ kind: 'answer', requestId, responseId: id });
      this.recent.push(summary);
      if (this.recent.length > RECENT_MESSAGES) this.recent.splice(0, this.recent.length - RECENT_MESSAGES);
      this.batcher?.addMessage(summary);
      if (requestId !== undefined) {
        this.batcher?.addAnswer(requestId, id);
        const request = this.findRecent(requestId);
        if (request) request.answeredBy = id;
      }
    }
    if (framed.length > 0) this.batcher?.setTotal(this.nextMessageId - 1);
  }

  private findRecent(id: number): MessageSummary | undefined {
    const first = this.recent[0]?.id;
    if (first === undefined || id < first) return undefined;
    const m = this.recent[id - first];
    return m?.id === id ? m : this.recent.find((r) => r.id === id);
  }

  connection(connId: number): ConnectionInfo | undefined {
    return this.live.get(connId)?.info ?? this.closed.get(connId);
  }

  listConnections(): ConnectionInfo[] {
    return [...this.closed.values(), ...[...this.live.values()].map((c) => c.info)].map((c) => ({ ...c }));
  }

  listMessages(fromId: number, count: number): MessageSummary[] {
    if (!this.journal || count <= 0) return [];
    const first = this.recent[0]?.id;
    if (first !== undefined && fromId >= first) {
      return this.recent.slice(fromId - first, fromId - first + count).map((m) => ({ ...m }));
    }
    this.journal.flush();
    return this.journal.listMessages(fromId, count);
  }

  getMessage(id: number): MessageDetail | null {
    if (!this.journal) return null;
    this.journal.flush();
    const found = this.journal.readMessage(id);
    if (!found) return null;
    const recent = this.findRecent(id);
    const message = recent ? { ...recent } : found.message;
    const conn = this.connection(message.connId);
    return { ...message, bytes: bytesToBase64(found.bytes), ...(conn ? { conn: { ...conn } } : {}) };
  }

  stats(): CaptureStats {
    return {
      totalMessages: this.nextMessageId - 1,
      totalEvents: this.nextSeq - 1,
      totalBytes: this.totalBytes,
      journalPath: this.journal?.path ?? '',
      startedAt: this.startedAt.toISOString(),
    };
  }

  /**
   * Records the end of every connection still open (the lab is stopping; their sockets are being
   * destroyed), flushes everything to disk and closes the files. Later socket events are ignored.
   */
  shutdown(): void {
    if (this.isShutDown) return;
    for (const id of [...this.live.keys()]) this.reset(id, 'server', 'the lab stopped');
    this.isShutDown = true;
    this.batcher?.flush();
    this.batcher?.dispose();
    this.journal?.close();
    this.pcapng?.close();
  }
}
