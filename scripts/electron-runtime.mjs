// Whether the Electron runtime can be used on this machine, decided without ever triggering its
// download. `require('electron')` is not an option: node_modules/electron/index.js downloads
// the binary on first use when path.txt or the file it names is missing (electron 45), which
// hangs or fails offline. So this repeats its lookup read-only, then asks the binary for its
// version as plain Node (ELECTRON_RUN_AS_NODE) to be sure it runs here at all.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** `electron --version` answers in well under a second; a binary that takes this long is stuck. */
export const PROBE_TIMEOUT_MS = 15_000;

/** The executable inside the electron package's dist/ folder, as node_modules/electron/install.js names it. */
export function electronExecutableName(platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** The installed electron package's folder, or null. Resolves package.json, never index.js. */
export function findElectronPackageDir(fromDir = process.cwd()) {
  try {
    const require = createRequire(path.join(fromDir, 'noop.js'));
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Runs the binary as Node and asks for its version: fails fast on missing libraries or a broken file. */
export function probeRuns(executable, env) {
  const result = spawnSync(executable, ['--version'], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: PROBE_TIMEOUT_MS,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) return { ok: false, detail: result.error.message };
  if (result.status !== 0) {
    const firstLine = `${result.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    return { ok: false, detail: `it exited with ${result.status ?? result.signal}${firstLine ? `: ${firstLine}` : ''}` };
  }
  return { ok: true };
}

/**
 * @param {{ packageDir?: string | null, env?: NodeJS.ProcessEnv, platform?: string,
 *           probe?: (executable: string, env: NodeJS.ProcessEnv) => { ok: boolean, detail?: string } }} [options]
 * @returns {{ available: true, executable: string } | { available: false, reason: string }}
 */
export function findElectronRuntime(options = {}) {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const probe = options.probe ?? probeRuns;
  const packageDir = options.packageDir === undefined ? findElectronPackageDir() : options.packageDir;
  if (!packageDir) return { available: false, reason: 'the electron package is not installed' };

  const pathFile = path.join(packageDir, 'path.txt');
  const named = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  let executable;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    executable = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, named || electronExecutableName(platform));
  } else if (!named) {
    return { available: false, reason: 'its binary has never been downloaded (node_modules/electron/path.txt is missing)' };
  } else {
    executable = path.join(packageDir, 'dist', named);
  }
  if (!fs.existsSync(executable)) return { available: false, reason: `its binary is missing (${executable})` };

  // On Linux and the BSDs a window needs an X11 or Wayland display.
  if (platform !== 'darwin' && platform !== 'win32' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { available: false, reason: 'there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }

  const probed = probe(executable, env);
  if (!probed.ok) return { available: false, reason: `its binary does not run here (${probed.detail})` };
  return { available: true, executable };
}
