import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectronPackageDir, findElectronRuntime, probeRuns } from '../../../scripts/electron-runtime.mjs';
import { exitStatusFor, runForwardingSignals } from '../../../scripts/run-child.mjs';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const INSTALLED = findElectronPackageDir(REPO);
const BINARY_DOWNLOADED = INSTALLED !== null && fs.existsSync(path.join(INSTALLED, 'path.txt'));
const onPosix = process.platform !== 'win32';

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for node_modules/electron: optionally path.txt and an executable script at dist/electron. */
function fakePackage(options: { pathTxt?: string; script?: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-electron-'));
  temporary.push(dir);
  if (options.pathTxt !== undefined) fs.writeFileSync(path.join(dir, 'path.txt'), options.pathTxt);
  if (options.script !== undefined) {
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'electron'), options.script, { mode: 0o755 });
  }
  return dir;
}

const VERSION_SCRIPT = '#!/bin/sh\nif [ "$ELECTRON_RUN_AS_NODE" = 1 ] && [ "$1" = --version ]; then echo v45.4.1; exit 0; fi\nexit 9\n';
const MISSING_LIBRARY_SCRIPT = '#!/bin/sh\necho "error while loading shared libraries: libgtk-3.so.0" >&2\nexit 127\n';
const probeOk = () => ({ ok: true as const });

describe('the Electron runtime check used by npm start', () => {
  it.skipIf(BINARY_DOWNLOADED)('finds no runtime on this machine, and downloads nothing while looking', () => {
    expect(INSTALLED).not.toBeNull();
    const before = fs.readdirSync(INSTALLED!).sort();
    const runtime = findElectronRuntime({ packageDir: INSTALLED });
    expect(runtime).toEqual({ available: false, reason: expect.stringContaining('path.txt is missing') });
    expect(fs.readdirSync(INSTALLED!).sort()).toEqual(before);
  });

  it('reports a missing electron package', () => {
    expect(findElectronRuntime({ packageDir: null })).toEqual({ available: false, reason: 'the electron package is not installed' });
  });

  it('reports a path.txt that names a binary that is not there', () => {
    const dir = fakePackage({ pathTxt: 'electron' });
    const runtime = findElectronRuntime({ packageDir: dir, env: { DISPLAY: ':0' }, platform: 'linux', probe: probeOk });
    expect(runtime).toEqual({ available: false, reason: `its binary is missing (${path.join(dir, 'dist', 'electron')})` });
  });

  it('on Linux needs a display to open a window on', () => {
    const dir = fakePackage({ pathTxt: 'electron', script: VERSION_SCRIPT });
    expect(findElectronRuntime({ packageDir: dir, env: {}, platform: 'linux', probe: probeOk })).toEqual({
      available: false,
      reason: expect.stringContaining('no display'),
    });
    expect(findElectronRuntime({ packageDir: dir, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux', probe: probeOk }).available).toBe(true);
  });

  it('on macOS and Windows needs no DISPLAY variable', () => {
    const dir = fakePackage({ pathTxt: 'electron', script: VERSION_SCRIPT });
    expect(findElectronRuntime({ packageDir: dir, env: {}, platform: 'darwin', probe: probeOk }).available).toBe(true);
  });

  it.skipIf(!onPosix)('accepts a binary that answers --version when run as Node', () => {
    const dir = fakePackage({ pathTxt: 'electron', script: VERSION_SCRIPT });
    expect(findElectronRuntime({ packageDir: dir, env: { ...process.env, DISPLAY: ':0' }, platform: 'linux' })).toEqual({
      available: true,
      executable: path.join(dir, 'dist', 'electron'),
    });
  });

  it.skipIf(!onPosix)('refuses a binary that cannot run here, quoting its first error line', () => {
    const dir = fakePackage({ pathTxt: 'electron', script: MISSING_LIBRARY_SCRIPT });
    expect(findElectronRuntime({ packageDir: dir, env: { ...process.env, DISPLAY: ':0' }, platform: 'linux' })).toEqual({
      available: false,
      reason: 'its binary does not run here (it exited with 127: error while loading shared libraries: libgtk-3.so.0)',
    });
  });

  it.skipIf(!onPosix)('honours ELECTRON_OVERRIDE_DIST_PATH as the electron package does', () => {
    const override = fakePackage({ script: VERSION_SCRIPT });
    const dir = fakePackage({});
    const runtime = findElectronRuntime({ packageDir: dir, env: { ...process.env, DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: path.join(override, 'dist') }, platform: 'linux' });
    expect(runtime).toEqual({ available: true, executable: path.join(override, 'dist', 'electron') });
  });

  it('reports a binary that cannot be started at all', () => {
    expect(probeRuns(path.join(os.tmpdir(), 'no-such-electron-binary'), {})).toEqual({ ok: false, detail: expect.stringContaining('ENOENT') });
  });
});

describe('runForwardingSignals', () => {
  it("ends with the child's exit code", async () => {
    expect(await runForwardingSignals(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' }, new EventEmitter())).toBe(3);
  });

  it.skipIf(!onPosix)('passes SIGTERM on to the child and reports 128 + the signal number', async () => {
    const signals = new EventEmitter();
    const running = runForwardingSignals(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] }, signals);
    await new Promise((resolve) => setTimeout(resolve, 300));
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await running).toBe(128 + os.constants.signals.SIGTERM);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('maps exit codes and signals the way a shell does', () => {
    expect(exitStatusFor(0, null)).toBe(0);
    expect(exitStatusFor(null, 'SIGINT')).toBe(128 + os.constants.signals.SIGINT);
    expect(exitStatusFor(null, null)).toBe(1);
  });
});

describe('npm start without the Electron runtime', () => {
  it.skipIf(BINARY_DOWNLOADED)(
    'prints exactly one line, then runs the web face with the arguments passed through and ends with its status',
    () => {
      const bogus = '--not-an-option-of-protolab-web';
      const started = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'start.mjs'), bogus], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      const direct = spawnSync(process.execPath, [path.join(REPO, 'bin', 'protolab.mjs'), 'web', bogus], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      expect(started.stdout.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/^Protolab: the Electron runtime is not available here \(.+\), so the lab opens in the browser instead\.$/),
      ]);
      expect(direct.status).not.toBe(0);
      expect(started.status).toBe(direct.status);
      expect(started.stderr).toBe(direct.stderr);
    },
    120_000,
  );
});
