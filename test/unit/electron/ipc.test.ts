import { EventEmitter } from 'node:events';
import type { BrowserWindow, IpcMain } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { LAB_FRAME_CHANNEL, LAB_LINK_CHANNEL } from '../../../src/shared/electron-bridge';
import { installLabRelay, sendFrameToWindow, sendLinkDownToWindow } from '../../../src/main/electron/ipc';
import type { CallFrame } from '../../../src/main/electron/core-protocol';
import { FakeBrowserWindow, FakeWebContents } from './fake-electron';

const APP_URL = 'file:///opt/protolab/out/renderer/index.html';
const isAppUrl = (url: string) => url.split('#')[0] === APP_URL;
const call: CallFrame = { kind: 'call', id: 1, method: 'getSnapshot', args: [] };

describe('the IPC relay', () => {
  let ipcMain: EventEmitter;
  let window: FakeBrowserWindow;
  let forwarded: CallFrame[];
  let warnings: string[];

  beforeEach(async () => {
    ipcMain = new EventEmitter();
    window = new FakeBrowserWindow({});
    await window.loadURL(APP_URL);
    forwarded = [];
    warnings = [];
    installLabRelay({
      ipcMain: ipcMain as unknown as IpcMain,
      getWindow: () => window as unknown as BrowserWindow,
      isAppUrl,
      core: { send: (frame) => forwarded.push(frame) },
      log: (m) => warnings.push(m),
    });
  });

  const fromMainFrame = () => ({ sender: window.webContents, senderFrame: window.webContents.mainFrame });

  it('forwards a valid call frame from the main frame of our window', () => {
    ipcMain.emit(LAB_FRAME_CHANNEL, fromMainFrame(), call);
    const resize: CallFrame = { kind: 'call', id: 2, method: 'terminalResize', args: ['t1', 80, 24] };
    ipcMain.emit(LAB_FRAME_CHANNEL, fromMainFrame(), resize);
    expect(forwarded).toEqual([call, resize]);
    expect(warnings).toEqual([]);
  });

  it('accepts a separately obtained WebFrameMain object for the same main frame', () => {
    ipcMain.emit(LAB_FRAME_CHANNEL, { sender: window.webContents, senderFrame: { ...window.webContents.mainFrame } }, call);
    expect(forwarded).toEqual([call]);
  });

  it('drops frames from another webContents', () => {
    const other = new FakeWebContents(APP_URL);
    ipcMain.emit(LAB_FRAME_CHANNEL, { sender: other, senderFrame: other.mainFrame }, call);
    expect(forwarded).toEqual([]);
    expect(warnings).toEqual(['protolab: dropped a LabApi frame from a webContents that is not the app window']);
  });

  it('drops frames from a subframe of our window', () => {
    const subframe = { url: APP_URL, processId: 7, routingId: 9999 };
    ipcMain.emit(LAB_FRAME_CHANNEL, { sender: window.webContents, senderFrame: subframe }, call);
    expect(forwarded).toEqual([]);
    expect(warnings[0]).toMatch(/subframe/);
  });

  it('drops frames sent by a page that is not the app', () => {
    window.webContents.mainFrame.url = 'https://example.com/';
    ipcMain.emit(LAB_FRAME_CHANNEL, fromMainFrame(), call);
    expect(forwarded).toEqual([]);
    expect(warnings[0]).toMatch(/not the app \(https:\/\/example.com\/\)/);
  });

  it('drops frames whose sending frame is already gone, or when no window is open', () => {
    ipcMain.emit(LAB_FRAME_CHANNEL, { sender: window.webContents, senderFrame: null }, call);
    window.destroyed = true;
    ipcMain.emit(LAB_FRAME_CHANNEL, fromMainFrame(), call);
    expect(forwarded).toEqual([]);
    expect(warnings).toHaveLength(2);
  });

  it('drops malformed frames from our own window', () => {
    const malformed: unknown[] = [
      null,
      'getSnapshot',
      { kind: 'call', id: 3, method: 'constructor', args: [] },
      { kind: 'call', id: 4, method: 'getSnapshot' },
      { kind: 'call', id: '5', method: 'getSnapshot', args: [] },
      { kind: 'call', id: 6, method: 'terminalInput', args: [1, 2, 3, 4, 5] },
      { kind: 'result', id: 7, ok: true, value: null },
    ];
    for (const frame of malformed) ipcMain.emit(LAB_FRAME_CHANNEL, fromMainFrame(), frame);
    expect(forwarded).toEqual([]);
    expect(warnings).toHaveLength(malformed.length);
    expect(warnings.every((w) => w.includes('malformed'))).toBe(true);
  });
});

describe('core to page', () => {
  it('sends result and event frames to the window on the frame channel', () => {
    const window = new FakeBrowserWindow({});
    const event = { kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: '220 ready\r\n' } } as const;
    sendFrameToWindow(window as unknown as BrowserWindow, event);
    sendLinkDownToWindow(window as unknown as BrowserWindow, 'the lab core process exited unexpectedly (exit code 1)');
    expect(window.webContents.sent).toEqual([
      { channel: LAB_FRAME_CHANNEL, args: [event] },
      { channel: LAB_LINK_CHANNEL, args: [{ state: 'down', reason: 'the lab core process exited unexpectedly (exit code 1)' }] },
    ]);
  });

  it('sends nothing to a closed window', () => {
    const window = new FakeBrowserWindow({});
    window.destroyed = true;
    sendFrameToWindow(window as unknown as BrowserWindow, { kind: 'result', id: 1, ok: true, value: null });
    sendFrameToWindow(null, { kind: 'result', id: 1, ok: true, value: null });
    expect(window.webContents.sent).toEqual([]);
  });
});
