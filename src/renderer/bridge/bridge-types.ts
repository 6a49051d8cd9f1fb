// What the panes see of the link to the lab core, whichever bridge carries it.

import type { LabApi } from '../../shared/lab-api';

export type LinkState = 'connecting' | 'open' | 'down';

export interface BridgeStatus {
  state: LinkState;
  /** Counts the times the link opened; panes that hold core state (terminals) start over when it changes. */
  epoch: number;
  /** Why the link is down, in a sentence. */
  reason?: string;
  /** When down: the time (Date.now()) of the next attempt. */
  retryAt?: number;
}

export interface LabBridge {
  kind: 'ipc' | 'ws';
  /** One line for the status bar, e.g. `WebSocket ws://127.0.0.1:8080/api`. */
  describe: string;
  api: LabApi;
  status(): BridgeStatus;
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Ends the link for good (no reconnects); pending calls fail. */
  close(): void;
}
