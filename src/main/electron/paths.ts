// Where the built pieces and the lab's folders are, from the directory of the built main entry
// (out/main, inside app.asar when packaged). electron-vite writes out/main, out/preload and
// out/renderer side by side; electron-builder copies content/ next to app.asar (extraResources).
// The data folder is the one `protolab serve` and `protolab web` use, so whichever face opens
// the lab, the student finds the same mailboxes, files and captures.

import { join } from 'node:path';

export interface ElectronPathInputs {
  /** Directory of out/main/index.js. */
  mainDir: string;
  isPackaged: boolean;
  /** process.resourcesPath: the folder holding app.asar and the extraResources. */
  resourcesPath: string;
  /** app.getAppPath(): the repository root when run unpackaged. */
  appPath: string;
  /** The lab's data folder (defaultDataDir() of the lab core). */
  dataDir: string;
}

export interface ElectronPaths {
  preload: string;
  rendererIndex: string;
  coreEntry: string;
  contentDir: string;
  dataDir: string;
}

export function resolveElectronPaths(inputs: ElectronPathInputs): ElectronPaths {
  return {
    // CommonJS: a sandboxed preload cannot be an ES module.
    preload: join(inputs.mainDir, '..', 'preload', 'index.cjs'),
    rendererIndex: join(inputs.mainDir, '..', 'renderer', 'index.html'),
    coreEntry: join(inputs.mainDir, 'core.js'),
    contentDir: inputs.isPackaged ? join(inputs.resourcesPath, 'content') : join(inputs.appPath, 'content'),
    dataDir: inputs.dataDir,
  };
}
