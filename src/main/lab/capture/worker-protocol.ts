// Messages between the capture hub (socket thread) and the recorder (capture worker, or the same
// thread when no worker could start). Tap events do not travel as messages: they go through the
// shared event ring (event-ring.ts). A query is answered only after the recorder has read every
// event published before the query was sent, so it sees them all.

import type { CaptureBatch, ConnectionInfo, MessageDetail, MessageSummary } from '../../../shared/capture';
import type { EventRingMemory } from './event-ring';

/** What the recorder needs to start; passed as the worker's workerData. */
export interface RecorderInit {
  journalPath: string;
  pcapngPath?: string;
  /** Wall-clock time (ms since the epoch) of capture time 0. */
  startEpochMs: number;
  ring: EventRingMemory;
}

export type RecorderQuery =
  | { method: 'listMessages'; fromId: number; count: number }
  | { method: 'getMessage'; id: number }
  | { method: 'listConnections' }
  | { method: 'counts' }
  /** Send the live batch, close the journal and the pcapng file; nothing is recorded after it. */
  | { method: 'close' };

export interface QueryResults {
  listMessages: MessageSummary[];
  getMessage: MessageDetail | null;
  listConnections: ConnectionInfo[];
  counts: { totalMessages: number };
  close: null;
}

export type ToRecorder = { kind: 'query'; id: number; query: RecorderQuery };

export type FromRecorder =
  /** The journal is open; the recorder reads the ring. */
  | { kind: 'ready'; totalMessages: number }
  /** The recorder could not start (the journal or pcapng file would not open). */
  | { kind: 'startFailed'; message: string }
  | { kind: 'live'; batch: CaptureBatch }
  /** An event could not be recorded (a journal write failed); recording goes on with the next. */
  | { kind: 'failure'; message: string }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; message: string };
