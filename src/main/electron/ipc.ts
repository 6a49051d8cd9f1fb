// The relay between the page and the lab core. A frame is forwarded only when it comes from the
// main frame of our own window showing our own app (the Electron security checklist's "validate
// the sender of all IPC messages") and is a well-formed call naming a LabApi command. Everything
// else is dropped with a warning. Only `import type` from electron.

import type { BrowserWindow, IpcMain, IpcMainEvent } from 'electron';
import { LAB_FRAME_CHANNEL, LAB_LINK_CHANNEL, type LabLinkDown } from '../../shared/electron-bridge';
import { isCallFrame } from '../lab/api/wire-server';
import type { AppUrlCheck } from './security';
import type { CallFrame, CoreToFaceFrame } from './core-protocol';

export interface LabRelayInputs {
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>;
  getWindow(): BrowserWindow | null;
  isAppUrl: AppUrlCheck;
  core: { send(frame: CallFrame): void };
  log?: (message: string) => void;
}

type SenderEvent = Pick<IpcMainEvent, 'sender' | 'senderFrame'>;

/** Why a sender is not trusted, or null when it is our window's main frame showing our app. */
export function senderRejection(event: SenderEvent, window: BrowserWindow | null, isAppUrl: AppUrlCheck): string | null {
  if (!window || window.isDestroyed()) return 'a sender while no app window is open';
  const contents = window.webContents;
  if (event.sender !== contents) return 'a webContents that is not the app window';
  const frame = event.senderFrame;
  if (!frame) return 'a frame that has since navigated away or closed';
  const main = contents.mainFrame;
  const isMainFrame = frame === main || (frame.processId === main.processId && frame.routingId === main.routingId);
  if (!isMainFrame) return `a subframe (${frame.url})`;
  if (!isAppUrl(frame.url)) return `a page that is not the app (${frame.url})`;
  return null;
}

/** Installs the page -> core direction; returns the function that removes it. */
export function installLabRelay(inputs: LabRelayInputs): () => void {
  const log = inputs.log ?? console.warn;
  const listener = (event: IpcMainEvent, frame: unknown) => {
    const rejection = senderRejection(event, inputs.getWindow(), inputs.isAppUrl);
    if (rejection) {
      log(`protolab: dropped a LabApi frame from ${rejection}`);
      return;
    }
    if (!isCallFrame(frame)) {
      log('protolab: dropped a malformed LabApi frame (expected {kind:"call", id, method, args} naming a LabApi command)');
      return;
    }
    inputs.core.send(frame);
  };
  inputs.ipcMain.on(LAB_FRAME_CHANNEL, listener);
  return () => inputs.ipcMain.removeListener(LAB_FRAME_CHANNEL, listener);
}

/** The core -> page direction. */
export function sendFrameToWindow(window: BrowserWindow | null, frame: CoreToFaceFrame): void {
  if (!window || window.isDestroyed()) return;
  window.webContents.send(LAB_FRAME_CHANNEL, frame);
}

/** Tells the preload the core is gone, so the page's pending calls fail with the reason. */
export function sendLinkDownToWindow(window: BrowserWindow | null, reason: string): void {
  if (!window || window.isDestroyed()) return;
  const message: LabLinkDown = { state: 'down', reason };
  window.webContents.send(LAB_LINK_CHANNEL, message);
}
