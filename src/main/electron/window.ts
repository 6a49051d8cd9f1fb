// The one application window: its options (the renderer gets no Node, a sandbox, an isolated
// preload world) and how it loads the app. Only `import type` from electron; the constructor is
// passed in so tests can check the options without Electron.

import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { appEntryUrl, type AppLocation } from './app-location';

/** Large enough for terminal, packet list and details side by side. */
const INITIAL_WINDOW_SIZE = { width: 1440, height: 900 } as const;
/** Below this the three panes no longer fit legibly. */
const MINIMUM_WINDOW_SIZE = { width: 960, height: 600 } as const;

/**
 * The Electron security checklist settings, spelled out even where they are the default so a
 * future default change cannot loosen them. spellcheck is off because Chromium would download
 * dictionaries from the network; webviewTag is off because the app embeds no guest pages.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...INITIAL_WINDOW_SIZE,
    minWidth: MINIMUM_WINDOW_SIZE.width,
    minHeight: MINIMUM_WINDOW_SIZE.height,
    title: 'Protolab',
    // Shown on ready-to-show so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface MainWindowInputs {
  BrowserWindow: BrowserWindowConstructor;
  preloadPath: string;
  location: AppLocation;
  log?: (message: string) => void;
}

export function createMainWindow(inputs: MainWindowInputs): BrowserWindow {
  const log = inputs.log ?? console.error;
  const window = new inputs.BrowserWindow(mainWindowOptions(inputs.preloadPath));
  window.once('ready-to-show', () => window.show());
  const loading = inputs.location.kind === 'file' ? window.loadFile(inputs.location.indexFile) : window.loadURL(appEntryUrl(inputs.location));
  loading.catch((err: unknown) => log(`protolab: the window could not load ${appEntryUrl(inputs.location)}: ${err instanceof Error ? err.message : String(err)}`));
  return window;
}
