// Picks the bridge: Electron's preload API when the page runs in the app window, the WebSocket to
// the web face otherwise.

import type { LabApi } from '../../shared/lab-api';
import type { LabBridge } from './bridge-types';
import { browserSocketFactory } from './browser-socket';
import { createIpcBridge } from './ipc';
import { createWsBridge } from './ws';
import { labWebSocketUrl } from './ws-url';

declare global {
  interface Window {
    /** Set by the Electron preload (src/preload); absent in a plain browser. */
    protolab?: LabApi;
  }
}

export type { BridgeStatus, LabBridge, LinkState } from './bridge-types';

export function createBridge(): LabBridge {
  if (window.protolab) return createIpcBridge(window.protolab);
  return createWsBridge(labWebSocketUrl(window.location), browserSocketFactory);
}
