// The recorder behind a message interface, so the same code serves the capture worker and the
// same-thread fallback: it reads tap events from the event ring, answers queries, and sends live
// batches, failures and replies back.

import type { CaptureBatch } from '../../../shared/capture';
import { EventRingReader, type EventVisitor } from './event-ring';
import { CaptureRecorder } from './recorder';
import type { FromRecorder, QueryResults, RecorderInit, RecorderQuery, ToRecorder } from './worker-protocol';

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * After a drain the capture worker rests this long before it looks again. Woken for every few
 * events, it spent more on waking (a futex call on the socket thread, an event-loop turn here)
 * than on recording them: 23 µs of its CPU per keep-alive GET under wrk, against 10 µs recording
 * one (bench/recorder-cpu.ts http). Resting, it takes what came meanwhile in one drain, and the
 * socket thread notifies it only when it really sleeps. 1 ms (timers are coarser on Windows, about
 * 16 ms) is far below what a person sees in the live view, the ring holds seconds of loopback
 * traffic (EVENT_RING_BYTES), and a query drains first anyway.
 */
export const RECORDER_REST_MS = 1;

export class RecorderService {
  private readonly recorder: CaptureRecorder;
  private readonly ring: EventRingReader;
  private readonly visitor: EventVisitor;
  private readonly reportFailure: (err: unknown) => void;
  private closed = false;

  /** Throws when the journal or the pcapng file cannot be opened. */
  constructor(
    init: RecorderInit,
    private readonly send: (message: FromRecorder) => void,
  ) {
    this.recorder = new CaptureRecorder(init);
    this.ring = new EventRingReader(init.ring);
    const recorder = this.recorder;
    const sendBatch = (batch: CaptureBatch): void => send({ kind: 'live', batch });
    this.visitor = {
      open: (seq, info) => recorder.open(seq, info),
      chunk: (type, seq, t, connId, dir, bytes) => recorder.chunk(type, seq, t, connId, dir, bytes),
      finish: (seq, t, connId, state, by, reason) => recorder.finish(seq, t, connId, state, by, reason),
      live: (on) => recorder.setLiveBatches(on ? sendBatch : null),
      holdsChunks: () => recorder.holdsChunks,
      releaseChunks: () => recorder.releaseChunks(),
    };
    this.reportFailure = (err) => send({ kind: 'failure', message: describe(err) });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get totalMessages(): number {
    return this.recorder.counts().totalMessages;
  }

  /** Records every event published so far; an event that fails is reported and the rest still recorded. */
  drain(): void {
    if (this.closed) return;
    this.ring.drain(this.visitor, this.reportFailure);
  }

  /** Resolves when the ring has events to drain. */
  waitForEvents(): Promise<void> {
    return this.ring.waitForMore();
  }

  handle(message: ToRecorder): void {
    // Every event published before the query was sent is in the ring now: record them first.
    this.drain();
    let value: unknown;
    try {
      value = this.answer(message.query);
    } catch (err) {
      this.send({ kind: 'reply', id: message.id, ok: false, message: describe(err) });
      return;
    }
    this.send({ kind: 'reply', id: message.id, ok: true, value });
  }

  private answer(query: RecorderQuery): QueryResults[RecorderQuery['method']] {
    if (this.closed) throw new Error('the capture is closed');
    switch (query.method) {
      case 'listMessages':
        return this.recorder.listMessages(query.fromId, query.count);
      case 'getMessage':
        return this.recorder.getMessage(query.id);
      case 'listConnections':
        return this.recorder.listConnections();
      case 'counts':
        return this.recorder.counts();
      case 'close':
        this.closed = true;
        this.recorder.close();
        return null;
    }
  }
}
