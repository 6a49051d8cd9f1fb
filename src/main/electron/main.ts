// Electron main-process entry (built to out/main/index.js). Hands the real Electron modules to
// startProtolab; everything else lives in modules that tests can load without Electron.

import { app, BrowserWindow, dialog, ipcMain, session, utilityProcess } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProtolab } from './app-main';

startProtolab(
  { app, BrowserWindow, dialog, ipcMain, session, utilityProcess },
  {
    mainDir: dirname(fileURLToPath(import.meta.url)),
    env: process.env,
    argv: process.argv,
    resourcesPath: process.resourcesPath,
    platform: process.platform,
  },
).catch((err: unknown) => {
  dialog.showErrorBox('Protolab cannot start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
