// The capture hub: every tapped socket reports here. On the socket thread it does only what must
// happen in order with the sockets: it gives each connection its id and each event its sequence
// number and time, and copies chunk bytes into the shared event ring (event-ring.ts). The capture
// worker (capture-worker.ts, recorder.ts) reads the ring, journals, frames, pairs and exports the
// events, and sends live batches back, which the hub hands to the faces.
//
// Nothing is dropped: when the worker falls behind by more than CONGESTED_QUEUED_BYTES, the hub
// tells the taps to stop reading their sockets until it is back under RESUMED_QUEUED_BYTES; what
// still arrives meanwhile (bytes in flight, the lab's own writes) waits in an overflow list when the
// ring is full. Live batches for the faces are built only while a face listens (holdLiveBatches). When no worker can start, the same recorder runs on this thread, with a one-line
// warning.

import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { CaptureBatch, CaptureStats, ConnectionInfo, Direction, MessageDetail, MessageSummary } from '../../../shared/capture';
import {
  createEventRing,
  EVENT_RING_BYTES,
  EventRingWriter,
  MAX_RING_CHUNK_BYTES,
  releaseEventRing,
  TYPE_CLOSE,
  TYPE_DATA,
  TYPE_DATAGRAM,
  TYPE_LIVE,
  TYPE_OPEN,
  TYPE_RESET,
  type EndPayload,
} from './event-ring';
import { RecorderService } from './recorder-service';
import type { CaptureSink } from './tap';
import { captureWorkerLaunch, type WorkerLaunch } from './worker-launch';
import type { FromRecorder, QueryResults, RecorderInit, RecorderQuery, ToRecorder } from './worker-protocol';

export { MAX_RETAINED_CLOSED_CONNECTIONS } from './recorder';

/** The most tap bytes waiting for the recorder before the taps pause: the ring's size. */
export const MAX_QUEUED_BYTES = EVENT_RING_BYTES;
/** Waiting bytes at which the taps pause their sockets: 3/4 of the ring, so what is in flight still fits. */
export const CONGESTED_QUEUED_BYTES = (MAX_QUEUED_BYTES / 4) * 3;
/** Waiting bytes at which they read again. */
export const RESUMED_QUEUED_BYTES = MAX_QUEUED_BYTES / 4;
/** How often the hub looks whether the recorder caught up, while the taps are paused. */
export const CONGESTION_POLL_MS = 2;
/** A worker that has not said it is ready by then is given up on (the recorder runs on this thread). */
export const WORKER_START_TIMEOUT_MS = 15_000;
/** Distinct recording failures written to the console; after these, only a count. */
const MAX_REPORTED_FAILURES = 20;

export type CaptureProcessing = 'worker' | 'thread';

export interface CaptureHubOptions {
  journalPath: string;
  /** Stream the capture as pcapng to this file as it happens. */
  pcapngPath?: string;
  /** Live batches for the faces. */
  onBatch?: (batch: CaptureBatch) => void;
  /** Capture off: sockets are still tapped but nothing is recorded (for the overhead benchmark). */
  enabled?: boolean;
  /** Where the recorder runs: a worker thread (default), or this thread. */
  processing?: CaptureProcessing;
  /** How to start the worker; defaults to captureWorkerLaunch(). Tests give a broken one to see the fallback. */
  workerLaunch?: () => WorkerLaunch;
  /** Ring size (a power of two); defaults to EVENT_RING_BYTES. Thresholds scale with it. */
  ringBytes?: number;
}

interface PendingQuery {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** An event that found the ring full, kept (bytes copied) until there is room. */
interface OverflowEvent {
  type: number;
  seq: number;
  t: number;
  connId: number;
  dir: Direction;
  bytes: Uint8Array;
}

const TYPE_BY_STATE = { closed: TYPE_CLOSE, reset: TYPE_RESET } as const;

export class CaptureHub implements CaptureSink {
  readonly enabled: boolean;
  readonly journalPath: string;
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly onBatch?: (batch: CaptureBatch) => void;
  private readonly init: RecorderInit | null;
  private readonly ring: EventRingWriter | null;
  private readonly congestedAt: number;
  private readonly resumedAt: number;
  /** Open connections, by id: events for any other id are ignored. */
  private readonly live = new Map<number, ConnectionInfo>();
  private nextConnId = 1;
  private nextSeq = 1;
  private totalBytes = 0;
  private totalMessages = 0;
  private isShutDown = false;
  private shutdownDone: Promise<void> | null = null;

  private overflow: OverflowEvent[] = [];
  /** Queries sent while events wait in the overflow list go after them. */
  private heldQueries: ToRecorder[] = [];
  private congested = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly congestionListeners = new Set<(congested: boolean) => void>();

  private worker: Worker | null = null;
  private workerReady = false;
  /** Queries for a worker that is still starting, sent (or answered on this thread) once it is known which. */
  private unsent: ToRecorder[] = [];
  private startTimer: NodeJS.Timeout | null = null;
  private thread: RecorderService | null = null;
  private readonly readyPromise: Promise<void>;
  private settleReady!: (error?: Error) => void;

  private liveHolders = 0;
  private nextQueryId = 1;
  private readonly queries = new Map<number, PendingQuery>();
  private readonly reportedFailures = new Set<string>();
  private unreportedFailures = 0;

  constructor(options: CaptureHubOptions) {
    this.enabled = options.enabled ?? true;
    this.journalPath = this.enabled ? options.journalPath : '';
    this.onBatch = options.onBatch;
    const ringBytes = options.ringBytes ?? EVENT_RING_BYTES;
    this.congestedAt = (ringBytes / 4) * 3;
    this.resumedAt = ringBytes / 4;
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error ? reject(error) : resolve());
    });
    // A rejection nobody awaits must not crash the process; queries report the error too.
    this.readyPromise.catch(() => {});
    if (!this.enabled) {
      this.init = null;
      this.ring = null;
      this.settleReady();
      return;
    }
    const ring = createEventRing(ringBytes);
    this.ring = new EventRingWriter(ring);
    this.init = { journalPath: options.journalPath, pcapngPath: options.pcapngPath, startEpochMs: this.startedAt.getTime(), ring };
    if ((options.processing ?? 'worker') === 'thread') this.startOnThisThread();
    else this.startWorker(options.workerLaunch ?? (() => captureWorkerLaunch()));
  }

  /**
   * Settles once the recorder is running (in the worker or, after a fallback, on this thread) and
   * the journal is open; rejects when the journal cannot be opened at all.
   */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Where the recorder runs now ('worker' until it is known that none could start). */
  get processing(): CaptureProcessing {
    return this.thread ? 'thread' : 'worker';
  }

  /** Tap bytes not yet read by the recorder (ring and overflow). */
  get queuedBytes(): number {
    let n = this.ring?.used ?? 0;
    for (const e of this.overflow) n += e.bytes.length;
    return n;
  }

  // ---- the tap's side (socket thread, synchronous) ----

  open(partial: Omit<ConnectionInfo, 'id' | 'openedAt' | 'state'>): ConnectionInfo {
    const info: ConnectionInfo = { ...partial, id: this.nextConnId++, openedAt: this.now(), state: 'open' };
    if (!this.enabled || this.isShutDown) return info;
    this.live.set(info.id, info);
    this.put(TYPE_OPEN, this.nextSeq++, info.openedAt, info.id, 'c2s', EventRingWriter.controlPayload(info));
    return info;
  }

  data(connId: number, dir: Direction, bytes: Uint8Array): void {
    this.chunk('data', connId, dir, bytes);
  }

  datagram(connId: number, dir: Direction, bytes: Uint8Array): void {
    this.chunk('datagram', connId, dir, bytes);
  }

  close(connId: number, by: 'client' | 'server'): void {
    this.finish(connId, 'closed', by);
  }

  reset(connId: number, by: 'client' | 'server', reason?: string): void {
    this.finish(connId, 'reset', by, reason);
  }

  /**
   * Someone listens for live batches (onBatch) until the returned function is called: the recorder
   * builds them only while anyone does, so an unwatched capture spends nothing on them.
   */
  holdLiveBatches(): () => void {
    let held = true;
    if (this.liveHolders++ === 0) this.sendLive(true);
    return () => {
      if (!held) return;
      held = false;
      if (--this.liveHolders === 0) this.sendLive(false);
    };
  }

  private sendLive(on: boolean): void {
    // In the ring, not as a message: it takes effect exactly between the events around it.
    if (this.enabled && this.onBatch && !this.isShutDown) this.put(TYPE_LIVE, 0, this.now(), 0, 'c2s', EventRingWriter.controlPayload(on));
  }

  watchCongestion(listener: (congested: boolean) => void): () => void {
    this.congestionListeners.add(listener);
    if (this.congested) listener(true);
    return () => this.congestionListeners.delete(listener);
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  private chunk(type: 'data' | 'datagram', connId: number, dir: Direction, bytes: Uint8Array): void {
    if (!this.live.has(connId)) return;
    const ring = this.ring!;
    const t = this.now();
    this.totalBytes += bytes.length;
    const code = type === 'data' ? TYPE_DATA : TYPE_DATAGRAM;
    if (bytes.length > MAX_RING_CHUNK_BYTES) {
      // A long write: consecutive data events of at most MAX_RING_CHUNK_BYTES each.
      for (let at = 0; at < bytes.length; at += MAX_RING_CHUNK_BYTES) this.put(code, this.nextSeq++, t, connId, dir, bytes.subarray(at, at + MAX_RING_CHUNK_BYTES));
      return;
    }
    if (this.overflow.length === 0 && ring.fits(bytes.length)) {
      ring.writeChunk(type, this.nextSeq++, t, connId, dir, bytes);
      this.published();
    } else {
      this.put(code, this.nextSeq++, t, connId, dir, bytes);
    }
  }

  private finish(connId: number, state: 'closed' | 'reset', by: 'client' | 'server', reason?: string): void {
    const info = this.live.get(connId);
    if (!info) return;
    this.live.delete(connId);
    const t = this.now();
    info.state = state;
    info.closedAt = t;
    info.closedBy = by;
    if (reason !== undefined) info.closeReason = reason;
    const payload: EndPayload = reason === undefined ? { by } : { by, reason };
    this.put(TYPE_BY_STATE[state], this.nextSeq++, t, connId, 'c2s', EventRingWriter.controlPayload(payload));
  }

  /** One event into the ring, or into the overflow list when the ring is full or the list is not empty. */
  private put(type: number, seq: number, t: number, connId: number, dir: Direction, bytes: Uint8Array): void {
    const ring = this.ring!;
    if (this.overflow.length > 0 || !ring.fits(bytes.length)) {
      this.overflow.push({ type, seq, t, connId, dir, bytes: new Uint8Array(bytes) });
      this.setCongested(true);
      return;
    }
    this.write(ring, { type, seq, t, connId, dir, bytes });
    this.published();
  }

  private write(ring: EventRingWriter, e: OverflowEvent): void {
    if (e.type === TYPE_DATA || e.type === TYPE_DATAGRAM) ring.writeChunk(e.type === TYPE_DATA ? 'data' : 'datagram', e.seq, e.t, e.connId, e.dir, e.bytes);
    else ring.writeControl(e.type as typeof TYPE_OPEN, e.seq, e.t, e.connId, e.bytes);
  }

  /** The events written are for the recorder to read now. */
  private published(): void {
    const ring = this.ring!;
    ring.publish();
    if (this.thread) this.thread.drain();
    else if (!this.congested && ring.used > this.congestedAt) this.setCongested(true);
  }

  private setCongested(congested: boolean): void {
    if (congested === this.congested) return;
    this.congested = congested;
    if (congested) this.schedulePoll();
    for (const listener of [...this.congestionListeners]) listener(congested);
  }

  private schedulePoll(): void {
    if (this.pollTimer !== null) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      this.relieve();
    }, CONGESTION_POLL_MS);
    this.pollTimer.unref();
  }

  /** Moves overflow into the ring as the recorder frees room, and lets the taps read again once it has caught up. */
  private relieve(): void {
    const ring = this.ring!;
    let moved = 0;
    while (moved < this.overflow.length && ring.fits(this.overflow[moved].bytes.length)) this.write(ring, this.overflow[moved++]);
    if (moved > 0) {
      this.overflow = this.overflow.slice(moved);
      this.published();
    }
    if (this.overflow.length === 0 && this.heldQueries.length > 0) {
      const held = this.heldQueries;
      this.heldQueries = [];
      for (const q of held) this.post(q);
    }
    if (this.overflow.length === 0 && ring.used <= this.resumedAt) this.setCongested(false);
    else this.schedulePoll();
  }

  // ---- queries (answered by the recorder after every event sent before them) ----

  async listMessages(fromId: number, count: number): Promise<MessageSummary[]> {
    if (!this.enabled || count <= 0) return [];
    return this.query({ method: 'listMessages', fromId, count });
  }

  async getMessage(id: number): Promise<MessageDetail | null> {
    if (!this.enabled) return null;
    return this.query({ method: 'getMessage', id });
  }

  async listConnections(): Promise<ConnectionInfo[]> {
    if (!this.enabled) return [];
    return this.query({ method: 'listConnections' });
  }

  /** Totals once every event so far has been processed. */
  async stats(): Promise<CaptureStats> {
    if (this.enabled && !this.isShutDown) this.totalMessages = (await this.query({ method: 'counts' })).totalMessages;
    return this.statsNow();
  }

  /** Totals now: events and bytes as the taps reported them, messages as far as the recorder has got. */
  statsNow(): CaptureStats {
    return {
      totalMessages: this.totalMessages,
      totalEvents: this.nextSeq - 1,
      totalBytes: this.totalBytes,
      journalPath: this.journalPath,
      startedAt: this.startedAt.toISOString(),
    };
  }

  private query<M extends RecorderQuery['method']>(query: Extract<RecorderQuery, { method: M }>): Promise<QueryResults[M]> {
    if (this.isShutDown && query.method !== 'close') return Promise.reject(new Error('the capture has stopped (the lab was stopped)'));
    const id = this.nextQueryId++;
    return new Promise<QueryResults[M]>((resolve, reject) => {
      this.queries.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ kind: 'query', id, query });
    });
  }

  /**
   * Records the end of every connection still open (the lab is stopping; their sockets are being
   * destroyed), lets the recorder read everything the taps reported, send its last live batch and
   * close the journal and pcapng file. Later socket events are ignored.
   */
  shutdown(): Promise<void> {
    if (this.shutdownDone) return this.shutdownDone;
    for (const id of [...this.live.keys()]) this.reset(id, 'server', 'the lab stopped');
    this.isShutDown = true;
    this.congestionListeners.clear();
    this.shutdownDone = this.enabled ? this.closeRecorder() : Promise.resolve();
    return this.shutdownDone;
  }

  private async closeRecorder(): Promise<void> {
    // The worker must not let the process exit while it still writes the journal.
    this.worker?.ref();
    try {
      await this.query({ method: 'close' });
    } catch (err) {
      if (this.worker || this.thread) throw err;
      // The recorder never started: there is nothing to close.
    } finally {
      const worker = this.worker;
      this.worker = null;
      this.clearStartTimer();
      if (this.pollTimer !== null) clearTimeout(this.pollTimer);
      this.pollTimer = null;
      if (worker) await worker.terminate();
      // Nobody reads or writes the ring any more.
      releaseEventRing(this.init!.ring);
    }
  }

  // ---- the recorder ----

  private post(message: ToRecorder): void {
    if (this.overflow.length > 0) {
      // Events wait in the overflow list: the query must not overtake them.
      this.heldQueries.push(message);
    } else if (this.thread) {
      this.thread.handle(message);
    } else if (this.worker && this.workerReady) {
      this.worker.postMessage(message);
    } else if (this.worker) {
      this.unsent.push(message);
    } else {
      this.failQuery(message, new Error('the capture recorder is not running'));
    }
  }

  private failQuery(message: ToRecorder, error: Error): void {
    const pending = this.queries.get(message.id);
    this.queries.delete(message.id);
    pending?.reject(error);
  }

  private startWorker(launch: () => WorkerLaunch): void {
    let worker: Worker;
    try {
      const { script, options } = launch();
      worker = new Worker(script, { ...options, workerData: this.init });
    } catch (err) {
      this.fallBack(err);
      return;
    }
    this.worker = worker;
    // Idle, the worker must not keep the process alive; shutdown refs it while it closes the journal.
    worker.unref();
    worker.on('message', (message: FromRecorder) => this.fromRecorder(message));
    worker.on('error', (err) => this.workerDied(worker, err));
    worker.on('exit', (code) => this.workerDied(worker, new Error(`the capture worker exited with code ${code}`)));
    this.startTimer = setTimeout(() => this.workerDied(worker, new Error(`the capture worker did not start within ${WORKER_START_TIMEOUT_MS} ms`)), WORKER_START_TIMEOUT_MS);
    this.startTimer.unref();
  }

  private clearStartTimer(): void {
    if (this.startTimer !== null) clearTimeout(this.startTimer);
    this.startTimer = null;
  }

  private workerDied(worker: Worker, err: unknown): void {
    if (this.worker !== worker) return; // already handled, or terminated by shutdown
    this.worker = null;
    void worker.terminate();
    if (!this.workerReady) {
      this.fallBack(err);
      return;
    }
    // What it had read but not yet written is gone; the events still in the ring are not.
    console.error(`protolab: the capture worker stopped (${describe(err)}); capturing on the main thread from now on`);
    this.workerReady = false;
    for (const [id, pending] of this.queries) {
      pending.reject(new Error(`the capture worker stopped: ${describe(err)}`));
      this.queries.delete(id);
    }
    if (this.isShutDown) return;
    this.startOnThisThread(true);
  }

  private fallBack(err: unknown): void {
    this.clearStartTimer();
    console.warn(`protolab: the capture worker could not start (${describe(err)}); capturing on the main thread instead`);
    this.startOnThisThread();
  }

  /** `reannounce`: the connections still open are recorded as opening again, for a recorder that never saw them. */
  private startOnThisThread(reannounce = false): void {
    const unsent = this.unsent;
    this.unsent = [];
    let thread: RecorderService;
    try {
      thread = new RecorderService(this.init!, (message) => this.fromRecorder(message));
    } catch (err) {
      this.recorderFailedToStart(describe(err), unsent);
      return;
    }
    this.fromRecorder({ kind: 'ready', totalMessages: thread.totalMessages });
    if (reannounce) {
      for (const info of this.live.values()) this.put(TYPE_OPEN, this.nextSeq++, this.now(), info.id, 'c2s', EventRingWriter.controlPayload(info));
    }
    this.thread = thread;
    thread.drain();
    for (const message of unsent) this.post(message);
  }

  private recorderFailedToStart(message: string, unsent: ToRecorder[]): void {
    const error = new Error(`the capture could not start: ${message}`);
    console.error(`protolab: ${error.message}`);
    this.settleReady(error);
    for (const query of unsent) this.failQuery(query, error);
  }

  private fromRecorder(message: FromRecorder): void {
    switch (message.kind) {
      case 'ready':
        this.totalMessages = message.totalMessages;
        if (this.worker && !this.workerReady) {
          this.workerReady = true;
          this.clearStartTimer();
          const unsent = this.unsent;
          this.unsent = [];
          for (const m of unsent) this.worker.postMessage(m);
        }
        this.settleReady();
        return;
      case 'startFailed': {
        // The journal or pcapng file would not open: this thread could not do better.
        const worker = this.worker;
        this.worker = null;
        this.clearStartTimer();
        void worker?.terminate();
        const unsent = this.unsent;
        this.unsent = [];
        this.recorderFailedToStart(message.message, unsent);
        return;
      }
      case 'live':
        if (message.batch.totalMessages > this.totalMessages) this.totalMessages = message.batch.totalMessages;
        this.onBatch?.(message.batch);
        return;
      case 'failure':
        this.reportFailure(message.message);
        return;
      case 'reply': {
        const pending = this.queries.get(message.id);
        if (!pending) return;
        this.queries.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new Error(message.message));
        return;
      }
    }
  }

  private reportFailure(text: string): void {
    if (this.reportedFailures.has(text)) return;
    if (this.reportedFailures.size >= MAX_REPORTED_FAILURES) {
      if (this.unreportedFailures++ === 0) console.error('protolab: more capture failures; no longer reported one by one');
      return;
    }
    this.reportedFailures.add(text);
    console.error(`protolab: an event could not be captured: ${text}`);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
