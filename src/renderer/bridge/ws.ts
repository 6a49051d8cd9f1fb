// The web face's bridge: the LabApi over a WebSocket to `/api` on the page's own host, one JSON
// LabWireFrame per text message, reconnecting with backoff while the core is away.

import { createLabClient } from '../../shared/wire-client';
import type { BridgeStatus, LabBridge } from './bridge-types';
import { parseWireFrame } from './wire-frames';
import { createReconnectingLink, type LinkSocketFactory } from './reconnecting-link';

export function createWsBridge(url: string, createSocket: LinkSocketFactory): LabBridge {
  // The client is created first and sends through the link, which exists by the time anyone calls.
  let sendText: (text: string) => void = () => {
    throw new Error('the link to the lab core is not set up yet');
  };
  const client = createLabClient((frame) => sendText(JSON.stringify(frame)));
  const link = createReconnectingLink({
    url,
    createSocket,
    onMessage(text) {
      const parsed = parseWireFrame(text);
      if (parsed.ok) client.receive(parsed.frame);
      else console.warn(`[protolab] ${parsed.error}; frame dropped`);
    },
    onDown(reason) {
      client.fail(`disconnected from the lab core: ${reason}`);
    },
  });
  sendText = (text) => link.send(text);
  return {
    kind: 'ws',
    describe: `WebSocket ${url}`,
    api: client.api,
    status: () => link.status(),
    onStatus: (listener: (s: BridgeStatus) => void) => link.onStatus(listener),
    close: () => link.close(),
  };
}
