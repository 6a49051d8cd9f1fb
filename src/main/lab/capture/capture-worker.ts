// Entry point of the capture worker thread (DESIGN.md §5): it reads the tap events the hub puts in
// the shared event ring, frames, pairs, journals and exports them, sends live batches back and
// answers the hub's queries. electron-vite builds it as its own file beside the core
// (electron.vite.config.ts).

import { parentPort, workerData } from 'node:worker_threads';
import { RECORDER_REST_MS, RecorderService } from './recorder-service';
import type { FromRecorder, RecorderInit, ToRecorder } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('capture-worker runs as a worker thread, started by the capture hub');

const send = (message: FromRecorder): void => port.postMessage(message);
let service: RecorderService | null = null;
try {
  service = new RecorderService(workerData as RecorderInit, send);
} catch (err) {
  send({ kind: 'startFailed', message: err instanceof Error ? err.message : String(err) });
}

if (service) {
  const recorder = service;
  port.on('message', (message: ToRecorder) => recorder.handle(message));
  send({ kind: 'ready', totalMessages: recorder.totalMessages });
  const pump = async (): Promise<void> => {
    while (!recorder.isClosed) {
      await recorder.waitForEvents();
      recorder.drain();
      // Queries and timers (the journal's flush, the live batcher) run meanwhile.
      await new Promise((resolve) => setTimeout(resolve, RECORDER_REST_MS));
    }
  };
  void pump();
}
