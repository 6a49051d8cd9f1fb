// Stand-ins for the Electron objects the main process and preload use, recording what was done
// to them. Electron itself never runs in these tests (its binary is not on this machine).

import { EventEmitter } from 'node:events';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '', readonly isMainFrame = true) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
}

let nextRoutingId = 1;

export class FakeWebContents extends EventEmitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly mainFrame: FakeFrame;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  reloads = 0;

  constructor(url = '') {
    super();
    this.mainFrame = { url, processId: 7, routingId: nextRoutingId++ };
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  reload(): void {
    this.reloads++;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  loadedUrl: string | null = null;
  shown = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file;
    this.webContents.mainFrame.url = new URL(`file://${file}`).href;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

type Handler = (...args: never[]) => unknown;

export class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  headersReceived: ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void) | null =
    null;
  beforeRequest: ((details: { url: string }, callback: (r: { cancel?: boolean }) => void) => void) | null = null;

  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler): void {
    this.devicePermissionHandler = handler;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersReceived']) => {
      this.headersReceived = listener;
    },
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => {
      this.beforeRequest = listener;
    },
  };

  /** Runs a response through the onHeadersReceived listener and returns the headers it produced. */
  respond(url: string, responseHeaders: Record<string, string[]>): Record<string, string[]> | undefined {
    let result: Record<string, string[]> | undefined;
    this.headersReceived!({ url, responseHeaders }, (r) => (result = r.responseHeaders));
    return result;
  }

  /** True when onBeforeRequest lets the request through. */
  allows(url: string): boolean {
    let cancel: boolean | undefined;
    this.beforeRequest!({ url }, (r) => (cancel = r.cancel));
    return cancel !== true;
  }
}

export class FakeApp extends EventEmitter {
  sandboxEnabled = false;
  gotLock = true;
  isPackaged = false;
  quits = 0;
  private resolveReady!: () => void;
  readonly ready = new Promise<void>((resolve) => (this.resolveReady = resolve));

  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  makeReady(): void {
    this.resolveReady();
  }
  getAppPath(): string {
    return '/repo';
  }
  quit(): void {
    this.quits++;
    this.emit('will-quit', new FakeEvent());
  }
  exit(): void {}
}

export class FakeUtilityProcess extends EventEmitter {
  readonly posted: unknown[] = [];
  killed = false;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: unknown,
  ) {
    super();
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
}

export class FakeDialog {
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly messageBoxes: unknown[] = [];
  nextResponse = 0;
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
  showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    this.messageBoxes.push(args[args.length - 1]);
    return Promise.resolve({ response: this.nextResponse, checkboxChecked: false });
  }
}

/** A fresh set of fakes shaped like the `electron` module's main-process exports. */
export function createFakeElectron() {
  const app = new FakeApp();
  const created: FakeBrowserWindow[] = [];
  /** Like Electron's: each new window is announced to the app's web-contents-created listeners. */
  class BrowserWindow extends FakeBrowserWindow {
    static readonly created = created;
    constructor(options: Record<string, unknown>) {
      super(options);
      created.push(this);
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
  }
  const forked: FakeUtilityProcess[] = [];
  return {
    app,
    BrowserWindow,
    ipcMain: new EventEmitter(),
    session: { defaultSession: new FakeSession() },
    dialog: new FakeDialog(),
    utilityProcess: {
      fork: (modulePath: string, args: string[] = [], options: unknown = {}) => {
        const child = new FakeUtilityProcess(modulePath, args, options);
        forked.push(child);
        return child;
      },
    },
    forked,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** Lets promise callbacks queued so far run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
