// The Electron bridge: the preload exposes the LabApi as `window.protolab` (contextBridge), and
// IPC inside one app does not drop, so the link is always open.

import type { LabApi } from '../../shared/lab-api';
import type { BridgeStatus, LabBridge } from './bridge-types';

const OPEN: BridgeStatus = { state: 'open', epoch: 1 };

export function createIpcBridge(api: LabApi): LabBridge {
  return {
    kind: 'ipc',
    describe: 'Electron IPC',
    api,
    status: () => OPEN,
    onStatus: () => () => {},
    // The preload's API lives as long as the window; there is nothing to close.
    close: () => {},
  };
}
