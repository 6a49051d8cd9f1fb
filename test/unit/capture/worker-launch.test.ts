import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { captureWorkerLaunch } from '../../../src/main/lab/capture/worker-launch';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder laid out like electron-vite's out/main: `files` are created empty. */
function built(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-launch-'));
  dirs.push(dir);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

describe('captureWorkerLaunch', () => {
  it('from TypeScript source: registers tsx in the worker, then imports capture-worker.ts beside the module', () => {
    const here = pathToFileURL(path.resolve('src/main/lab/capture/hub.ts')).href;
    const launch = captureWorkerLaunch(here);
    expect(launch.options.eval).toBe(true);
    expect(launch.script).toContain(new URL('./capture-worker.ts', here).href);
    expect(launch.script).toMatch(/node_modules\/tsx\/.*esm\/api\/index\.mjs/);
  });

  it('from the build: capture-worker.js beside the core, or one folder up from a shared chunk', () => {
    const dir = built(['core.js', 'capture-worker.js', 'chunks/shared.js']);
    const expected = pathToFileURL(path.join(dir, 'capture-worker.js')).href;
    expect(String(captureWorkerLaunch(pathToFileURL(path.join(dir, 'core.js')).href).script)).toBe(expected);
    expect(String(captureWorkerLaunch(pathToFileURL(path.join(dir, 'chunks/shared.js')).href).script)).toBe(expected);
  });

  it('says where it looked when the build has no worker', () => {
    const dir = built(['core.js']);
    expect(() => captureWorkerLaunch(pathToFileURL(path.join(dir, 'core.js')).href)).toThrow(/no capture-worker\.js beside/);
  });
});
