// The Electron face, wired together: lockdown first, then the lab core in its utility process,
// the IPC relay, and the window. The Electron modules are passed in (main.ts passes the real
// ones), so this file only imports types from electron and the wiring is tested with fakes.

import type { App, BrowserWindow, Dialog, IpcMain, Session } from 'electron';
import { defaultDataDir } from '../lab/data-dir';
import { isAppUrl, resolveAppLocation, type AppLocation } from './app-location';
import { portOffsetFromAppArgs, type CoreOptions } from './core-args';
import { CoreHost, type ForkCore } from './core-host';
import { installLabRelay, sendFrameToWindow, sendLinkDownToWindow } from './ipc';
import { resolveElectronPaths } from './paths';
import { CONTENT_SECURITY_POLICY, devServerCsp, lockDownEveryWebContents, lockDownSession } from './security';
import { createMainWindow, type BrowserWindowConstructor } from './window';

export interface ElectronModules {
  app: App;
  BrowserWindow: BrowserWindowConstructor;
  ipcMain: IpcMain;
  session: { readonly defaultSession: Session };
  dialog: Pick<Dialog, 'showMessageBox' | 'showErrorBox'>;
  utilityProcess: { fork: ForkCore };
}

export interface ProtolabStartInputs {
  /** Directory of the built main entry (out/main). */
  mainDir: string;
  env: Record<string, string | undefined>;
  argv: readonly string[];
  resourcesPath: string;
  platform: NodeJS.Platform;
  /** Where warnings go (blocked navigations, dropped frames, core failures); console by default. */
  log?: (message: string) => void;
}

export interface ProtolabApp {
  readonly core: CoreHost;
  getWindow(): BrowserWindow | null;
}

/** Resolves with the running app, or null when it is not to run (another instance, bad options). */
export async function startProtolab(electron: ElectronModules, inputs: ProtolabStartInputs): Promise<ProtolabApp | null> {
  const { app } = electron;
  const log = inputs.log ?? console.warn;
  // Every renderer sandboxed, whatever a future window's options say (must precede 'ready').
  app.enableSandbox();

  // A second instance would fight the first for the lab's ports and data folder.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const paths = resolveElectronPaths({
    mainDir: inputs.mainDir,
    isPackaged: app.isPackaged,
    resourcesPath: inputs.resourcesPath,
    appPath: app.getAppPath(),
    dataDir: defaultDataDir(inputs.env, inputs.platform),
  });

  let appLocation: AppLocation;
  let coreOptions: CoreOptions;
  try {
    appLocation = resolveAppLocation({ isPackaged: app.isPackaged, devServerUrl: inputs.env.ELECTRON_RENDERER_URL, rendererIndexFile: paths.rendererIndex });
    const portOffset = portOffsetFromAppArgs(inputs.argv);
    coreOptions = { dataDir: paths.dataDir, contentDir: paths.contentDir, ...(portOffset === undefined ? {} : { portOffset }) };
  } catch (err) {
    electron.dialog.showErrorBox('Protolab cannot start', err instanceof Error ? err.message : String(err));
    app.quit();
    return null;
  }
  const isOurs = (url: string) => isAppUrl(appLocation, url);

  lockDownEveryWebContents(app, isOurs, log);

  let window: BrowserWindow | null = null;
  const getWindow = () => window;

  const core = new CoreHost({
    fork: electron.utilityProcess.fork,
    entry: paths.coreEntry,
    options: coreOptions,
    onFrame: (frame) => sendFrameToWindow(window, frame),
    onDown: (reason) => void reportCoreDown(reason),
    log,
  });

  const reportCoreDown = async (reason: string) => {
    sendLinkDownToWindow(window, reason);
    const options = {
      type: 'error' as const,
      title: 'Protolab',
      message: 'The lab stopped working.',
      detail: `${reason}\n\nRestarting starts the servers again and reloads the window; the capture recorded so far is kept in the data folder.`,
      buttons: ['Restart the lab', 'Quit'],
      defaultId: 0,
      cancelId: 1,
    };
    const current = window;
    const { response } = current ? await electron.dialog.showMessageBox(current, options) : await electron.dialog.showMessageBox(options);
    if (response !== 0) {
      app.quit();
      return;
    }
    core.start();
    if (window && !window.isDestroyed()) window.webContents.reload();
  };

  const openWindow = () => {
    const created = createMainWindow({ BrowserWindow: electron.BrowserWindow, preloadPath: paths.preload, location: appLocation, log });
    window = created;
    // A new page (reload, navigation inside the app, crash) no longer holds the old page's terminals.
    created.webContents.on('did-navigate', () => core.rendererReset());
    created.webContents.on('render-process-gone', () => core.rendererReset());
    created.on('closed', () => {
      if (window === created) window = null;
      core.rendererReset();
    });
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    // macOS keeps an app without windows running (the lab's servers too) until Quit.
    if (inputs.platform !== 'darwin') app.quit();
  });

  let coreStoppedForQuit = false;
  app.on('will-quit', (event) => {
    if (coreStoppedForQuit || core.state === 'stopped') return;
    // Let the core flush its capture journal before the process goes.
    event.preventDefault();
    void core.stop().then(() => {
      coreStoppedForQuit = true;
      app.quit();
    });
  });

  await app.whenReady();

  lockDownSession(electron.session.defaultSession, {
    csp: appLocation.kind === 'dev-server' ? devServerCsp(appLocation.origin) : CONTENT_SECURITY_POLICY,
    ...(appLocation.kind === 'dev-server' ? { devServerOrigin: appLocation.origin } : {}),
    log,
  });

  installLabRelay({ ipcMain: electron.ipcMain, getWindow, isAppUrl: isOurs, core, log });
  core.start();
  openWindow();

  app.on('activate', () => {
    if (!window) openWindow();
  });

  return { core, getWindow };
}
