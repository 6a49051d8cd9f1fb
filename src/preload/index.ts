// The preload: exposes the LabApi, and nothing else, to the page as `window.protolab`: exactly
// the LabApi commands and `on`, each a plain function over createLabClient. No ipcRenderer, no
// channel name, no generic send reaches the page, so a compromised page can still only make
// LabApi calls, and the main process checks even those. Built as CommonJS
// (out/preload/index.cjs) because a sandboxed preload cannot be an ES module; everything it
// imports is bundled in except electron itself.

import { contextBridge, ipcRenderer, type ContextBridge, type IpcRenderer } from 'electron';
import { LAB_FRAME_CHANNEL, LAB_LINK_CHANNEL, PRELOAD_GLOBAL_NAME } from '../shared/electron-bridge';
import type { LabApi, LabWireFrame } from '../shared/lab-api';
import { LAB_COMMAND_NAMES } from '../shared/lab-api';
import { createLabClient } from '../shared/wire-client';

type IpcLike = Pick<IpcRenderer, 'send' | 'on'>;

function buildExposedLabApi(ipc: IpcLike): LabApi {
  const client = createLabClient((frame) => ipc.send(LAB_FRAME_CHANNEL, frame));
  ipc.on(LAB_FRAME_CHANNEL, (_event, frame: unknown) => {
    if (isFrameForPage(frame)) client.receive(frame);
  });
  ipc.on(LAB_LINK_CHANNEL, (_event, message: unknown) => {
    const m = message as { state?: unknown; reason?: unknown } | null;
    if (m?.state === 'down' && typeof m.reason === 'string') client.fail(m.reason);
  });

  const exposed: Record<string, unknown> = {};
  for (const name of LAB_COMMAND_NAMES) {
    const command = client.api[name] as (...args: unknown[]) => Promise<unknown>;
    exposed[name] = (...args: unknown[]) => command(...args);
  }
  exposed.on = client.api.on;
  return Object.freeze(exposed) as unknown as LabApi;
}

function exposeLabApi(bridge: Pick<ContextBridge, 'exposeInMainWorld'>, ipc: IpcLike): void {
  bridge.exposeInMainWorld(PRELOAD_GLOBAL_NAME, buildExposedLabApi(ipc));
}

function isFrameForPage(frame: unknown): frame is Exclude<LabWireFrame, { kind: 'call' }> {
  if (typeof frame !== 'object' || frame === null) return false;
  const kind = (frame as { kind?: unknown }).kind;
  return kind === 'result' || kind === 'event';
}

exposeLabApi(contextBridge, ipcRenderer);
